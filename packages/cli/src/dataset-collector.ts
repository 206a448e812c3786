/**
 * `sightline dataset create` without `--out`: creates (or extends) a dataset in the collector, from named
 * conversations or the list's filters, through its API (`POST /v1/datasets`, `POST
 * /v1/datasets/:id/items`, an admin key). The collector takes each conversation's turns itself.
 */
import type { Dataset, DatasetItemsAdded } from '@sightline/core';
import type { HttpClient } from './http-client.ts';

/** What to take into which dataset. */
export interface CollectorDatasetSource {
  name: string;
  conversationIds: string[];
  /** The list's filters as `name=value` (a repeated name, e.g. metadata, gives a list). */
  filters: string[];
  limit: number;
}

/** Creates the dataset unless it exists, adds the conversations; prints what it did. */
export async function createCollectorDataset(
  collector: HttpClient,
  source: CollectorDatasetSource,
  out: (line: string) => void,
): Promise<Dataset> {
  const created = await collector.postUnlessConflict<Dataset>('/v1/datasets', { name: source.name });
  const path = `/v1/datasets/${encodeURIComponent(created?.id ?? source.name)}`;
  const body = source.conversationIds.length
    ? { conversationIds: source.conversationIds }
    : { filter: filterObject(source.filters), max: source.limit };
  const result = await collector.post<DatasetItemsAdded>(`${path}/items`, body);
  const dataset = (await collector.get<{ dataset: Dataset }>(path))?.dataset;
  if (!dataset) throw new Error(`dataset create: the collector lost dataset ${JSON.stringify(source.name)}`);
  const reasons = new Map<string, number>();
  for (const { reason } of result.skipped) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  const skipped = [...reasons].map(([reason, count]) => `${count} ${reason}`).join(', ');
  out(
    `dataset ${dataset.name}: ${result.added.length} items added${skipped ? ` (skipped: ${skipped})` : ''}, ${dataset.itemCount} in all (${created ? 'created' : 'extended'})`,
  );
  out(`  ${collector.base}/#/datasets/${encodeURIComponent(dataset.id)}`);
  return dataset;
}

/** `name=value` pairs as the API's filter object; a bad pair throws naming --filter. */
export function filterObject(filters: string[]): Record<string, string | string[]> {
  const filter: Record<string, string | string[]> = {};
  for (const pair of filters) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`dataset create: --filter must be name=value, got ${JSON.stringify(pair)}`);
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    const before = filter[name];
    filter[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
  }
  return filter;
}
