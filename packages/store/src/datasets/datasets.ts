/**
 * Datasets: create (a name unique in the project), list (newest first), read one with its items and
 * experiments (by id or exact name), delete with everything in it.
 */
import {
  type Dataset,
  type DatasetCreate,
  type DatasetDetail,
  datasetCreateSchema,
  newId,
} from '@sightline/core';
import type { Kysely } from 'kysely';
import { StoreError } from '../errors.ts';
import type { Database } from '../schema.ts';
import { datasetsQuery, experimentsQuery, findDataset } from './dataset-queries.ts';
import { checked, type DatasetRow, toDataset, toDatasetItem, toExperiment } from './dataset-rows.ts';

type Db = Kysely<Database>;

/** Creates a dataset; StoreError `conflict` when the project has one of that name. */
export async function createDataset(db: Db, projectId: string, input: DatasetCreate): Promise<Dataset> {
  const body = checked(datasetCreateSchema, input);
  const now = Date.now();
  const row = {
    project_id: projectId,
    id: newId(),
    name: body.name,
    description: body.description ?? null,
    created_at: now,
    updated_at: now,
  };
  const inserted = await db
    .insertInto('datasets')
    .values(row)
    .onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted)
    throw new StoreError('conflict', `name: a dataset named ${JSON.stringify(body.name)} exists`, {
      issues: [{ path: 'name', message: 'a dataset of this name exists in the project' }],
    });
  return toDataset({ ...row, item_count: 0, experiment_count: 0 });
}

/** The project's datasets, most recently created first. */
export async function listDatasets(db: Db, projectId: string): Promise<Dataset[]> {
  const rows = await datasetsQuery(db, projectId)
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id', 'desc')
    .execute();
  return rows.map((row) => toDataset(row as DatasetRow));
}

/** A dataset (by id or exact name) with its items (oldest first) and experiments (newest first). */
export async function getDataset(db: Db, projectId: string, idOrName: string): Promise<DatasetDetail | null> {
  const row = await findDataset(db, projectId, idOrName);
  if (!row) return null;
  const [items, experiments] = await Promise.all([
    db
      .selectFrom('dataset_items')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('dataset_id', '=', row.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    experimentsQuery(db, projectId)
      .where('x.dataset_id', '=', row.id)
      .orderBy('x.created_at', 'desc')
      .orderBy('x.id', 'desc')
      .execute(),
  ]);
  return {
    dataset: toDataset(row),
    items: items.map(toDatasetItem),
    experiments: experiments.map(toExperiment),
  };
}

/** Deletes a dataset (by id or exact name), its items, experiments and their items; null when unknown. */
export async function deleteDataset(
  db: Db,
  projectId: string,
  idOrName: string,
): Promise<{ items: number; experiments: number } | null> {
  return db.transaction().execute(async (trx) => {
    const row = await findDataset(trx, projectId, idOrName);
    if (!row) return null;
    const experiments = trx
      .selectFrom('experiments')
      .select('id')
      .where('project_id', '=', projectId)
      .where('dataset_id', '=', row.id);
    await trx
      .deleteFrom('experiment_items')
      .where('project_id', '=', projectId)
      .where('experiment_id', 'in', experiments)
      .execute();
    const gone = await trx
      .deleteFrom('experiments')
      .where('project_id', '=', projectId)
      .where('dataset_id', '=', row.id)
      .executeTakeFirst();
    const items = await trx
      .deleteFrom('dataset_items')
      .where('project_id', '=', projectId)
      .where('dataset_id', '=', row.id)
      .executeTakeFirst();
    await trx.deleteFrom('datasets').where('project_id', '=', projectId).where('id', '=', row.id).execute();
    return { items: Number(items.numDeletedRows), experiments: Number(gone.numDeletedRows) };
  });
}
