/**
 * Server-sent events from a FrameLog: every frame is written with its `id:` (so `Last-Event-ID` resumes
 * it), a comment keeps idle connections alive, and a client going away only stops this response, never
 * the run writing the log.
 */
import type { Frame, FrameLog } from './frame-log.ts';

export interface SseOptions {
  /** Frames after this id are sent (default: from the first). */
  afterId?: number;
  /** Extra response headers (run id, protocol headers). */
  headers?: Record<string, string>;
  /** Interval of `: keep-alive` comments while nothing happens, in ms (default 15,000). */
  keepAliveMs?: number;
  /** Status of the response (default 200). */
  status?: number;
  /** Called once when the response ends (read to the end, or the client went away). */
  onClose?: () => void;
}

const encoder = new TextEncoder();

/** Encodes one frame as an SSE event. */
export function encodeFrame(frame: Frame): string {
  const event = frame.event ? `event: ${frame.event}\n` : '';
  return `id: ${frame.id}\n${event}data: ${frame.data}\n\n`;
}

function encodeFrames(frames: Frame[]): string {
  let text = '';
  for (const frame of frames) text += encodeFrame(frame);
  return text;
}

/**
 * A `text/event-stream` Response following `log` from `afterId` until it closes. The frames in the log when
 * the connection asks for more, or appended in the same event-loop turn, go out as one chunk (one socket
 * write, not one per frame).
 */
export function sseResponse(log: FrameLog, options: SseOptions = {}): Response {
  const stop = new AbortController();
  let cursor = options.afterId ?? 0;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const end = () => {
    clearInterval(timer);
    if (closed) return;
    closed = true;
    options.onClose?.();
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      timer = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(': keep-alive\n\n'));
        } catch {
          clearInterval(timer);
        }
      }, keepAliveMs);
      timer.unref();
    },
    async pull(controller) {
      try {
        for (;;) {
          const frames = log.framesAfter(cursor);
          if (frames.length > 0) {
            cursor = (frames.at(-1) as Frame).id;
            controller.enqueue(encoder.encode(encodeFrames(frames)));
            return;
          }
          if (log.endsAt(cursor)) {
            end();
            controller.close();
            return;
          }
          await log.changed(stop.signal);
          // Let the run append what it produces in this event-loop turn: sent together, in one write.
          await new Promise((resolve) => setImmediate(resolve));
          if (stop.signal.aborted) return;
        }
      } catch (error) {
        end();
        controller.error(error);
      }
    },
    cancel() {
      end();
      stop.abort();
    },
  });
  return new Response(body, {
    status: options.status ?? 200,
    headers: {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...headerSafe(options.headers),
    },
  });
}

/**
 * HTTP header values are Latin-1; a conversation id may hold any Unicode (a BOM, an emoji). A value
 * outside printable ASCII is sent percent-encoded (`encodeURIComponent`), as RFC 8187 does for
 * parameters, so it reaches the client instead of failing the response.
 */
export function headerSafe(headers: Record<string, string> | undefined): Record<string, string> {
  if (!headers) return {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    out[name] = /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
  return out;
}
