/**
 * The turns of a stored conversation, as a dataset item keeps them: each human message and what the
 * agent answered it (the agent messages after it, joined). Shared by the collector (`POST
 * /v1/datasets/:id/items`, the comparison) and the CLI (dataset files, replay).
 */

import type { DatasetTurn } from './dataset-schemas.ts';
import type { StoredMessage } from './transcript-schemas.ts';

/** The turns of a conversation's messages: each human message and the agent messages after it. */
export function turnsOf(detail: {
  messages: ReadonlyArray<Pick<StoredMessage, 'role' | 'content' | 'timestamp'>>;
}): DatasetTurn[] {
  const turns: DatasetTurn[] = [];
  // A run's question and answer can be stored with one timestamp, answer first: the human goes first.
  const ordered = detail.messages
    .map((message, index) => ({ message, index }))
    .sort(
      (a, b) =>
        a.message.timestamp.localeCompare(b.message.timestamp) ||
        Number(b.message.role === 'human') - Number(a.message.role === 'human') ||
        a.index - b.index,
    )
    .map(({ message }) => message);
  for (const message of ordered) {
    if (message.role === 'human') turns.push({ human: message.content, expected: null });
    const last = turns.at(-1);
    if (message.role === 'agent' && last)
      last.expected = last.expected === null ? message.content : `${last.expected}\n${message.content}`;
  }
  return turns;
}
