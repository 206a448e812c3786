/**
 * Loads a chat's history from the server before the chat opens (useChat takes its messages once). A
 * refusal is shown where the chat would be; unlike the collector's 401, it does not end the session.
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/api-error.ts';
import { type ChatHistory, EMPTY_HISTORY, loadChatHistory } from './chat-history.ts';
import { takeNewConversation } from './chat-storage.ts';

export interface ChatHistoryState {
  history: ChatHistory | null;
  error: ApiError | null;
  retry(): void;
}

/** The history of `conversationId` with `agent`, loaded once per conversation (and on retry). */
export function useChatHistory(key: string, agent: string, conversationId: string): ChatHistoryState {
  // A conversation this page just made has no history: it opens at once, without asking.
  const [fresh] = useState(() => takeNewConversation(conversationId));
  const [history, setHistory] = useState<ChatHistory | null>(fresh ? EMPTY_HISTORY : null);
  const [error, setError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is what a retry changes
  useEffect(() => {
    if (fresh) return;
    const controller = new AbortController();
    setError(null);
    loadChatHistory(key, agent, conversationId, controller.signal).then(
      (answer) => {
        if (!controller.signal.aborted) setHistory(answer);
      },
      (reason: unknown) => {
        if (controller.signal.aborted) return;
        setError(
          reason instanceof ApiError
            ? reason
            : new ApiError({
                status: 0,
                code: 'client',
                message: String((reason as Error)?.message ?? reason),
              }),
        );
      },
    );
    return () => controller.abort();
  }, [fresh, key, agent, conversationId, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { history, error, retry };
}
