/**
 * Experiments: one replay of a dataset (a name unique in its dataset), and its items, each linking a
 * dataset item to the conversation the replay made and how it ended (upserted, so a retried replay
 * records each item once).
 */
import {
  type Experiment,
  type ExperimentCreate,
  type ExperimentDetail,
  type ExperimentItem,
  type ExperimentItemPut,
  experimentCreateSchema,
  experimentItemPutSchema,
  newId,
} from '@sightline/core';
import type { Kysely } from 'kysely';
import { StoreError } from '../errors.ts';
import type { Database } from '../schema.ts';
import { experimentsQuery, findDataset, touchDataset } from './dataset-queries.ts';
import { checked, type ExperimentRow, toExperiment, toExperimentItem } from './dataset-rows.ts';

type Db = Kysely<Database>;

function notFound(path: string, message: string): StoreError {
  return new StoreError('not_found', `${path}: ${message}`, { issues: [{ path, message }] });
}

/**
 * Creates an experiment of a dataset (by id or exact name). StoreError `not_found` naming `datasetId`
 * for an unknown dataset, `conflict` naming `name` when the dataset has an experiment of that name.
 */
export async function createExperiment(
  db: Db,
  projectId: string,
  input: ExperimentCreate,
): Promise<Experiment> {
  const body = checked(experimentCreateSchema, input);
  return db.transaction().execute(async (trx) => {
    const dataset = await findDataset(trx, projectId, body.datasetId);
    if (!dataset) throw notFound('datasetId', 'no such dataset in this project');
    const row = {
      project_id: projectId,
      id: newId(),
      dataset_id: dataset.id,
      name: body.name,
      agent: body.agent ?? null,
      agent_version: body.agentVersion ?? null,
      created_at: Date.now(),
    };
    const inserted = await trx
      .insertInto('experiments')
      .values(row)
      .onConflict((oc) => oc.columns(['project_id', 'dataset_id', 'name']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted)
      throw new StoreError(
        'conflict',
        `name: the dataset has an experiment named ${JSON.stringify(body.name)}`,
        {
          issues: [{ path: 'name', message: 'the dataset has an experiment of this name' }],
        },
      );
    await touchDataset(trx, projectId, dataset.id);
    return toExperiment({ ...row, item_count: 0 });
  });
}

/** An experiment's row; null when the project has no such experiment. */
export async function findExperiment(db: Db, projectId: string, id: string): Promise<ExperimentRow | null> {
  const row = await experimentsQuery(db, projectId).where('x.id', '=', id).executeTakeFirst();
  return (row as ExperimentRow | undefined) ?? null;
}

/** An experiment with its items (in the dataset's item order); null when unknown. */
export async function getExperiment(db: Db, projectId: string, id: string): Promise<ExperimentDetail | null> {
  const row = await findExperiment(db, projectId, id);
  if (!row) return null;
  const items = await db
    .selectFrom('experiment_items')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('experiment_id', '=', id)
    .orderBy('item_id')
    .execute();
  return { experiment: toExperiment(row), items: items.map(toExperimentItem) };
}

/**
 * Records (or replaces) what an experiment made of one item of its dataset. StoreError `not_found`
 * naming `experimentId`, `itemId` or `conversationId` when the project has no such one (the item must
 * be of the experiment's dataset).
 */
export async function putExperimentItem(
  db: Db,
  projectId: string,
  input: ExperimentItemPut & { experimentId: string; itemId: string },
): Promise<ExperimentItem> {
  const body = checked(experimentItemPutSchema, {
    conversationId: input.conversationId,
    status: input.status,
  });
  return db.transaction().execute(async (trx) => {
    const experiment = await trx
      .selectFrom('experiments')
      .select('dataset_id')
      .where('project_id', '=', projectId)
      .where('id', '=', input.experimentId)
      .executeTakeFirst();
    if (!experiment) throw notFound('experimentId', 'no such experiment in this project');
    const item = await trx
      .selectFrom('dataset_items')
      .select('id')
      .where('project_id', '=', projectId)
      .where('dataset_id', '=', experiment.dataset_id)
      .where('id', '=', input.itemId)
      .executeTakeFirst();
    if (!item) throw notFound('itemId', "no such item in the experiment's dataset");
    const conversation = await trx
      .selectFrom('conversations')
      .select('id')
      .where('project_id', '=', projectId)
      .where('id', '=', body.conversationId)
      .executeTakeFirst();
    if (!conversation) throw notFound('conversationId', 'no such conversation in this project');
    const row = {
      project_id: projectId,
      experiment_id: input.experimentId,
      item_id: input.itemId,
      conversation_id: body.conversationId,
      status: body.status,
      updated_at: Date.now(),
    };
    await trx
      .insertInto('experiment_items')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['project_id', 'experiment_id', 'item_id']).doUpdateSet({
          conversation_id: row.conversation_id,
          status: row.status,
          updated_at: row.updated_at,
        }),
      )
      .execute();
    await touchDataset(trx, projectId, experiment.dataset_id);
    return toExperimentItem(row);
  });
}
