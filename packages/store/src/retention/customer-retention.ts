/**
 * Customers kept for another number of days than their project (`customer_retention`): set, remove,
 * list. The project's own retention lives in its settings (`retentionDays`).
 */
import { type CustomerRetention, customerRetentionPatchSchema, idString } from '@sightline/core';
import type { Kysely } from 'kysely';
import { StoreError } from '../errors.ts';
import type { Database } from '../schema.ts';

/** Most customers of one project with an override of their own. */
export const MAX_CUSTOMER_OVERRIDES = 10_000;

/**
 * Keeps a customer's data `days` days (null removes the override); returns the override now in force
 * (null when removed). StoreError `invalid_request` for a bad id or number of days, or past
 * MAX_CUSTOMER_OVERRIDES.
 */
export async function setCustomerRetention(
  db: Kysely<Database>,
  change: { projectId: string; customerId: string; days: number | null },
): Promise<CustomerRetention | null> {
  const { projectId, customerId, days } = checkedChange(change);
  if (days === null) {
    await db
      .deleteFrom('customer_retention')
      .where('project_id', '=', projectId)
      .where('customer_id', '=', customerId)
      .execute();
    return null;
  }
  const row = { project_id: projectId, customer_id: customerId, days, updated_at: Date.now() };
  return db.transaction().execute(async (trx) => {
    const count = await trx
      .selectFrom('customer_retention')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('project_id', '=', projectId)
      .where('customer_id', '!=', customerId)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_CUSTOMER_OVERRIDES)
      throw new StoreError(
        'invalid_request',
        `customer retention: a project may keep at most ${MAX_CUSTOMER_OVERRIDES} customers apart`,
      );
    await trx
      .insertInto('customer_retention')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['project_id', 'customer_id']).doUpdateSet({ days, updated_at: row.updated_at }),
      )
      .execute();
    return { customerId, days, updatedAt: new Date(row.updated_at).toISOString() };
  });
}

/** The project's customers with an override, by customer id. */
export async function listCustomerRetention(
  db: Kysely<Database>,
  projectId: string,
): Promise<CustomerRetention[]> {
  const rows = await db
    .selectFrom('customer_retention')
    .select(['customer_id', 'days', 'updated_at'])
    .where('project_id', '=', projectId)
    .orderBy('customer_id')
    .execute();
  return rows.map((row) => ({
    customerId: row.customer_id,
    days: Number(row.days),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  }));
}

function checkedChange(change: { projectId: string; customerId: string; days: number | null }): {
  projectId: string;
  customerId: string;
  days: number | null;
} {
  const id = idString.safeParse(change.customerId);
  if (!id.success)
    throw new StoreError('invalid_request', `customerId: ${id.error.issues[0]?.message ?? 'invalid'}`);
  const patch = customerRetentionPatchSchema.safeParse({ days: change.days });
  if (!patch.success)
    throw new StoreError('invalid_request', `days: ${patch.error.issues[0]?.message ?? 'invalid'}`);
  return { projectId: change.projectId, customerId: id.data, days: patch.data.days };
}
