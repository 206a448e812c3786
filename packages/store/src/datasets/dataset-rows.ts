/**
 * Dataset and experiment rows as the API shows them, and the input checks the store makes itself
 * (core's schemas: a bad value is a StoreError `invalid_request` naming the field, never stored raw).
 */
import {
  type Dataset,
  type DatasetItem,
  type DatasetTurn,
  type Experiment,
  type ExperimentItem,
  toIso,
} from '@sightline/core';
import type { Selectable } from 'kysely';
import { StoreError } from '../errors.ts';
import type { DatasetItemsTable, DatasetsTable, ExperimentItemsTable, ExperimentsTable } from '../schema.ts';

/** A dataset row with its counts. */
export type DatasetRow = Selectable<DatasetsTable> & { item_count: unknown; experiment_count: unknown };
/** An experiment row with its count of items. */
export type ExperimentRow = Selectable<ExperimentsTable> & { item_count: unknown };

/** What the store needs of a core (zod) schema. */
interface Checker<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } };
}

/** A value as a core schema accepts it, or StoreError `invalid_request` naming each field. */
export function checked<T>(schema: Checker<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || 'body',
    message: issue.message,
  }));
  throw new StoreError('invalid_request', `${issues[0]?.path}: ${issues[0]?.message}`, { issues });
}

/** The API's dataset. */
export function toDataset(row: DatasetRow): Dataset {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    itemCount: Number(row.item_count),
    experimentCount: Number(row.experiment_count),
    createdAt: toIso(Number(row.created_at)),
    updatedAt: toIso(Number(row.updated_at)),
  };
}

/** The API's dataset item. */
export function toDatasetItem(row: Selectable<DatasetItemsTable>): DatasetItem {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    sourceConversationId: row.source_conversation_id,
    turns: JSON.parse(row.turns) as DatasetTurn[],
    createdAt: toIso(Number(row.created_at)),
  };
}

/** The API's experiment. */
export function toExperiment(row: ExperimentRow): Experiment {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    name: row.name,
    agent: row.agent,
    agentVersion: row.agent_version,
    createdAt: toIso(Number(row.created_at)),
    itemCount: Number(row.item_count),
  };
}

/** The API's experiment item. */
export function toExperimentItem(row: Selectable<ExperimentItemsTable>): ExperimentItem {
  return { itemId: row.item_id, conversationId: row.conversation_id, status: row.status };
}
