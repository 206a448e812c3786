/**
 * The frames of one stream (an agent run or a workflow run), numbered from 1, kept in memory so a client
 * that lost its connection resumes with `Last-Event-ID` and gets every later frame exactly once. Frames
 * are appended by the run whether or not anyone reads; readers follow until the log is closed.
 */
import { ServeError } from '../errors.ts';

/** One server-sent event: its id, optional event name, and its data (one line of JSON, or `[DONE]`). */
export interface Frame {
  id: number;
  event: string | undefined;
  data: string;
}

export interface FrameLogOptions {
  /** Id of the first frame (default 1); a resumed run continues its numbering. */
  firstId?: number;
  /** Most frames kept; older ones are dropped and can no longer be resumed from (default 10,000). */
  maxFrames?: number;
}

/** Where a log also sends its frames (another node's readers, through a RunBus). */
export interface FrameSink {
  /** A frame was appended. */
  frame(frame: Frame): void;
  /** The log closed: the frames so far end the stream (for now). */
  end(): void;
}

/** An append-only, bounded, followable log of frames. */
export class FrameLog {
  /** Receives every frame appended and every close (set when runs reach across nodes). */
  sink: FrameSink | undefined;
  readonly #frames: Frame[] = [];
  readonly #maxFrames: number;
  #nextId: number;
  #open = true;
  #waiters = new Set<() => void>();

  constructor(options: FrameLogOptions = {}) {
    this.#nextId = options.firstId ?? 1;
    this.#maxFrames = options.maxFrames ?? 10_000;
  }

  /** The id the next appended frame gets. */
  get nextId(): number {
    return this.#nextId;
  }

  /** The id of the last frame appended (firstId - 1 when none). */
  get lastId(): number {
    return this.#nextId - 1;
  }

  /** False once `close()` was called and until `reopen()`. */
  get open(): boolean {
    return this.#open;
  }

  /** Appends a frame of JSON data (already serialized) and wakes the readers; returns its id. */
  append(data: string, event?: string): number {
    const id = this.#nextId++;
    const frame = { id, event, data };
    this.#frames.push(frame);
    if (this.#frames.length > this.#maxFrames) this.#frames.shift();
    this.sink?.frame(frame);
    this.#wake();
    return id;
  }

  /** Appends a frame read elsewhere (another node's), keeping its id; it must be the next one. */
  appendFrame(frame: Frame): void {
    if (frame.id !== this.#nextId) {
      throw new ServeError('internal', `frame ${frame.id} does not follow frame ${this.lastId}`);
    }
    this.append(frame.data, frame.event);
  }

  /** No more frames for now: readers finish once they have read everything. */
  close(): void {
    this.#open = false;
    this.sink?.end();
    this.#wake();
  }

  /** More frames will come (a paused run resumed). */
  reopen(): void {
    this.#open = true;
  }

  /** Throws (404) unless the frames after `afterId` can all be sent: none dropped, none in the future. */
  checkResumable(afterId: number): void {
    if (afterId > this.lastId) {
      throw new ServeError(
        'invalid_request',
        `Last-Event-ID ${afterId} is after the last frame (${this.lastId})`,
        {
          issues: [{ path: 'Last-Event-ID', message: `must be at most ${this.lastId}` }],
        },
      );
    }
    const first = this.#frames[0];
    if (first && afterId + 1 < first.id) {
      throw new ServeError(
        'not_found',
        `frames before ${first.id} are no longer buffered; cannot resume after ${afterId}`,
      );
    }
  }

  /**
   * The frames after `afterId` held now (none when there are none yet). Throws not_found when frames
   * after `afterId` were already dropped, so nothing is silently skipped.
   */
  framesAfter(afterId: number): Frame[] {
    const first = this.#frames[0];
    if (!first) return [];
    if (afterId + 1 < first.id) {
      throw new ServeError(
        'not_found',
        `frames ${afterId + 1}..${first.id - 1} are no longer buffered; the stream cannot resume from ${afterId}`,
      );
    }
    return this.#frames.slice(Math.max(0, afterId + 1 - first.id));
  }

  /** True when a reader that has read up to `afterId` has read everything and no more will come. */
  endsAt(afterId: number): boolean {
    return afterId >= this.lastId && !this.#open;
  }

  /**
   * The frames after `afterId`, following new ones until the log is closed (or `signal` aborts).
   * Throws not_found when frames after `afterId` were already dropped, so nothing is silently skipped.
   */
  async *read(afterId: number, signal?: AbortSignal): AsyncGenerator<Frame> {
    let cursor = afterId;
    for (;;) {
      for (const frame of this.framesAfter(cursor)) {
        cursor = frame.id;
        yield frame;
        if (signal?.aborted) return;
      }
      if (this.endsAt(cursor)) return;
      if (cursor < this.lastId) continue;
      await this.changed(signal);
      if (signal?.aborted) return;
    }
  }

  /** Resolves once a frame is appended, the log closes, or `signal` aborts. */
  changed(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.#waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.#waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  #wake(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const waiter of waiters) waiter();
  }
}

/** Parses a `Last-Event-ID` header (or query value): undefined when absent, 400 when not a frame id. */
export function parseLastEventId(value: string | undefined | null): number | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  if (!/^\d{1,15}$/.test(value.trim())) {
    throw new ServeError('invalid_request', 'Last-Event-ID must be a frame id (a non-negative integer)', {
      issues: [{ path: 'Last-Event-ID', message: 'must be a non-negative integer' }],
    });
  }
  return Number(value.trim());
}
