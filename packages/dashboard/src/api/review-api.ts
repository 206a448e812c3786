/**
 * The review queue (`GET /v1/conversations?needsReview=true`) and marking a conversation reviewed: a
 * score (`POST /v1/scores`, admin key) named `review`, categorical `done`, source `human`, scoreId
 * `review`, as core's review-queue.ts defines them (repeated here: the dashboard bundles no core code).
 */
import type { ScoreReceipt } from '@sightline/core';
import type { ApiClient } from './client.ts';
import { postScore } from './scores-api.ts';
import type { ConversationSummary, Page } from './types.ts';

/** How many queued conversations the review page lists at once. */
export const REVIEW_PAGE_SIZE = 50;

/** The first conversations of the review queue, most recently active first. */
export function reviewQueue(client: ApiClient, signal?: AbortSignal): Promise<Page<ConversationSummary>> {
  return client.conversations({ needsReview: true, limit: REVIEW_PAGE_SIZE }, signal);
}

/** Marks a conversation reviewed (out of the queue); resolves to the receipt, throws ApiError on an error answer. */
export async function markReviewed(
  client: Pick<ApiClient, 'key' | 'baseUrl'>,
  conversationId: string,
): Promise<ScoreReceipt> {
  const body = {
    conversationId,
    scoreId: 'review',
    name: 'review',
    value: 'done',
    dataType: 'categorical',
    source: 'human',
  };
  return postScore(client, body);
}
