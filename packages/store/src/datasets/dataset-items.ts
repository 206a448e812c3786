/**
 * Dataset items: conversations taken into a dataset as their human turns and the answers given then
 * (core's `turnsOf`, as the CLI takes them), once per dataset and source conversation; and an item
 * removed with what experiments made of it.
 */
import {
  type DatasetItemsAdded,
  type DatasetSkipReason,
  type DatasetTurn,
  idString,
  newId,
  toIso,
  turnsOf,
} from '@sightline/core';
import type { Insertable, Kysely } from 'kysely';
import { StoreError } from '../errors.ts';
import type { Database, DatasetItemsTable } from '../schema.ts';
import { findDataset, touchDataset } from './dataset-queries.ts';
import { checked, toDatasetItem } from './dataset-rows.ts';

type Db = Kysely<Database>;

/** Conversations read per query when taking their turns. */
const CHUNK = 200;
/** Most conversations one call takes. */
const MAX_IDS = 1_000;

/** The turns of each of `ids` that the project has (absent: no such conversation). */
async function readTurns(db: Db, projectId: string, ids: string[]): Promise<Map<string, DatasetTurn[]>> {
  const turns = new Map<string, DatasetTurn[]>();
  for (let at = 0; at < ids.length; at += CHUNK) {
    const chunk = ids.slice(at, at + CHUNK);
    const [found, messages] = await Promise.all([
      db
        .selectFrom('conversations')
        .select('id')
        .where('project_id', '=', projectId)
        .where('id', 'in', chunk)
        .execute(),
      db
        .selectFrom('messages')
        .select(['conversation_id', 'role', 'content', 'timestamp'])
        .where('project_id', '=', projectId)
        .where('conversation_id', 'in', chunk)
        .orderBy('conversation_id')
        .orderBy('timestamp')
        .orderBy('id')
        .execute(),
    ]);
    const byConversation = new Map<string, typeof messages>();
    for (const message of messages) {
      const list = byConversation.get(message.conversation_id) ?? [];
      list.push(message);
      byConversation.set(message.conversation_id, list);
    }
    for (const { id } of found) {
      const list = (byConversation.get(id) ?? []).map((m) => ({
        role: m.role as 'human' | 'agent' | 'system',
        content: m.content,
        timestamp: toIso(Number(m.timestamp)),
      }));
      turns.set(id, turnsOf({ messages: list }));
    }
  }
  return turns;
}

/**
 * Adds conversations to a dataset (by id or exact name), in the order given: each as an item of its
 * turns, unless it is in the dataset already, has no human turn or does not exist (then skipped, with
 * the reason). Null when the project has no such dataset. StoreError `invalid_request` naming
 * `conversationIds` for a bad id or more than 1,000.
 */
export async function addDatasetItems(
  db: Db,
  projectId: string,
  options: { dataset: string; conversationIds: readonly string[] },
): Promise<DatasetItemsAdded | null> {
  if (options.conversationIds.length > MAX_IDS)
    throw new StoreError('invalid_request', `conversationIds: must name at most ${MAX_IDS} conversations`, {
      issues: [{ path: 'conversationIds', message: `must name at most ${MAX_IDS} conversations` }],
    });
  const ids = [...new Set(options.conversationIds.map((id, i) => checkedId(id, i)))];
  const dataset = await findDataset(db, projectId, options.dataset);
  if (!dataset) return null;
  const turns = await readTurns(db, projectId, ids);
  const skipped: DatasetItemsAdded['skipped'] = [];
  const skip = (conversationId: string, reason: DatasetSkipReason) =>
    skipped.push({ conversationId, reason });
  const rows: Array<Insertable<DatasetItemsTable> & { source_conversation_id: string; id: string }> = [];
  const now = Date.now();
  for (const id of ids) {
    const taken = turns.get(id);
    if (!taken) skip(id, 'not_found');
    else if (taken.length === 0) skip(id, 'no_human_turn');
    else
      rows.push({
        project_id: projectId,
        dataset_id: dataset.id,
        id: newId(),
        source_conversation_id: id,
        turns: JSON.stringify(taken),
        created_at: now,
      });
  }
  const added = await db.transaction().execute(async (trx) => {
    const inserted = new Set<string>();
    for (const row of rows) {
      const done = await trx
        .insertInto('dataset_items')
        .values(row)
        .onConflict((oc) => oc.columns(['project_id', 'dataset_id', 'source_conversation_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (done) inserted.add(row.id);
      else skip(row.source_conversation_id, 'already_in_dataset');
    }
    if (inserted.size > 0) await touchDataset(trx, projectId, dataset.id);
    return rows.filter((row) => inserted.has(row.id));
  });
  const order = new Map(ids.map((id, index) => [id, index]));
  skipped.sort((a, b) => (order.get(a.conversationId) ?? 0) - (order.get(b.conversationId) ?? 0));
  return { added: added.map(toDatasetItem), skipped };
}

function checkedId(id: string, index: number): string {
  try {
    return checked(idString, id);
  } catch (error) {
    const issue = (error as StoreError).issues[0];
    const path = `conversationIds.${index}`;
    throw new StoreError('invalid_request', `${path}: ${issue?.message}`, {
      issues: [{ path, message: issue?.message ?? 'invalid' }],
    });
  }
}

/**
 * Removes an item from a dataset (by id or exact name), with what experiments made of it; false when
 * the dataset has no such item.
 */
export async function deleteDatasetItem(
  db: Db,
  projectId: string,
  options: { dataset: string; itemId: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const dataset = await findDataset(trx, projectId, options.dataset);
    if (!dataset) return false;
    const gone = await trx
      .deleteFrom('dataset_items')
      .where('project_id', '=', projectId)
      .where('dataset_id', '=', dataset.id)
      .where('id', '=', options.itemId)
      .executeTakeFirst();
    if (Number(gone.numDeletedRows) === 0) return false;
    await trx
      .deleteFrom('experiment_items')
      .where('project_id', '=', projectId)
      .where('item_id', '=', options.itemId)
      .where(
        'experiment_id',
        'in',
        trx
          .selectFrom('experiments')
          .select('id')
          .where('project_id', '=', projectId)
          .where('dataset_id', '=', dataset.id),
      )
      .execute();
    await touchDataset(trx, projectId, dataset.id);
    return true;
  });
}
