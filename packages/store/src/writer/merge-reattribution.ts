/**
 * When `from` is merged into an `into` of another environment, or `into` has a customer and `from` had
 * none, what `from`'s rows counted is counted again as appending them to `into` would have: out of
 * `from`'s environment into `into`'s, and for `into`'s customer (usage per day and in all, active hours
 * and days, first / last seen). A customer `from` had keeps its usage (per-customer totals have no
 * environment); it is recorded active in `into`'s environment too.
 */
import type { ConversationsTable } from '../schema.ts';
import { type CountedRows, readCountedRows } from './counted-rows.ts';
import { recordActivity } from './customer-activity.ts';
import type { RowMerge } from './merge-rows.ts';
import type { RollupChange } from './rollup-changes.ts';
import { RollupFootprint } from './rollup-footprint.ts';

type Pair = { from: ConversationsTable; into: ConversationsTable };

/** Whether `from`'s rows count differently once in `into` (see the file comment). */
export function needsReattribution({ from, into }: Pair): boolean {
  return from.environment !== into.environment || (from.customer_id === null && into.customer_id !== null);
}

/** The changes re-counting `from`'s remaining rows under `into` (call before they move). */
export async function reattribution(merge: RowMerge, pair: Pair): Promise<RollupChange[]> {
  const { from, into } = pair;
  const rows = await readCountedRows(merge.trx, { projectId: merge.projectId, id: merge.from });
  const leaving = new RollupFootprint();
  const arriving = new RollupFootprint();
  leaving.rows({ environment: from.environment, customerId: null }, rows);
  const newCustomer = from.customer_id === null ? into.customer_id : null;
  arriving.rows({ environment: into.environment, customerId: newCustomer }, rows);
  const customerId = from.customer_id ?? into.customer_id;
  if (customerId !== null) {
    await recordActivity(
      { db: merge.trx, adapter: merge.adapter },
      {
        projectId: merge.projectId,
        activity: { environment: into.environment, customerId, times: activityTimes(from, rows) },
        footprint: arriving,
      },
    );
  }
  return [
    { footprint: leaving, sign: -1 },
    { footprint: arriving, sign: 1 },
  ];
}

/** When `from` saw activity: its start and last activity, and its rows' times. */
function activityTimes(from: ConversationsTable, rows: CountedRows): number[] {
  return [
    Number(from.started_at),
    Number(from.last_activity_at),
    ...rows.messages.map((message) => Number(message.timestamp)),
    ...rows.steps.map((step) => Number(step.started_at)),
    ...rows.feedback.map((feedback) => Number(feedback.timestamp)),
  ];
}
