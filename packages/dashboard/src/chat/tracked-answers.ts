/**
 * The tracked ids of answers loaded from a chat's history, so that they take thumbs too. A live answer
 * learns its id from the run's `finish` chunk; the stored history carries none, but a key that reads
 * (the dashboard chats with its admin key) can read the tracked conversation and pair each history
 * answer with the tracked answer of the same text, in order. Its stored thumbs come with it.
 */
import type { UIMessage } from 'ai';
import { useEffect, useState } from 'react';
import { ApiClient } from '../api/client.ts';
import { type Thumb, thumbsOf } from '../api/scores-api.ts';
import type { ConversationDetail, StoredMessage } from '../api/types.ts';
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
 * Reads the tracked conversation once and pairs the history's answers with it; nothing when the served
 * runs are not tracked (`history.tracked`) or it cannot be read.
 */
export function useTrackedAnswers(apiKey: string, trackedId: string, history: ChatHistory): TrackedAnswers {
  const [found, setFound] = useState<TrackedAnswers>(NONE);
  useEffect(() => {
    const { messages, tracked } = history;
    if (!tracked || !messages.some((message) => message.role === 'assistant')) return;
    const controller = new AbortController();
    new ApiClient(apiKey)
      .conversation(trackedId, controller.signal)
      .then((detail: ConversationDetail) =>
        setFound({ ids: matchTrackedAnswers(messages, detail.messages), thumbs: thumbsOf(detail.scores) }),
      )
      // Not tracked here after all (another collector) or not yet (404): no thumbs on the history.
      .catch(() => undefined);
    return () => controller.abort();
  }, [apiKey, trackedId, history]);
  return found;
}
