/** A receipt of an erasure as one sentence: what went, and what went beside the collector. */
import type { ErasureReceipt } from '@sightline/core';

const plural = (count: number, word: string) =>
  `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;

/** Names of what served agents keep, as people read them. */
const ELSEWHERE: Record<string, string> = {
  sessions: 'served session',
  sessionItems: 'session item',
  pausedRuns: 'paused run',
  runs: 'run record',
  runEvents: 'run event',
};

/**
 * E.g. `Deleted 2 conversations: 7 messages, 5 steps, 1 feedback, 1 dataset item; 1 served session, 3 session
 * items.`, or `Deleted 3 conversations (1 of them a replay): ...` when an experiment's replay went too.
 */
export function describeErasure(receipt: ErasureReceipt): string {
  const { removed } = receipt;
  if (removed.conversations === 0 && Object.values(receipt.elsewhere).every((n) => n === 0))
    return 'Nothing was left to delete.';
  const rows = [
    plural(removed.messages, 'message'),
    plural(removed.steps, 'step'),
    `${removed.feedback.toLocaleString('en-US')} feedback`,
    ...(removed.scores > 0 ? [plural(removed.scores, 'score')] : []),
  ];
  const { datasetItems, experimentItems, replayConversations: replays } = receipt.datasets;
  if (datasetItems > 0) rows.push(plural(datasetItems, 'dataset item'));
  if (experimentItems > 0) rows.push(plural(experimentItems, 'experiment result'));
  const beside = Object.entries(receipt.elsewhere)
    .filter(([, count]) => count > 0)
    .map(([name, count]) => plural(count, ELSEWHERE[name] ?? name));
  const tail = beside.length > 0 ? `; ${beside.join(', ')}` : '';
  // Replays of the erased conversations (made by experiments) went with them and are among the count.
  const ofThem =
    replays === 0 ? '' : ` (${replays === 1 ? '1 of them a replay' : `${replays} of them replays`})`;
  return `Deleted ${plural(removed.conversations, 'conversation')}${ofThem}: ${rows.join(', ')}${tail}.`;
}
