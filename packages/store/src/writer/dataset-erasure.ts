/**
 * What erasing conversations takes out of datasets: the dataset items taken from them (curated
 * copies of their turns), the experiment items of those dataset items, and the experiment items
 * pointing at them. The conversations those experiment items name (made by replaying the erased
 * person's turns to an agent) are handed back for the caller to erase too (conversation-erasure.ts).
 * Retention does not call this: expiry leaves dataset items, which are kept until erased or deleted
 * (store README, Retention).
 */
import type { Transaction } from 'kysely';
import type { Database } from '../schema.ts';

/** Rows removed from datasets and experiments, and the replay conversations erased with them. */
export interface DatasetRowsErased {
  datasetItems: number;
  experimentItems: number;
  /** Conversations a replay made of an erased dataset item (their rows are in `removed` too). */
  replayConversations: number;
}

/** Nothing removed from datasets yet. */
export function noDatasetRowsErased(): DatasetRowsErased {
  return { datasetItems: 0, experimentItems: 0, replayConversations: 0 };
}

/**
 * The conversations that experiments made of the dataset items taken from `ids` (read only: an
 * erasure plans its locks with it before erasing).
 */
export async function replaysOf(
  trx: Transaction<Database>,
  options: { projectId: string; ids: string[] },
): Promise<string[]> {
  if (options.ids.length === 0) return [];
  const rows = await trx
    .selectFrom('experiment_items as e')
    .innerJoin('dataset_items as d', (join) =>
      join.onRef('d.project_id', '=', 'e.project_id').onRef('d.id', '=', 'e.item_id'),
    )
    .select('e.conversation_id')
    .distinct()
    .where('e.project_id', '=', options.projectId)
    .where('d.source_conversation_id', 'in', options.ids)
    .orderBy('e.conversation_id')
    .execute();
  return rows.map((row) => row.conversation_id);
}

/**
 * Deletes dataset and experiment items of a chunk of erased conversations; adds the counts to
 * `erased`. Returns the conversations the deleted dataset items' experiment items named (the
 * replays, read as their rows go), for the caller to erase.
 */
export async function eraseDatasetRows(
  trx: Transaction<Database>,
  options: { projectId: string; ids: string[]; erased: DatasetRowsErased },
): Promise<string[]> {
  const { projectId, ids, erased } = options;
  if (ids.length === 0) return [];
  const items = await trx
    .selectFrom('dataset_items')
    .select(['dataset_id', 'id'])
    .where('project_id', '=', projectId)
    .where('source_conversation_id', 'in', ids)
    .execute();
  const replays = new Set<string>();
  if (items.length > 0) {
    const itemIds = items.map((item) => item.id);
    // What experiments made of the erased items goes with them (item ids are unique in a project).
    const made = await trx
      .deleteFrom('experiment_items')
      .where('project_id', '=', projectId)
      .where('item_id', 'in', itemIds)
      .returning('conversation_id')
      .execute();
    erased.experimentItems += made.length;
    for (const row of made) replays.add(row.conversation_id);
    const gone = await trx
      .deleteFrom('dataset_items')
      .where('project_id', '=', projectId)
      .where('id', 'in', itemIds)
      .executeTakeFirst();
    erased.datasetItems += Number(gone.numDeletedRows);
    await trx
      .updateTable('datasets')
      .set({ updated_at: Date.now() })
      .where('project_id', '=', projectId)
      .where('id', 'in', [...new Set(items.map((item) => item.dataset_id))])
      .execute();
  }
  const pointing = await trx
    .deleteFrom('experiment_items')
    .where('project_id', '=', projectId)
    .where('conversation_id', 'in', ids)
    .executeTakeFirst();
  erased.experimentItems += Number(pointing.numDeletedRows);
  return [...replays].sort();
}
