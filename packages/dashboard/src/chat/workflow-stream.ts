/**
 * Follows a workflow run's events (`GET /workflows/runs/:id/events`, server-sent events read with
 * fetch so the bearer key can be sent) until the run ends. When the stream drops, or goes silent past
 * the server's keep-alives, it reconnects with `Last-Event-ID`, so every event arrives exactly once.
 */
import { toApiError } from '../api/api-error.ts';
import { createSseParser } from '../lib/sse-parser.ts';
import { isTerminal, type WorkflowEventRecord } from '../lib/workflow-conversation.ts';
import { servedFetch } from './served-fetch.ts';
import { runPath } from './workflows-client.ts';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'ended';

export interface FollowOptions {
  key: string;
  runId: string;
  /** Id of the last event already received (0 for none). */
  lastEventId: number;
  onEvents(events: WorkflowEventRecord[]): void;
  onState(state: StreamState, attempt: number): void;
  signal: AbortSignal;
  /** A stream silent this long is taken as dropped (default 45 s: three missed keep-alives). */
  stallMs?: number;
  /** Attempts to reconnect before giving up (default 8). */
  maxAttempts?: number;
}

/** Resolves when the run has ended; throws an ApiError the server refused with, or after the last attempt. */
export async function followWorkflowRun(options: FollowOptions): Promise<void> {
  let lastEventId = options.lastEventId;
  const maxAttempts = options.maxAttempts ?? 8;
  for (let attempt = 0; ; ) {
    options.onState(attempt === 0 ? 'connecting' : 'reconnecting', attempt);
    let ended = false;
    try {
      const result = await readOnce(options, lastEventId, () => {
        attempt = 0;
        options.onState('live', 0);
      });
      lastEventId = result.lastEventId;
      ended = result.ended;
    } catch (error) {
      if (options.signal.aborted) return;
      const status = (error as { status?: number }).status ?? 0;
      const retryable = status === 0 || status === 429 || status >= 500;
      if (!retryable || attempt + 1 >= maxAttempts) throw error;
    }
    if (options.signal.aborted) return;
    if (ended) {
      options.onState('ended', 0);
      return;
    }
    attempt += 1;
    if (attempt >= maxAttempts) throw new Error('the event stream kept dropping');
    options.onState('reconnecting', attempt);
    await sleep(Math.min(500 * 2 ** (attempt - 1), 5000), options.signal);
  }
}

/** One connection: reads events until the stream ends; says whether the run ended in it. */
async function readOnce(
  options: FollowOptions,
  afterId: number,
  onOpen: () => void,
): Promise<{ lastEventId: number; ended: boolean }> {
  const stall = new AbortController();
  const abort = () => stall.abort();
  options.signal.addEventListener('abort', abort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watch = () => {
    clearTimeout(timer);
    timer = setTimeout(abort, options.stallMs ?? 45_000);
  };
  let lastEventId = afterId;
  let ended = false;
  try {
    watch();
    const response = await servedFetch(options.key, `${runPath(options.runId)}/events`, {
      headers: {
        accept: 'text/event-stream',
        ...(afterId > 0 ? { 'last-event-id': String(afterId) } : {}),
      },
      signal: stall.signal,
      cache: 'no-store',
    });
    if (!response.ok) throw await toApiError(response);
    if (!response.body) throw new Error('the event stream has no body');
    onOpen();
    let batch: WorkflowEventRecord[] = [];
    const parser = createSseParser((frame) => {
      const eventId = Number(frame.id);
      if (!Number.isInteger(eventId) || eventId <= lastEventId) return;
      const event = { ...(JSON.parse(frame.data) as object), eventId } as WorkflowEventRecord;
      lastEventId = eventId;
      if (isTerminal(event)) ended = true;
      batch.push(event);
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      watch();
      parser.push(value);
      if (batch.length > 0) {
        options.onEvents(batch);
        batch = [];
      }
    }
  } catch (error) {
    // A drop (network error or stall) is a reason to reconnect, unless the run ended meanwhile.
    if (!ended && (stall.signal.aborted || (error as Error).name === 'TypeError') && !options.signal.aborted)
      return { lastEventId, ended };
    if (!ended) throw error;
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', abort);
  }
  return { lastEventId, ended };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
