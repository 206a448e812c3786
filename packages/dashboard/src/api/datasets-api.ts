/**
 * Datasets and experiments (issue 15 item 4): reading them (`GET /v1/datasets`, `/v1/datasets/:id`,
 * `/v1/experiments/compare`; read or admin key) and filling a dataset from conversations
 * (`POST /v1/datasets`, `POST /v1/datasets/:id/items`) or emptying it (`DELETE /v1/datasets/:id`,
 * `DELETE /v1/datasets/:id/items/:itemId`); admin key only, the collector refuses others 403.
 */
import type {
  Dataset,
  DatasetDeleted,
  DatasetDetail,
  DatasetItemsAdded,
  DatasetList,
  ExperimentComparison,
} from '@sightline/core';
import type { ApiClient } from './client.ts';
import { sendJson } from './send-json.ts';

export type { Dataset, DatasetDeleted, DatasetDetail, DatasetItemsAdded, ExperimentComparison };

/** The filters of `GET /v1/conversations`, values as in its query string (no page size, no cursor). */
export type ListFilter = Record<string, string | string[]>;

/** What to add to a dataset: named conversations, or up to `max` of those the list's filters find. */
export type DatasetTarget = { conversationIds: string[] } | { filter: ListFilter; max: number };

/** Most conversations the dashboard's "Add filtered to dataset" adds at once. */
export const FILTERED_ADD_MAX = 100;

/** Every dataset of the project, most recently created first. */
export async function listDatasets(client: ApiClient, signal?: AbortSignal): Promise<Dataset[]> {
  return (await client.get<DatasetList>('/v1/datasets', {}, signal)).items;
}

/** A dataset (by id or exact name) with its items and experiments. */
export function datasetDetail(
  client: ApiClient,
  datasetId: string,
  signal?: AbortSignal,
): Promise<DatasetDetail> {
  return client.get(`/v1/datasets/${encodeURIComponent(datasetId)}`, {}, signal);
}

/** Creates an empty dataset; a name already taken is refused (409 `conflict`). */
export function createDataset(client: ApiClient, name: string): Promise<Dataset> {
  return sendJson(client, { method: 'POST', path: '/v1/datasets', body: { name } });
}

/** Adds conversations to a dataset; resolves to the items added and those skipped, with why. */
export function addToDataset(
  client: ApiClient,
  datasetId: string,
  target: DatasetTarget,
): Promise<DatasetItemsAdded> {
  return sendJson(client, {
    method: 'POST',
    path: `/v1/datasets/${encodeURIComponent(datasetId)}/items`,
    body: target,
  });
}

/** Deletes a dataset with its items and experiments (the conversations stay); resolves to the counts. */
export function deleteDataset(client: ApiClient, datasetId: string): Promise<DatasetDeleted> {
  return sendJson(client, { method: 'DELETE', path: `/v1/datasets/${encodeURIComponent(datasetId)}` });
}

/** Removes one item from a dataset, with what its experiments made of it. */
export async function removeDatasetItem(
  client: ApiClient,
  item: { datasetId: string; itemId: string },
): Promise<void> {
  await sendJson(client, {
    method: 'DELETE',
    path: `/v1/datasets/${encodeURIComponent(item.datasetId)}/items/${encodeURIComponent(item.itemId)}`,
  });
}

/** A candidate experiment beside its base (an experiment, or null: the items' source conversations). */
export function compareExperiments(
  client: ApiClient,
  sides: { candidate: string; base: string | null },
  signal?: AbortSignal,
): Promise<ExperimentComparison> {
  return client.get('/v1/experiments/compare', { candidate: sides.candidate, base: sides.base }, signal);
}
