/**
 * A person's thumb and note on a message, sent as a score (`POST /v1/scores`; admin key in the
 * dashboard, chat key in the chat page): name `thumbs`, a boolean (true = up), source `human`, the note
 * as its comment, and scoreId `thumbs:<messageId>`, so changing the thumb or the note replaces it.
 */
import type { ScoreReceipt, StoredScore } from '@sightline/core';
import type { ApiClient } from './client.ts';
import { sendJson } from './send-json.ts';

/** The name of the scores the dashboard's thumbs give. */
export const THUMBS_SCORE = 'thumbs';

/** A message's thumb (true up, false down) and note as a person gave them. */
export interface Thumb {
  up: boolean;
  note: string;
}

/** The stable score id of a message's thumb: giving it again replaces it. */
export function thumbScoreId(messageId: string): string {
  return `${THUMBS_SCORE}:${messageId}`;
}

/** Sends a message's thumb and note; resolves to the receipt, throws ApiError on an error answer. */
export async function sendThumb(
  client: Pick<ApiClient, 'key' | 'baseUrl'>,
  target: { conversationId: string; messageId: string; thumb: Thumb },
): Promise<ScoreReceipt> {
  const { conversationId, messageId, thumb } = target;
  const note = thumb.note.trim();
  const body = {
    conversationId,
    messageId,
    scoreId: thumbScoreId(messageId),
    name: THUMBS_SCORE,
    value: thumb.up,
    dataType: 'boolean',
    source: 'human',
    ...(note ? { comment: note } : {}),
  };
  return postScore(client, body);
}

/** Sends one score (`POST /v1/scores`); resolves to the receipt, throws ApiError on an error answer. */
export function postScore(
  client: Pick<ApiClient, 'key' | 'baseUrl'>,
  body: Record<string, unknown>,
): Promise<ScoreReceipt> {
  return sendJson(client, { method: 'POST', path: '/v1/scores', body });
}

/** The thumbs given on a conversation's messages (by message id), read from its stored scores. */
export function thumbsOf(scores: ReadonlyArray<StoredScore>): Map<string, Thumb> {
  const thumbs = new Map<string, Thumb>();
  for (const score of scores) {
    if (score.name !== THUMBS_SCORE || score.messageId === null || typeof score.value !== 'boolean') continue;
    thumbs.set(score.messageId, { up: score.value, note: score.comment ?? '' });
  }
  return thumbs;
}
