/**
 * An export as a byte stream with backpressure: the next conversations are read only when the client
 * has taken what was sent (the stream is pulled: the HTTP server reads it when the socket drains). A
 * client that goes away cancels it, which ends the store's reads; an export past its time limit, or one
 * running when the server shuts down, is cut, so the client sees an incomplete transfer rather than a
 * file that looks whole.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ExportedConversation } from '@sightline/store';
import type { ExportFormat } from './export-formats.ts';

export type ExportOutcome = 'done' | 'cancelled' | 'timeout' | 'closing' | 'failed';

export interface ExportStreamOptions {
  conversations: AsyncIterable<ExportedConversation>;
  format: ExportFormat;
  /** Longest the export may run, in ms, before it is cut. */
  maxDurationMs: number;
  /** Cuts the export when aborted (the server is shutting down). */
  signal?: AbortSignal;
  /** Bytes gathered before they are sent as one chunk (default 64 KiB). */
  chunkBytes?: number;
  /** Called once when the export ends, however it ends. */
  onEnd?: (end: { outcome: ExportOutcome; conversations: number; bytes: number; error?: unknown }) => void;
}

class ExportCut extends Error {
  readonly outcome: 'timeout' | 'closing';
  constructor(outcome: 'timeout' | 'closing') {
    super(outcome === 'timeout' ? 'the export ran past its time limit' : 'the server is shutting down');
    this.outcome = outcome;
  }
}

/**
 * Streams the export of `conversations` in `format`. Nothing outlives the export: the time limit and the
 * shutdown signal are cleared when it ends (a promise raced against every read, say, would keep each
 * chunk it was resolved with for as long as that promise lives).
 */
export function exportStream(options: ExportStreamOptions): ReadableStream<Uint8Array> {
  const chunkChars = options.chunkBytes ?? 64 * 1024;
  const encoder = new TextEncoder();
  let conversations = 0;
  let bytes = 0;
  let ended = false;
  let stream: ReadableStreamDefaultController<Uint8Array> | null = null;

  async function* chunks(): AsyncGenerator<Uint8Array, void, undefined> {
    let pending = options.format.header;
    for await (const exported of options.conversations) {
      for await (const text of options.format.write(exported)) {
        pending += text;
        if (pending.length >= chunkChars) {
          // SQLite reads are synchronous and a fast client never makes the socket wait: without this
          // the export would run as one chain of promise callbacks and starve every other request.
          await yieldToEventLoop();
          yield encoder.encode(pending);
          pending = '';
        }
      }
      conversations += 1;
    }
    if (pending.length > 0) yield encoder.encode(pending);
  }
  const source = chunks();

  const end = (outcome: ExportOutcome, error?: unknown) => {
    if (ended) return false;
    ended = true;
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onShutdown);
    if (outcome !== 'done') void source.return(undefined).catch(() => undefined);
    options.onEnd?.({ outcome, conversations, bytes, ...(error === undefined ? {} : { error }) });
    return true;
  };
  const cut = (reason: ExportCut) => {
    if (end(reason.outcome, reason)) stream?.error(reason);
  };
  const onShutdown = () => cut(new ExportCut('closing'));
  const timer = setTimeout(() => cut(new ExportCut('timeout')), options.maxDurationMs);
  timer.unref?.();
  if (options.signal?.aborted) queueMicrotask(onShutdown);
  else options.signal?.addEventListener('abort', onShutdown, { once: true });

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        stream = controller;
      },
      async pull(controller) {
        try {
          const next = await source.next();
          if (ended) return;
          if (next.done) {
            end('done');
            controller.close();
          } else {
            bytes += next.value.byteLength;
            controller.enqueue(next.value);
          }
        } catch (error) {
          if (end('failed', error)) controller.error(error);
        }
      },
      cancel() {
        end('cancelled');
      },
    },
    { highWaterMark: 0 },
  );
}
