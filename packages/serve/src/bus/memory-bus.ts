/**
 * `memoryBus()`: the RunBus in one process. Buses made with the same `hub` act as nodes of one cluster
 * (tests run two routers as two nodes this way); frames are kept for `keepMs` after a run's last frame.
 */
import type { Frame } from '../http/frame-log.ts';
import { type CommandHandler, framesOfBatches, type LastFrame, type RunBus, refusal } from './run-bus.ts';

interface Stream {
  batches: Array<{ frames: Frame[]; end: boolean }>;
  touchedAt: number;
  waiters: Set<() => void>;
}

/** What the buses of one process share: streams and the command handlers of nodes. */
export interface MemoryHub {
  readonly streams: Map<string, Stream>;
  /** By node id. */
  readonly handlers: Map<string, CommandHandler>;
  readonly keepMs: number;
}

/** A hub for `memoryBus({ hub })`: buses on one hub reach each other's runs. */
export function memoryHub(options: { keepMs?: number } = {}): MemoryHub {
  return { streams: new Map(), handlers: new Map(), keepMs: options.keepMs ?? 60 * 60_000 };
}

/** An in-process RunBus (its own hub unless one is given). */
export function memoryBus(options: { hub?: MemoryHub } = {}): RunBus {
  const hub = options.hub ?? memoryHub();
  const mine = new Set<string>();
  return {
    name: 'memory',
    publish(runId, frames, end) {
      sweep(hub);
      let stream = hub.streams.get(runId);
      if (!stream) {
        stream = { batches: [], touchedAt: Date.now(), waiters: new Set() };
        hub.streams.set(runId, stream);
      }
      stream.batches.push({ frames: [...frames], end });
      stream.touchedAt = Date.now();
      const waiters = [...stream.waiters];
      stream.waiters.clear();
      for (const wake of waiters) wake();
    },
    async lastFrame(runId) {
      const stream = hub.streams.get(runId);
      let last: LastFrame | undefined;
      for (const batch of stream?.batches ?? []) {
        const frame = batch.frames.at(-1);
        if (frame) last = { id: frame.id, end: batch.end };
        else if (last) last = { id: last.id, end: batch.end };
      }
      return last;
    },
    follow(runId, afterId, signal) {
      return framesOfBatches(batchesOf(hub, runId, signal), afterId);
    },
    async request(nodeId, runId, command) {
      const handler = hub.handlers.get(nodeId);
      return handler ? handler(runId, structuredClone(command)).catch(refusal) : undefined;
    },
    listen(nodeId, handler) {
      hub.handlers.set(nodeId, handler);
      mine.add(nodeId);
      return () => {
        if (hub.handlers.get(nodeId) === handler) hub.handlers.delete(nodeId);
        mine.delete(nodeId);
      };
    },
    async flush() {},
    async close() {
      for (const nodeId of mine) hub.handlers.delete(nodeId);
      mine.clear();
    },
  };
}

/** The batches of a stream, waiting for more until `signal` aborts. */
async function* batchesOf(
  hub: MemoryHub,
  runId: string,
  signal: AbortSignal,
): AsyncGenerator<{ frames: Frame[]; end: boolean }> {
  let index = 0;
  for (;;) {
    const stream = hub.streams.get(runId);
    const batches = stream?.batches ?? [];
    while (index < batches.length) yield batches[index++] as { frames: Frame[]; end: boolean };
    if (signal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      if (stream) stream.waiters.add(done);
      else setTimeout(done, 50);
    });
    if (signal.aborted) return;
  }
}

function sweep(hub: MemoryHub): void {
  const now = Date.now();
  for (const [runId, stream] of hub.streams) {
    if (now - stream.touchedAt < hub.keepMs) break;
    hub.streams.delete(runId);
  }
}
