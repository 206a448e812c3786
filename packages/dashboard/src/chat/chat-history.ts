/**
 * A conversation as the server keeps it (`GET /agents/:name/conversations/:id/messages` of
 * `@sightline/serve`): its messages as AI SDK UI messages (a call waiting for approval included), and the
 * run still working on it, whose stream the chat resumes. A conversation the server does not have (a new
 * one) is empty.
 */
import type { UIMessage } from 'ai';
import { ApiError, toApiError } from '../api/api-error.ts';
import { servedFetch } from './served-fetch.ts';

/** Where to resume a run still working on the conversation (`lastEventId` null: it does not stream). */
export interface ActiveRun {
  runId: string;
  lastEventId: number | null;
}

/** What a chat opens with. */
export interface ChatHistory {
  messages: UIMessage[];
  /** True when older messages were left out (the server answers the latest ones). */
  hasMore: boolean;
  activeRun: ActiveRun | null;
  /** Whether the served runs are tracked into the collector (the answers can be paired with theirs). */
  tracked: boolean;
}

/** A conversation with nothing in it yet. */
export const EMPTY_HISTORY: ChatHistory = { messages: [], hasMore: false, activeRun: null, tracked: false };

/** Loads a conversation's history; empty when the server has none (404). Throws ApiError otherwise. */
export async function loadChatHistory(
  key: string,
  agent: string,
  conversationId: string,
  signal?: AbortSignal,
): Promise<ChatHistory> {
  const path = `/agents/${encodeURIComponent(agent)}/conversations/${encodeURIComponent(conversationId)}/messages`;
  const response = await servedFetch(key, path, {
    headers: { accept: 'application/json' },
    ...(signal ? { signal } : {}),
  });
  const json = (response.headers.get('content-type') ?? '').includes('json');
  if (response.status === 404 && json) return EMPTY_HISTORY;
  if (!response.ok) throw await toApiError(response);
  if (!json) throw new ApiError({ status: 404, code: 'not_found', message: `${path} is not served here` });
  const body = (await response.json()) as Partial<ChatHistory>;
  return {
    messages: Array.isArray(body.messages) ? body.messages : [],
    hasMore: body.hasMore === true,
    activeRun: body.activeRun ?? null,
    tracked: body.tracked === true,
  };
}
