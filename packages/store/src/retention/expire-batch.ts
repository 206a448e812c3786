/**
 * One expiry batch, in one transaction: up to `limit` conversations of a target (retention-policy.ts)
 * whose last activity is before its cutoff, oldest first, go as an erasure takes them
 * (conversation-erasure.ts): their rows, what they counted in every rollup (taken out exactly), the
 * customer's activity and totals as far as they came from them (a customer left with no conversation
 * loses their activity, usage per day and totals row).
 *
 * Locks (PostgreSQL): the batch's conversations are locked as appends lock them (at most 128, so the
 * project's lock is only ever taken shared, as appends take it: expiry never holds ingest of other
 * conversations), then read again: one an append made active meanwhile stays. Rollups are written last,
 * in the order appends write them, so expiry cannot deadlock with an append. Before those, a batch
 * takes the project's expiry lock (its own lock space, which appends never take): collectors running
 * expiry at once take turns by batch, so two batches never split one customer's last conversations
 * between them (each would see the other's, and leave the customer's rows behind).
 */
import type { ExpiredRows } from '@sightline/core';
import { noExpiredRows } from '@sightline/core';
import { CompiledQuery, type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { DialectAdapter } from '../dialect.ts';
import type { ConversationRow, Database } from '../schema.ts';
import { lockConversations } from '../writer/conversation-locks.ts';
import {
  eraseAllActivity,
  eraseCustomerRows,
  eraseLoneActivity,
  narrowSeen,
} from '../writer/customer-erasure.ts';
import { deleteConversationRows, noDeletedRows } from '../writer/erase-rows.ts';
import { addErasedFootprint } from '../writer/erasure-footprint.ts';
import { applyRollupChanges } from '../writer/rollup-changes.ts';
import { RollupFootprint } from '../writer/rollup-footprint.ts';
import type { ExpiryTarget } from './retention-policy.ts';

/** Advisory lock namespace of a project's expiry ("slrt"). */
const EXPIRY_LOCK_SPACE = 0x736c7274;

/** Most conversations one batch takes: PostgreSQL appends lock up to 128 one by one. */
export const MAX_EXPIRY_BATCH = 128;

type Ctx = { db: Kysely<Database>; adapter: DialectAdapter };
type Trx = Transaction<Database>;

/** What a batch removed, and how many conversations it found past the window (before locking). */
export interface ExpiryBatchOutcome {
  removed: ExpiredRows;
  /** Conversations found past the window; fewer than the limit: the target is done. */
  found: number;
}

/** The condition a target's expired conversations meet (on `conversations`). */
function targetCondition(projectId: string, target: ExpiryTarget): RawBuilder<boolean> {
  const base = sql<boolean>`project_id = ${projectId} and last_activity_at < ${target.cutoff}`;
  if (target.kind === 'customer') return sql<boolean>`${base} and customer_id = ${target.customerId}`;
  return sql<boolean>`${base} and (customer_id is null or customer_id not in
    (select customer_id from customer_retention where project_id = ${projectId}))`;
}

/** Expires one batch of a target's conversations (see the file comment). */
export async function expireBatch(
  ctx: Ctx,
  options: { projectId: string; target: ExpiryTarget; limit: number },
): Promise<ExpiryBatchOutcome> {
  const { projectId, target } = options;
  const limit = Math.max(1, Math.min(options.limit, MAX_EXPIRY_BATCH));
  const where = targetCondition(projectId, target);
  return ctx.db.transaction().execute(async (trx) => {
    const found = (
      await sql<{ id: string }>`select id from conversations where ${where}
        order by last_activity_at, id limit ${limit}`.execute(trx)
    ).rows.map((row) => row.id);
    if (found.length === 0) return { removed: noExpiredRows(), found: 0 };
    if (ctx.adapter.name === 'postgres') {
      await lockExpiry(trx, projectId);
      await lockConversations(trx, projectId, found);
    }
    const rows = await trx
      .selectFrom('conversations')
      .selectAll()
      .where('id', 'in', found)
      .where(where)
      .orderBy('id')
      .execute();
    const removed = await expireRows({ ...ctx, trx }, { projectId, rows });
    return { removed, found: found.length };
  });
}

/** Removes the conversations `rows` (locked) and what they counted. */
async function expireRows(
  ctx: Ctx & { trx: Trx },
  options: { projectId: string; rows: ConversationRow[] },
): Promise<ExpiredRows> {
  const { trx, adapter } = ctx;
  const { projectId, rows } = options;
  const removed = noExpiredRows();
  if (rows.length === 0) return removed;
  const ids = rows.map((row) => row.id);
  const keeping = await customersKeepingOthers(trx, { projectId, rows, ids });
  const footprint = new RollupFootprint();
  const kept = rows.filter((row) => row.customer_id !== null && keeping.has(row.customer_id));
  const rest = rows.filter((row) => !kept.includes(row));
  const times = await footprintOf(trx, { projectId, conversations: kept, footprint, countCustomer: true });
  await footprintOf(trx, { projectId, conversations: rest, footprint, countCustomer: false });
  const deleted = noDeletedRows();
  await deleteConversationRows(trx, { adapter, projectId, ids, deleted });
  Object.assign(removed, deleted);
  for (const [key, group] of groupBy(kept, (row) => `${row.customer_id}\u0000${row.environment}`)) {
    const [customerId = '', environment = ''] = key.split('\u0000');
    const at = group.flatMap((row) => times.get(row.id) ?? []);
    removed.customerActivity += await eraseLoneActivity(trx, {
      projectId,
      customerId,
      environment,
      times: at,
      footprint,
    });
  }
  const gone = [...new Set(rest.flatMap((row) => (row.customer_id === null ? [] : [row.customer_id])))];
  for (const customerId of gone)
    removed.customerActivity += await eraseAllActivity(trx, { projectId, customerId, footprint });
  await applyRollupChanges({ db: trx, adapter }, projectId, [{ footprint, sign: -1 }]);
  for (const customerId of keeping) await narrowSeen(trx, { projectId, customerId });
  for (const customerId of gone) {
    const totals = await eraseCustomerRows(trx, { projectId, customerId });
    removed.customers += totals.customers;
    removed.customerDays += totals.customerDays;
  }
  return removed;
}

/** The project's expiry lock (PostgreSQL, until commit; see the file comment). */
async function lockExpiry(trx: Trx, projectId: string): Promise<void> {
  await trx.executeQuery(
    CompiledQuery.raw('select pg_advisory_xact_lock($1, hashtext($2))', [EXPIRY_LOCK_SPACE, projectId]),
  );
}

/** addErasedFootprint, for none too (an empty `in ()` is no PostgreSQL). */
async function footprintOf(
  trx: Trx,
  options: Parameters<typeof addErasedFootprint>[1],
): Promise<Map<string, number[]>> {
  if (options.conversations.length === 0) return new Map();
  return addErasedFootprint(trx, options);
}

/** The batch's customers who have a conversation outside it. */
async function customersKeepingOthers(
  trx: Trx,
  options: { projectId: string; rows: ConversationRow[]; ids: string[] },
): Promise<Set<string>> {
  const customers = [
    ...new Set(options.rows.flatMap((row) => (row.customer_id === null ? [] : [row.customer_id]))),
  ];
  if (customers.length === 0) return new Set();
  const others = await trx
    .selectFrom('conversations')
    .select('customer_id')
    .distinct()
    .where('project_id', '=', options.projectId)
    .where('customer_id', 'in', customers)
    .where('id', 'not in', options.ids)
    .execute();
  return new Set(others.flatMap((row) => (row.customer_id === null ? [] : [row.customer_id])));
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
