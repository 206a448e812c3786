/**
 * What a project's retention means at one moment: the project's cutoff (conversations last active
 * before it expire; null when the project keeps its data forever) and each customer kept apart
 * (`customer_retention`), with a cutoff of their own, longer or shorter than the project's.
 */
import { projectSettingsSchema } from '@sightline/core';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export const DAY_MS = 86_400_000;

/**
 * An expiry's scope: the project's conversations but those of customers kept apart, or one such
 * customer's conversations.
 */
export type ExpiryTarget =
  | { kind: 'project'; cutoff: number }
  | { kind: 'customer'; cutoff: number; customerId: string };

export interface RetentionPolicy {
  /** Conversations last active before this (epoch ms) expire; null: the project keeps them forever. */
  projectCutoff: number | null;
  /** What to expire: the project's scope first, then each customer kept apart. */
  targets: ExpiryTarget[];
}

/** The project's policy at `now` (epoch ms). */
export async function readRetentionPolicy(
  db: Kysely<Database>,
  projectId: string,
  now: number,
): Promise<RetentionPolicy> {
  const settingsRow = await db
    .selectFrom('project_settings')
    .select('settings')
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  const overrides = await db
    .selectFrom('customer_retention')
    .select(['customer_id', 'days'])
    .where('project_id', '=', projectId)
    .orderBy('customer_id')
    .execute();
  const settings = settingsRow ? projectSettingsSchema.parse(JSON.parse(settingsRow.settings)) : {};
  const days = settings.retentionDays ?? null;
  const projectCutoff = days === null ? null : now - days * DAY_MS;
  const targets: ExpiryTarget[] = [];
  if (projectCutoff !== null) targets.push({ kind: 'project', cutoff: projectCutoff });
  for (const row of overrides)
    targets.push({ kind: 'customer', customerId: row.customer_id, cutoff: now - Number(row.days) * DAY_MS });
  return { projectCutoff, targets };
}
