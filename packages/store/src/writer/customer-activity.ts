/**
 * Recording that a customer was active in an environment at some times, as an append does for each
 * event of a conversation with a customer: one customer_activity row per hour and per day, and each
 * row that is new counts the customer once more in that hour's / day's distinct customers. A merge
 * records it for rows that now belong to another customer or environment.
 */
import type { Kysely } from 'kysely';
import { dayBucket, hourBucket } from '../buckets.ts';
import type { DialectAdapter } from '../dialect.ts';
import type { Database } from '../schema.ts';
import { bulkInsert } from './bulk-insert.ts';
import type { RollupFootprint } from './rollup-footprint.ts';

export interface Activity {
  environment: string;
  customerId: string;
  times: readonly number[];
}

interface ActivityRow {
  environment: string;
  granularity: 'h' | 'd';
  bucket: number;
}

/**
 * Inserts the activity rows not yet recorded; adds the new ones to `footprint`'s distinct-customer
 * counts and the times to its customer's seen range, for `applyRollupChanges` to write.
 */
export async function recordActivity(
  ctx: { db: Kysely<Database>; adapter: DialectAdapter },
  options: { projectId: string; activity: Activity; footprint: RollupFootprint },
): Promise<void> {
  const { projectId, activity, footprint } = options;
  if (activity.times.length === 0) return;
  const rows = new Map<string, Record<string, string | number>>();
  for (const at of activity.times) {
    footprint.saw(activity.customerId, at);
    for (const [granularity, bucket] of [
      ['h', hourBucket(at)],
      ['d', dayBucket(at)],
    ] as const) {
      const row = { project_id: projectId, environment: activity.environment, granularity, bucket };
      rows.set(`${granularity}\u0000${bucket}`, { ...row, customer_id: activity.customerId });
    }
  }
  const key = ['project_id', 'environment', 'granularity', 'bucket', 'customer_id'];
  const inserted = await bulkInsert<ActivityRow>(ctx.db, ctx.adapter, {
    table: 'customer_activity',
    columns: key,
    rows: [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, row]) => row),
    key,
    returning: ['environment', 'granularity', 'bucket'],
  });
  for (const row of inserted) {
    const counts = row.granularity === 'h' ? footprint.hourlyCustomers : footprint.dailyCustomers;
    counts.add({ environment: row.environment, bucket: Number(row.bucket) }, { customers: 1 });
  }
}
