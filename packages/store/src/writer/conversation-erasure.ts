/**
 * Erasing a conversation, or a customer with all their conversations (right to erasure), in one
 * transaction: the rows go (erase-rows.ts), what they counted is taken out of the rollups exactly
 * (erasure-footprint.ts, applied with rollup-changes.ts as a merge takes out what it removes), the
 * customer's activity and totals follow (customer-erasure.ts), and the ingestion page's samples naming
 * them go (rejection-erasure.ts). Idempotent: erasing again finds nothing and removes nothing.
 *
 * Replays: the dataset items taken from an erased conversation go (dataset-erasure.ts), and so do the
 * conversations experiments made of them (`experiment_items.conversation_id`): a replay sent the
 * erased person's human turns to an agent, so it holds their words. Each replay conversation is
 * erased in the same transaction exactly as if it were erased alone (it belongs to another customer,
 * the served user, whose activity and totals follow as for any of their conversations), and so in turn
 * are the replays of dataset items taken from it: the cascade follows only dataset item -> experiment
 * item -> conversation links, visits each conversation once, and so ends; every conversation it
 * reaches holds the same turns.
 *
 * Locks (PostgreSQL): a conversation is locked as appends lock it, so an append to it queues behind
 * the erasure, together with the replay conversations it will reach (read first, so that all are locked
 * in one statement in key order, as appends lock theirs); a customer's erasure takes the project's
 * writers' lock exclusively, since any append could add a conversation of theirs (appends to the
 * project wait for the commit). SQLite serializes writers anyway.
 *
 * Event ids stay recorded (`ingested_events`: random ids and receipt times, nothing of the content), as
 * tombstones: a tracker re-sending an event acknowledged before the erasure (a retry, a replayed spool)
 * is told `duplicate` and the event is not stored again. Events never stored before (new ids) are
 * stored: a conversation id is not blocked, so a conversation that goes on after its erasure starts
 * anew.
 */
import type { ErasedRows } from '@sightline/core';
import type { Kysely, Transaction } from 'kysely';
import type { DialectAdapter } from '../dialect.ts';
import type { Database } from '../schema.ts';
import { lockConversations, lockProject } from './conversation-locks.ts';
import { eraseAllActivity, eraseCustomerRows, eraseLoneActivity, narrowSeen } from './customer-erasure.ts';
import {
  type DatasetRowsErased,
  eraseDatasetRows,
  noDatasetRowsErased,
  replaysOf,
} from './dataset-erasure.ts';
import { deleteConversationRows, noDeletedRows } from './erase-rows.ts';
import { addErasedFootprint, ERASE_CHUNK } from './erasure-footprint.ts';
import { eraseRejectionSamples } from './rejection-erasure.ts';
import { applyRollupChanges } from './rollup-changes.ts';
import { RollupFootprint } from './rollup-footprint.ts';

type Ctx = { db: Kysely<Database>; adapter: DialectAdapter };

/** What an erasure removed, and the conversations it erased. */
export interface ErasureOutcome {
  removed: ErasedRows;
  /**
   * Ids of the conversations erased (none when nothing was left to erase), the replay conversations
   * erased with them included.
   */
  conversationIds: string[];
  /** Those of `conversationIds` erased as replay conversations (in the order erased). */
  replayConversationIds: string[];
  /** Dataset items taken from the erased conversations, experiment items, replay conversations erased. */
  datasets: DatasetRowsErased;
}

/** What an erasure's transaction has removed so far. */
interface Tally {
  removed: ErasedRows;
  datasets: DatasetRowsErased;
}

function noneRemoved(): Tally {
  const customerRows = { ingestRejections: 0, customers: 0, customerDays: 0, customerActivity: 0 };
  return { removed: { ...noDeletedRows(), ...customerRows }, datasets: noDatasetRowsErased() };
}

/** One erasure's transaction: where it adds up what goes. */
type Pass = { trx: Transaction<Database>; adapter: DialectAdapter; projectId: string; tally: Tally };

/** Erases one conversation of a project (see the file comment). */
export async function eraseConversation(ctx: Ctx, projectId: string, id: string): Promise<ErasureOutcome> {
  return ctx.db.transaction().execute(async (trx) => {
    const pass: Pass = { trx, adapter: ctx.adapter, projectId, tally: noneRemoved() };
    const lock = ctx.adapter.name === 'postgres';
    if (lock) await lockConversations(trx, projectId, [id, ...(await replayClosure(pass, id))]);
    const { stored, replays } = await eraseOne(pass, id);
    const replayed = await eraseReplays(pass, { replays, erased: new Set([id]), lock });
    const ids = [...(stored ? [id] : []), ...replayed];
    return { ...pass.tally, conversationIds: ids, replayConversationIds: replayed };
  });
}

/**
 * Erases one conversation inside an erasure's transaction, its customer's activity and totals as for
 * the conversation alone; returns whether it was stored and its dataset items' replay conversations.
 */
async function eraseOne(pass: Pass, id: string): Promise<{ stored: boolean; replays: string[] }> {
  const { trx, adapter, projectId, tally } = pass;
  const { removed } = tally;
  const row = await trx
    .selectFrom('conversations')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (row) {
    const footprint = new RollupFootprint();
    const customerId = row.customer_id;
    const customer = customerId === null ? null : { projectId, customerId };
    const others = customer !== null && (await hasOthers(trx, { ...customer, id }));
    const times = await addErasedFootprint(trx, {
      projectId,
      conversations: [row],
      footprint,
      countCustomer: others,
    });
    await deleteConversationRows(trx, { adapter, projectId, ids: [id], deleted: removed });
    if (customer !== null && others) {
      const activity = { ...customer, environment: row.environment, times: times.get(id) ?? [] };
      removed.customerActivity += await eraseLoneActivity(trx, { ...activity, footprint });
    } else if (customer !== null) {
      removed.customerActivity += await eraseAllActivity(trx, { ...customer, footprint });
    }
    await applyRollupChanges({ db: trx, adapter }, projectId, [{ footprint, sign: -1 }]);
    if (customer !== null && others) await narrowSeen(trx, customer);
    else if (customer !== null) {
      const totals = await eraseCustomerRows(trx, customer);
      removed.customers += totals.customers;
      removed.customerDays += totals.customerDays;
    }
  } else {
    await deleteConversationRows(trx, { adapter, projectId, ids: [id], deleted: removed });
  }
  removed.ingestRejections += await eraseRejectionSamples(trx, { projectId, ids: new Set([id]) });
  const replays = await eraseDatasetRows(trx, { projectId, ids: [id], erased: tally.datasets });
  return { stored: row !== undefined, replays };
}

/**
 * Erases replay conversations one by one, and the replays of dataset items taken from them in turn,
 * skipping those `erased` names (and adding to it); `lock` locks each first (PostgreSQL: a lock the
 * transaction already holds is taken again at once). Returns the ids of those that were stored.
 */
async function eraseReplays(
  pass: Pass,
  options: { replays: string[]; erased: Set<string>; lock: boolean },
): Promise<string[]> {
  const { erased } = options;
  const queue = [...options.replays];
  const ids: string[] = [];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (erased.has(id)) continue;
    erased.add(id);
    if (options.lock) await lockConversations(pass.trx, pass.projectId, [id]);
    const { stored, replays } = await eraseOne(pass, id);
    if (stored) {
      ids.push(id);
      pass.tally.datasets.replayConversations += 1;
    }
    queue.push(...replays);
  }
  return ids;
}

/** The replay conversations erasing `id` will reach, read before anything is locked or deleted. */
async function replayClosure(pass: Pass, id: string): Promise<string[]> {
  const seen = new Set([id]);
  let frontier = [id];
  while (frontier.length > 0) {
    const next = await replaysOf(pass.trx, { projectId: pass.projectId, ids: frontier });
    frontier = next.filter((replay) => !seen.has(replay));
    for (const replay of frontier) seen.add(replay);
  }
  seen.delete(id);
  return [...seen];
}

/** Whether the customer has a conversation besides `id`. */
async function hasOthers(
  trx: Transaction<Database>,
  options: { projectId: string; customerId: string; id: string },
): Promise<boolean> {
  const row = await trx
    .selectFrom('conversations')
    .select('id')
    .where('project_id', '=', options.projectId)
    .where('customer_id', '=', options.customerId)
    .where('id', '<>', options.id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Erases a customer: every conversation of theirs, their activity and totals (see the file comment). */
export async function eraseCustomer(
  ctx: Ctx,
  projectId: string,
  customerId: string,
): Promise<ErasureOutcome> {
  return ctx.db.transaction().execute(async (trx) => {
    if (ctx.adapter.name === 'postgres') await lockProject(trx, projectId);
    const pass: Pass = { trx, adapter: ctx.adapter, projectId, tally: noneRemoved() };
    const { removed, datasets } = pass.tally;
    const customer = { projectId, customerId };
    const footprint = new RollupFootprint();
    const ids: string[] = [];
    const replays: string[] = [];
    for (;;) {
      const conversations = await trx
        .selectFrom('conversations')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('customer_id', '=', customerId)
        .orderBy('id')
        .limit(ERASE_CHUNK)
        .execute();
      if (conversations.length === 0) break;
      const chunk = conversations.map((row) => row.id);
      await addErasedFootprint(trx, { projectId, conversations, footprint, countCustomer: false });
      await deleteConversationRows(trx, { adapter: ctx.adapter, projectId, ids: chunk, deleted: removed });
      replays.push(...(await eraseDatasetRows(trx, { projectId, ids: chunk, erased: datasets })));
      ids.push(...chunk);
    }
    removed.customerActivity += await eraseAllActivity(trx, { ...customer, footprint });
    await applyRollupChanges({ db: trx, adapter: ctx.adapter }, projectId, [{ footprint, sign: -1 }]);
    const totals = await eraseCustomerRows(trx, customer);
    removed.customers += totals.customers;
    removed.customerDays += totals.customerDays;
    const named = new Set([...ids, customerId]);
    removed.ingestRejections += await eraseRejectionSamples(trx, { projectId, ids: named });
    // The project's lock is held: nothing more to lock. The customer's own replays went in the loop.
    const replayed = await eraseReplays(pass, { replays, erased: new Set(ids), lock: false });
    return { ...pass.tally, conversationIds: [...ids, ...replayed], replayConversationIds: replayed };
  });
}
