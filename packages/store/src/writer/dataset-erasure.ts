/**
 * What erasing conversations takes out of datasets: the dataset items taken from them (curated
 * copies of their turns) and the experiment items pointing at them (with what experiments made of
 * those dataset items). Retention does not call this: expiry leaves dataset items, which are kept
 * until erased or deleted (store README, Retention).
 */
import type { Transaction } from 'kysely';
import type { Database } from '../schema.ts';

/** Rows removed from datasets and experiments. */
export interface DatasetRowsErased {
  datasetItems: number;
  experimentItems: number;
}

/** Nothing removed from datasets yet. */
export function noDatasetRowsErased(): DatasetRowsErased {
  return { datasetItems: 0, experimentItems: 0 };
}

/** Deletes dataset and experiment items of a chunk of erased conversations; adds the counts to `erased`. */
export async function eraseDatasetRows(
  trx: Transaction<Database>,
  options: { projectId: string; ids: string[]; erased: DatasetRowsErased },
): Promise<void> {
  const { projectId, ids, erased } = options;
  if (ids.length === 0) return;
  const items = await trx
    .selectFrom('dataset_items')
    .select(['dataset_id', 'id'])
    .where('project_id', '=', projectId)
    .where('source_conversation_id', 'in', ids)
    .execute();
  if (items.length > 0) {
    const itemIds = items.map((item) => item.id);
    // What experiments made of the erased items goes with them (item ids are unique in a project).
    const replays = await trx
      .deleteFrom('experiment_items')
      .where('project_id', '=', projectId)
      .where('item_id', 'in', itemIds)
      .executeTakeFirst();
    erased.experimentItems += Number(replays.numDeletedRows);
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
}
