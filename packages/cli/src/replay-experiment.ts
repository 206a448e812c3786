/**
 * A replay of a collector dataset recorded as an experiment (`POST /v1/experiments`, then `PUT
 * /v1/experiments/:id/items/:itemId` per item, an admin key), and its comparison read back from the
 * collector (`GET /v1/experiments/compare`) with the dashboard URL of the comparison page.
 */
import type { DatasetDetail, Experiment, ExperimentComparison } from '@sightline/core';
import type { Dataset } from './dataset-file.ts';
import type { HttpClient } from './http-client.ts';

/** What a replay recorded for one dataset item. */
export interface ReplayedConversation {
  itemId: string;
  conversationId: string;
  /** `completed`, or where the replay stopped (`turn 1: awaiting_approval`). */
  status: string;
  agentVersion: string | null;
}

/** A collector dataset to replay, and the experiment to compare with (null: the source conversations). */
export interface CollectorReplay {
  detail: DatasetDetail;
  baselineId: string | null;
}

/** Reads a dataset (by id or name) from the collector; null when it has none of that name. */
export async function readCollectorDataset(
  collector: HttpClient,
  name: string,
  baseline: string | undefined,
): Promise<CollectorReplay | null> {
  const detail = await collector.get<DatasetDetail>(`/v1/datasets/${encodeURIComponent(name)}`, {
    allowMissing: true,
  });
  if (!detail) return null;
  if (detail.items.length === 0) throw new Error(`--dataset ${name}: the dataset has no items`);
  if (baseline === undefined) return { detail, baselineId: null };
  const found = detail.experiments.find(
    (experiment) => experiment.id === baseline || experiment.name === baseline,
  );
  if (!found)
    throw new Error(
      `--baseline ${baseline}: dataset ${detail.dataset.name} has no such experiment (it has ${
        detail.experiments.map((experiment) => experiment.name).join(', ') || 'none'
      })`,
    );
  return { detail, baselineId: found.id };
}

/** A collector dataset as replay takes it: its items' turns, in order. */
export function replayableDataset(detail: DatasetDetail): Dataset {
  return { name: detail.dataset.name, createdAt: detail.dataset.createdAt, items: detail.items };
}

/** Records the experiment and its items; resolves to the comparison and its page's URL. */
export async function recordExperiment(
  collector: HttpClient,
  options: { replay: CollectorReplay; name: string; agent: string; items: ReplayedConversation[] },
): Promise<{ experiment: Experiment; comparison: ExperimentComparison; url: string }> {
  const { detail, baselineId } = options.replay;
  const experiment = await collector.postUnlessConflict<Experiment>('/v1/experiments', {
    datasetId: detail.dataset.id,
    name: options.name,
    agent: options.agent,
    agentVersion: mostCommon(options.items.map((item) => item.agentVersion)),
  });
  if (!experiment)
    throw new Error(
      `--experiment ${options.name}: dataset ${detail.dataset.name} has an experiment of that name; give another`,
    );
  const at = `/v1/experiments/${encodeURIComponent(experiment.id)}`;
  for (const item of options.items)
    await collector.put(`${at}/items/${encodeURIComponent(item.itemId)}`, {
      conversationId: item.conversationId,
      status: item.status,
    });
  const query = new URLSearchParams({ candidate: experiment.id });
  if (baselineId) query.set('base', baselineId);
  const comparison = await collector.get<ExperimentComparison>(`/v1/experiments/compare?${query}`);
  if (!comparison) throw new Error(`GET /v1/experiments/compare?${query}: no answer`);
  const url = `${collector.base}/#/datasets/${encodeURIComponent(detail.dataset.id)}/compare?${query}`;
  return { experiment, comparison, url };
}

/** The most frequent non-null value (the first of a tie); null when there is none. */
function mostCommon(values: Array<string | null>): string | null {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | null = null;
  for (const [value, count] of counts) if (best === null || count > (counts.get(best) ?? 0)) best = value;
  return best;
}
