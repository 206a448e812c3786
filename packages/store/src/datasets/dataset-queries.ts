/** The reads datasets, their items and experiments share: rows with their counts, a dataset by id or name. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { DatasetRow } from './dataset-rows.ts';

type Db = Kysely<Database>;

/** The project's datasets with their counts of items and experiments. */
export function datasetsQuery(db: Db, projectId: string) {
  return db
    .selectFrom('datasets as d')
    .selectAll('d')
    .select((eb) => [
      eb
        .selectFrom('dataset_items as i')
        .select(eb.fn.countAll().as('n'))
        .whereRef('i.project_id', '=', 'd.project_id')
        .whereRef('i.dataset_id', '=', 'd.id')
        .as('item_count'),
      eb
        .selectFrom('experiments as e')
        .select(eb.fn.countAll().as('n'))
        .whereRef('e.project_id', '=', 'd.project_id')
        .whereRef('e.dataset_id', '=', 'd.id')
        .as('experiment_count'),
    ])
    .where('d.project_id', '=', projectId);
}

/** A dataset by id, else by exact name; null when the project has neither. */
export async function findDataset(db: Db, projectId: string, idOrName: string): Promise<DatasetRow | null> {
  const byId = await datasetsQuery(db, projectId).where('d.id', '=', idOrName).executeTakeFirst();
  if (byId) return byId as DatasetRow;
  const byName = await datasetsQuery(db, projectId).where('d.name', '=', idOrName).executeTakeFirst();
  return (byName as DatasetRow | undefined) ?? null;
}

/** The project's experiments with their counts of items (alias `x`). */
export function experimentsQuery(db: Db, projectId: string) {
  return db
    .selectFrom('experiments as x')
    .selectAll('x')
    .select((eb) =>
      eb
        .selectFrom('experiment_items as xi')
        .select(eb.fn.countAll().as('n'))
        .whereRef('xi.project_id', '=', 'x.project_id')
        .whereRef('xi.experiment_id', '=', 'x.id')
        .as('item_count'),
    )
    .where('x.project_id', '=', projectId);
}

/** Marks a dataset changed (an item or an experiment added or removed). */
export async function touchDataset(db: Db, projectId: string, datasetId: string): Promise<void> {
  await db
    .updateTable('datasets')
    .set({ updated_at: Date.now() })
    .where('project_id', '=', projectId)
    .where('id', '=', datasetId)
    .execute();
}
