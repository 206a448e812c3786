/**
 * `GET /v1/experiments/compare`: a candidate experiment beside a base (another experiment of the same
 * dataset, or the items' source conversations), item by item in the dataset's order, built from the
 * stored conversations (comparison-sides.ts). A conversation no longer stored (expired by retention)
 * is an absent side.
 */
import type {
  ComparisonSide,
  ConversationDetail,
  ExperimentComparison,
  ExperimentDetail,
} from '@sightline/core';
import type { Store } from '@sightline/store';
import { ServerError } from '../errors.ts';
import { comparisonItemOf, comparisonSideOf, comparisonSummaryOf } from './comparison-sides.ts';

/** Conversations read at once. */
const READS_AT_ONCE = 8;

/** The status of a side that is an item's source conversation. */
export const SOURCE_STATUS = 'source';

function notFound(path: string, id: string): ServerError {
  const message = `no experiment ${JSON.stringify(id)} in this project`;
  return new ServerError('not_found', `${path}: ${message}`, { issues: [{ path, message }] });
}

/** Builds the comparison; ServerError `not_found` naming `candidate`/`base`, 400 for another dataset. */
export async function compareExperiment(
  store: Store,
  projectId: string,
  query: { candidate: string; base?: string | undefined },
): Promise<ExperimentComparison> {
  const candidate = await store.getExperiment(projectId, query.candidate);
  if (!candidate) throw notFound('candidate', query.candidate);
  const base = query.base === undefined ? null : await store.getExperiment(projectId, query.base);
  if (query.base !== undefined && !base) throw notFound('base', query.base);
  if (base && base.experiment.datasetId !== candidate.experiment.datasetId) {
    const message = 'is an experiment of another dataset than the candidate';
    throw new ServerError('invalid_request', `base: ${message}`, { issues: [{ path: 'base', message }] });
  }
  const detail = await store.getDataset(projectId, candidate.experiment.datasetId);
  if (!detail) throw notFound('candidate', query.candidate);
  const baseOf = base ? byItem(base) : null;
  const candidateOf = byItem(candidate);
  const wanted = detail.items.flatMap((item) => {
    const ids = [candidateOf.get(item.id)?.conversationId];
    ids.push(baseOf ? baseOf.get(item.id)?.conversationId : (item.sourceConversationId ?? undefined));
    return ids.filter((id): id is string => id !== undefined);
  });
  const conversations = await readConversations(store, projectId, [...new Set(wanted)]);
  const side = (at: { conversationId: string; status: string } | undefined): ComparisonSide | null => {
    const found = at ? conversations.get(at.conversationId) : undefined;
    return at && found ? comparisonSideOf(found, at.status) : null;
  };
  const items = detail.items.map((item) => {
    const source = item.sourceConversationId
      ? { conversationId: item.sourceConversationId, status: SOURCE_STATUS }
      : undefined;
    return comparisonItemOf(item, {
      base: side(baseOf ? baseOf.get(item.id) : source),
      candidate: side(candidateOf.get(item.id)),
    });
  });
  return {
    dataset: detail.dataset,
    base: base?.experiment ?? null,
    candidate: candidate.experiment,
    summary: {
      base: comparisonSummaryOf(items.map((item) => item.base)),
      candidate: comparisonSummaryOf(items.map((item) => item.candidate)),
    },
    changedItems: items.filter((item) => item.answersChanged || item.toolCallsChanged).length,
    items,
  };
}

function byItem(detail: ExperimentDetail): Map<string, { conversationId: string; status: string }> {
  return new Map(detail.items.map((item) => [item.itemId, item]));
}

/** The stored conversations of `ids` (absent: not stored), read a few at a time. */
async function readConversations(
  store: Store,
  projectId: string,
  ids: string[],
): Promise<Map<string, ConversationDetail>> {
  const found = new Map<string, ConversationDetail>();
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++] as string;
      const detail = await store.getConversation(projectId, id);
      if (detail) found.set(id, detail);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READS_AT_ONCE, ids.length) }, worker));
  return found;
}
