/**
 * The AI SDK chat transport for a served agent: posts to `POST /agents/:name/runs` (the server reads
 * the AI SDK body: chat id = conversation, last user message = input, approval responses resume a
 * paused run), notes the run id the server answers with, and resumes `GET /agents/:name/runs/:runId/stream`.
 */
import { DefaultChatTransport, type UIMessage } from 'ai';
import { saveRunId } from './chat-storage.ts';

export function agentTransport(options: {
  agent: string;
  key: string;
  conversationId: string;
  resumeRunId: () => string | null;
}): DefaultChatTransport<UIMessage> {
  const base = `/agents/${encodeURIComponent(options.agent)}/runs`;
  return new DefaultChatTransport<UIMessage>({
    api: base,
    headers: { authorization: `Bearer ${options.key}` },
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      const runId = response.headers.get('x-sightline-run-id');
      if (runId) saveRunId(options.conversationId, runId);
      return response;
    },
    prepareReconnectToStreamRequest: () => ({
      api: `${base}/${encodeURIComponent(options.resumeRunId() ?? 'none')}/stream`,
      headers: { authorization: `Bearer ${options.key}` },
    }),
  });
}
