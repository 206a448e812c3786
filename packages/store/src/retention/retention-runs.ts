/**
 * Each project's last expiry run (`retention_runs`): when it ran, its cutoff, whether it caught up,
 * what it removed, and what every run of the project removed added up.
 */
import {
  type ExpiredRows,
  noExpiredRows,
  projectSettingsSchema,
  type RetentionRun,
  type RetentionStatus,
} from '@sightline/core';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { listCustomerRetention } from './customer-retention.ts';

/** Adds `more` to `into`, kind by kind. */
export function addExpiredRows(into: ExpiredRows, more: ExpiredRows): void {
  for (const kind of Object.keys(into) as Array<keyof ExpiredRows>) into[kind] += more[kind];
}

function parseRows(text: string): ExpiredRows {
  const rows = noExpiredRows();
  const stored = JSON.parse(text) as Partial<ExpiredRows>;
  for (const kind of Object.keys(rows) as Array<keyof ExpiredRows>) rows[kind] = Number(stored[kind] ?? 0);
  return rows;
}

/** Records a run (replacing the project's last one, adding to its totals). */
export async function recordRetentionRun(
  db: Kysely<Database>,
  run: { projectId: string; ranAt: number; cutoff: number | null; caughtUp: boolean; removed: ExpiredRows },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const previous = await trx
      .selectFrom('retention_runs')
      .select('removed_total')
      .where('project_id', '=', run.projectId)
      .executeTakeFirst();
    const total = previous ? parseRows(previous.removed_total) : noExpiredRows();
    addExpiredRows(total, run.removed);
    const row = {
      ran_at: run.ranAt,
      cutoff: run.cutoff,
      caught_up: run.caughtUp ? 1 : 0,
      removed: JSON.stringify(run.removed),
      removed_total: JSON.stringify(total),
    };
    await trx
      .insertInto('retention_runs')
      .values({ project_id: run.projectId, ...row })
      .onConflict((oc) => oc.column('project_id').doUpdateSet(row))
      .execute();
  });
}

/** The project's last run, or null when none ran. */
async function lastRun(db: Kysely<Database>, projectId: string): Promise<RetentionRun | null> {
  const row = await db
    .selectFrom('retention_runs')
    .selectAll()
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    at: new Date(Number(row.ran_at)).toISOString(),
    cutoff: row.cutoff === null ? null : new Date(Number(row.cutoff)).toISOString(),
    caughtUp: Number(row.caught_up) === 1,
    removed: parseRows(row.removed),
    removedTotal: parseRows(row.removed_total),
  };
}

/** The project's retention, its customers kept apart and its last run. */
export async function getRetentionStatus(db: Kysely<Database>, projectId: string): Promise<RetentionStatus> {
  const settings = await db
    .selectFrom('project_settings')
    .select('settings')
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  const parsed = settings ? projectSettingsSchema.parse(JSON.parse(settings.settings)) : {};
  return {
    retentionDays: parsed.retentionDays ?? null,
    customers: await listCustomerRetention(db, projectId),
    lastRun: await lastRun(db, projectId),
  };
}
