/**
 * An export as a byte stream with backpressure: the next conversations are read only when the client
 * has taken what was sent (the stream is pulled: the HTTP server reads it when the socket drains). A
 * client that goes away cancels it, which ends the store's reads; an export past its time limit, or one
 * running when the server shuts down, is cut, so the client sees an incomplete transfer rather than a
 * file that looks whole.
 */
import type { ExportedConversation } from '@sightline/store';
import type { ExportFormat } from './export-formats.ts';

export type ExportOutcome = 'done' | 'cancelled' | 'timeout' | 'closing' | 'failed';

export interface ExportStreamOptions {
  conversations: AsyncIterable<ExportedConversation>;
  format: ExportFormat;
  /** Longest the export may run, in ms, before it is cut. */
  maxDurationMs: number;
  /** Cuts the export when it resolves (the server is shutting down). */
  closing?: Promise<void>;
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

/** Streams the export of `conversations` in `format`. */
export function exportStream(options: ExportStreamOptions): ReadableStream<Uint8Array> {
  const chunkChars = options.chunkBytes ?? 64 * 1024;
  const encoder = new TextEncoder();
  let conversations = 0;
  let bytes = 0;
  let ended = false;
  const end = (outcome: ExportOutcome, error?: unknown) => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    options.onEnd?.({ outcome, conversations, bytes, ...(error === undefined ? {} : { error }) });
  };
  let cut: (reason: ExportCut) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => {
    cut = reject;
  });
  stopped.catch(() => undefined);
  const timer = setTimeout(() => cut(new ExportCut('timeout')), options.maxDurationMs);
  timer.unref?.();
  void options.closing?.then(() => cut(new ExportCut('closing')));

  async function* chunks(): AsyncGenerator<Uint8Array, void, undefined> {
    let pending = options.format.header;
    for await (const exported of options.conversations) {
      for await (const text of options.format.write(exported)) {
        pending += text;
        if (pending.length >= chunkChars) {
          yield encoder.encode(pending);
          pending = '';
        }
      }
      conversations += 1;
    }
    if (pending.length > 0) yield encoder.encode(pending);
  }
  const source = chunks();

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await Promise.race([source.next(), stopped]);
          if (next.done) {
            controller.close();
            end('done');
          } else {
            bytes += next.value.byteLength;
            controller.enqueue(next.value);
          }
        } catch (error) {
          end(error instanceof ExportCut ? error.outcome : 'failed', error);
          controller.error(error);
          void source.return(undefined).catch(() => undefined);
        }
      },
      async cancel() {
        end('cancelled');
        cut(new ExportCut('closing'));
        await source.return(undefined).catch(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
