/**
 * The tracked ids of answers loaded from a chat's history, so that they take thumbs too. A live answer
 * learns its id from the run's `finish` chunk; the stored history carries none, but a key that reads
 * (the dashboard chats with its admin key) can read the tracked conversation and pair each history
 * answer with the tracked answer of the same text, in order. Its stored thumbs come with it.
 */
import type { UIMessage } from 'ai';
import { useMemo } from 'react';
import { type Thumb, thumbsOf } from '../api/scores-api.ts';
import type { StoredMessage } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import type { ChatHistory } from './chat-history.ts';

export interface TrackedAnswers {
  /** Tracked message id by history message id. */
  ids: ReadonlyMap<string, string>;
  /** Thumbs stored in the collector, by tracked message id. */
  thumbs: ReadonlyMap<string, Thumb>;
}

const NONE: TrackedAnswers = { ids: new Map(), thumbs: new Map() };

/** The texts an answer could have been tracked as: its last model response's text, or all of its text. */
function answerTexts(message: UIMessage): string[] {
  const lastStep = message.parts.findLastIndex((part) => part.type === 'step-start');
  const text = (parts: UIMessage['parts']) =>
    parts
      .map((part) => (part.type === 'text' ? part.text : ''))
      .join('')
      .trim();
  return [text(message.parts.slice(lastStep + 1)), text(message.parts)].filter((t) => t !== '');
}

/**
 * Pairs history answers with tracked agent messages, both in order: each answer takes the first tracked
 * answer after the last one paired whose text is its own (a tracked answer whose turn was not stored, a
 * failed run say, is skipped). An answer with no such message gets no id.
 */
export function matchTrackedAnswers(
  history: ReadonlyArray<UIMessage>,
  tracked: ReadonlyArray<StoredMessage>,
): Map<string, string> {
  const answers = tracked.filter((message) => message.role === 'agent');
  const ids = new Map<string, string>();
  let next = 0;
  for (const message of history) {
    if (message.role !== 'assistant') continue;
    const texts = answerTexts(message);
    const found = answers.findIndex(
      (answer, index) => index >= next && texts.includes(answer.content.trim()),
    );
    if (found === -1) continue;
    ids.set(message.id, answers[found]?.id ?? '');
    next = found + 1;
  }
  return ids;
}

/**
 * Reads the tracked conversation (with the session's client, as every view does) and pairs the history's
 * answers with it; nothing when the served runs are not tracked (`history.tracked`) or it cannot be read
 * (another collector, or not stored yet: no thumbs on the history).
 */
export function useTrackedAnswers(trackedId: string, history: ChatHistory): TrackedAnswers {
  const wanted = history.tracked && history.messages.some((message) => message.role === 'assistant');
  const { data } = useApi(
    (client, signal) => (wanted ? client.conversation(trackedId, signal) : Promise.resolve(null)),
    [trackedId, wanted],
  );
  return useMemo(
    () =>
      data
        ? { ids: matchTrackedAnswers(history.messages, data.messages), thumbs: thumbsOf(data.scores) }
        : NONE,
    [data, history.messages],
  );
}
