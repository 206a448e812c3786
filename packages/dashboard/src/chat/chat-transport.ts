/**
 * The AI SDK chat transport for a served agent: posts to `POST /agents/:name/runs` (the server reads
 * the AI SDK body: chat id = conversation, last user message = input, approval responses resume a
 * paused run), tells the run id the server answers with, and resumes `GET /agents/:name/runs/:runId/stream`
 * (after `lastEventId` when the history said where).
 */
import { DefaultChatTransport, type UIMessage } from 'ai';

/** The run whose stream a reconnect reads, and after which frame (null: all the server holds). */
export interface StreamToResume {
  runId: string | null;
  lastEventId: number | null;
}

/** The transport of one chat with `agent`. */
export function agentTransport(options: {
  agent: string;
  key: string;
  onRunId: (runId: string) => void;
  resume: () => StreamToResume;
}): DefaultChatTransport<UIMessage> {
  const base = `/agents/${encodeURIComponent(options.agent)}/runs`;
  return new DefaultChatTransport<UIMessage>({
    api: base,
    headers: { authorization: `Bearer ${options.key}` },
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      const runId = response.headers.get('x-sightline-run-id');
      if (runId) options.onRunId(runId);
      return response;
    },
    prepareReconnectToStreamRequest: () => {
      const { runId, lastEventId } = options.resume();
      const after = lastEventId === null ? '' : `?lastEventId=${lastEventId}`;
      return {
        api: `${base}/${encodeURIComponent(runId ?? 'none')}/stream${after}`,
        headers: { authorization: `Bearer ${options.key}` },
      };
    },
  });
}
