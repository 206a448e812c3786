/**
 * Erasing a conversation, or a customer with all their conversations (right to erasure), in one
 * transaction: the rows go (erase-rows.ts), what they counted is taken out of the rollups exactly
 * (erasure-footprint.ts, applied with rollup-changes.ts as a merge takes out what it removes), the
 * customer's activity and totals follow (customer-erasure.ts), and the ingestion page's samples naming
 * them go (rejection-erasure.ts). Idempotent: erasing again finds nothing and removes nothing.
 *
 * Locks (PostgreSQL): a conversation is locked as appends lock it, so an append to it queues behind
 * the erasure; a customer's erasure takes the project's writers' lock exclusively, since any append
 * could add a conversation of theirs (appends to the project wait for the commit). SQLite serializes
 * writers anyway.
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
import { type DatasetRowsErased, eraseDatasetRows, noDatasetRowsErased } from './dataset-erasure.ts';
import { type DeletedRows, deleteConversationRows, noDeletedRows } from './erase-rows.ts';
import { addErasedFootprint, ERASE_CHUNK } from './erasure-footprint.ts';
import { eraseRejectionSamples } from './rejection-erasure.ts';
import { applyRollupChanges } from './rollup-changes.ts';
import { RollupFootprint } from './rollup-footprint.ts';

type Ctx = { db: Kysely<Database>; adapter: DialectAdapter };

/** What an erasure removed, and the conversations it erased. */
export interface ErasureOutcome {
  removed: ErasedRows;
  /** Ids of the conversations erased (none when nothing was left to erase). */
  conversationIds: string[];
  /** Dataset items taken from the erased conversations and experiment items pointing at them. */
  datasets: DatasetRowsErased;
}

function outcome(
  deleted: DeletedRows,
  rest: Partial<ErasedRows>,
  done: { ids: string[]; datasets: DatasetRowsErased },
): ErasureOutcome {
  const removed: ErasedRows = {
    ...deleted,
    ingestRejections: 0,
    customers: 0,
    customerDays: 0,
    customerActivity: 0,
    ...rest,
  };
  return { removed, conversationIds: done.ids, datasets: done.datasets };
}

/** Erases one conversation of a project (see the file comment). */
export async function eraseConversation(ctx: Ctx, projectId: string, id: string): Promise<ErasureOutcome> {
  return ctx.db.transaction().execute(async (trx) => {
    if (ctx.adapter.name === 'postgres') await lockConversations(trx, projectId, [id]);
    const rest: Partial<ErasedRows> = {};
    const deleted = noDeletedRows();
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
      await deleteConversationRows(trx, { adapter: ctx.adapter, projectId, ids: [id], deleted });
      if (customer !== null && others) {
        const activity = { ...customer, environment: row.environment, times: times.get(id) ?? [] };
        rest.customerActivity = await eraseLoneActivity(trx, { ...activity, footprint });
      } else if (customer !== null) {
        rest.customerActivity = await eraseAllActivity(trx, { ...customer, footprint });
      }
      await applyRollupChanges({ db: trx, adapter: ctx.adapter }, projectId, [{ footprint, sign: -1 }]);
      if (customer !== null && others) await narrowSeen(trx, customer);
      else if (customer !== null) Object.assign(rest, await eraseCustomerRows(trx, customer));
    } else {
      await deleteConversationRows(trx, { adapter: ctx.adapter, projectId, ids: [id], deleted });
    }
    rest.ingestRejections = await eraseRejectionSamples(trx, { projectId, ids: new Set([id]) });
    const datasets = noDatasetRowsErased();
    await eraseDatasetRows(trx, { projectId, ids: [id], erased: datasets });
    return outcome(deleted, rest, { ids: row ? [id] : [], datasets });
  });
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
    const customer = { projectId, customerId };
    const footprint = new RollupFootprint();
    const deleted = noDeletedRows();
    const datasets = noDatasetRowsErased();
    const ids: string[] = [];
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
      await deleteConversationRows(trx, { adapter: ctx.adapter, projectId, ids: chunk, deleted });
      await eraseDatasetRows(trx, { projectId, ids: chunk, erased: datasets });
      ids.push(...chunk);
    }
    const customerActivity = await eraseAllActivity(trx, { ...customer, footprint });
    await applyRollupChanges({ db: trx, adapter: ctx.adapter }, projectId, [{ footprint, sign: -1 }]);
    const totals = await eraseCustomerRows(trx, customer);
    const named = new Set([...ids, customerId]);
    const ingestRejections = await eraseRejectionSamples(trx, { projectId, ids: named });
    return outcome(deleted, { ...totals, customerActivity, ingestRejections }, { ids, datasets });
  });
}
