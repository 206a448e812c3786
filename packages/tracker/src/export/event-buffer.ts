import { type BeforeSend, encodeEvent, truncatePayload } from '../event-encoder.ts';
import type { EncodedEvent, RawEvent } from '../raw-event.ts';
import type { DropReason, StatsRecorder } from '../tracker-stats.ts';

export interface EventBufferOptions {
  maxEvents: number;
  maxBytes: number;
  stats: StatsRecorder;
  beforeSend: BeforeSend | undefined;
  /** Called once after the first append since the last `takeWake()`: schedules background work. */
  wake: () => void;
  /** Reports an event that could not be encoded (beforeSend threw, unserializable value). */
  onEncodeFailure: (reason: DropReason, error: unknown) => void;
}

/** Fraction of `maxBytes` the buffer relieves down to, so relief is not re-run on every append. */
const RELIEF_TARGET = 0.9;

/**
 * The bounded in-memory queue between tracking calls and the exporter. `push` (the hot path)
 * appends a raw record; `encodePending` (background) serializes raw records in order; `take`
 * hands the oldest encoded events to the exporter. Bounded by events and bytes: over the byte
 * bound the largest step payloads are truncated first (marked), then the newest events are
 * dropped; over the event bound new events are dropped. Every drop is counted.
 */
export class EventBuffer {
  /** Sequence number of the last event accepted (events are numbered from 1). */
  lastSeq = 0;
  /** Events held: raw + encoded + in flight. */
  count = 0;
  private raw: RawEvent[] = [];
  private rawBytes = 0;
  private ready: EncodedEvent[] = [];
  private readyHead = 0;
  private readyBytes = 0;
  private inFlightCount = 0;
  private inFlightBytes = 0;
  private woken = false;
  /** False once relief found no step payload left to truncate (until a new one is encoded). */
  private mayHavePayloads = false;
  private readonly options: EventBufferOptions;

  constructor(options: EventBufferOptions) {
    this.options = options;
  }

  /** Hot path: appends a raw event, or counts a drop when the buffer is full. */
  push(event: RawEvent): boolean {
    if (this.count >= this.options.maxEvents) {
      this.options.stats.drop('buffer_full');
      return false;
    }
    event.seq = ++this.lastSeq;
    this.raw.push(event);
    this.rawBytes += event.size;
    this.count++;
    this.options.stats.tracked++;
    if (this.rawBytes + this.readyBytes + this.inFlightBytes > this.options.maxBytes) this.relieve();
    if (!this.woken) {
      this.woken = true;
      this.options.wake();
    }
    return true;
  }

  /** Re-arms the wake callback; called by the exporter when it starts processing. */
  takeWake(): void {
    this.woken = false;
  }

  get bytes(): number {
    return this.rawBytes + this.readyBytes + this.inFlightBytes;
  }

  /** Encoded events waiting (not in flight). Call `encodePending` first for an exact figure. */
  get readyCount(): number {
    return this.ready.length - this.readyHead + this.raw.length;
  }

  get waitingBytes(): number {
    return this.rawBytes + this.readyBytes;
  }

  /** Lowest sequence number still waiting in memory (not in flight), or Infinity. */
  minWaitingSeq(): number {
    return this.ready[this.readyHead]?.seq ?? this.raw[0]?.seq ?? Number.POSITIVE_INFINITY;
  }

  /** Serializes every raw event, in order (background work). */
  encodePending(): void {
    if (this.raw.length === 0) return;
    const pending = this.raw;
    this.raw = [];
    this.rawBytes = 0;
    const { stats, beforeSend } = this.options;
    for (const raw of pending) {
      const result = encodeEvent(raw, beforeSend);
      if (result.kind === 'encoded') {
        this.ready.push(result.event);
        this.readyBytes += result.event.bytes;
        if (result.truncated) stats.truncated++;
        if (result.event.payload > 0) this.mayHavePayloads = true;
      } else {
        this.count--;
        if (result.kind === 'filtered') {
          stats.filtered++;
        } else {
          stats.drop(result.reason);
          this.options.onEncodeFailure(result.reason, result.error);
        }
      }
    }
  }

  /** Moves the oldest encoded events (up to the limits) in flight and returns them. */
  take(maxEvents: number, maxBytes: number): EncodedEvent[] {
    this.encodePending();
    const batch: EncodedEvent[] = [];
    let bytes = 0;
    while (this.readyHead < this.ready.length && batch.length < maxEvents) {
      const next = this.ready[this.readyHead] as EncodedEvent;
      if (batch.length > 0 && bytes + next.bytes + 1 > maxBytes) break;
      batch.push(next);
      bytes += next.bytes + 1;
      this.ready[this.readyHead] = undefined as unknown as EncodedEvent;
      this.readyHead++;
      this.readyBytes -= next.bytes;
    }
    this.compact();
    this.inFlightCount += batch.length;
    this.inFlightBytes += bytes;
    return batch;
  }

  /** Forgets events that left memory (acknowledged, refused, or written to the spool). */
  release(batch: readonly EncodedEvent[]): void {
    let bytes = 0;
    for (const event of batch) bytes += event.bytes + 1;
    this.inFlightCount -= batch.length;
    this.inFlightBytes -= bytes;
    this.count -= batch.length;
  }

  /** Takes events read back from the spool into memory, in flight (a spool batch becoming a memory one). */
  adopt(batch: readonly EncodedEvent[]): void {
    for (const event of batch) this.inFlightBytes += event.bytes + 1;
    this.inFlightCount += batch.length;
    this.count += batch.length;
  }

  /** Puts an in-flight batch back at the head of the queue (it will be sent first). */
  restore(batch: readonly EncodedEvent[]): void {
    this.release(batch);
    this.ready = [...batch, ...this.ready.slice(this.readyHead)];
    this.readyHead = 0;
    for (const event of batch) this.readyBytes += event.bytes;
    this.count += batch.length;
  }

  /** Removes and returns every waiting event, encoded (for the spool at exit). */
  drainWaiting(): EncodedEvent[] {
    this.encodePending();
    const waiting = this.ready.slice(this.readyHead);
    this.ready = [];
    this.readyHead = 0;
    this.readyBytes = 0;
    this.count -= waiting.length;
    return waiting;
  }

  /** Brings the buffer back under its byte bound: truncate the largest payloads, then drop the newest. */
  private relieve(): void {
    this.encodePending();
    const { maxBytes, stats } = this.options;
    if (this.bytes <= maxBytes) return;
    const target = maxBytes * RELIEF_TARGET;
    if (this.mayHavePayloads) this.truncateLargestPayloads(target);
    while (this.bytes > maxBytes && this.ready.length > this.readyHead) {
      const dropped = this.ready.pop() as EncodedEvent;
      this.readyBytes -= dropped.bytes;
      this.count--;
      stats.drop('buffer_bytes');
    }
  }

  private truncateLargestPayloads(target: number): void {
    const candidates: number[] = [];
    for (let index = this.readyHead; index < this.ready.length; index++) {
      if ((this.ready[index] as EncodedEvent).payload > 0) candidates.push(index);
    }
    candidates.sort(
      (a, b) => (this.ready[b] as EncodedEvent).payload - (this.ready[a] as EncodedEvent).payload,
    );
    let used = 0;
    for (const index of candidates) {
      if (this.bytes <= target) break;
      used++;
      const original = this.ready[index] as EncodedEvent;
      const truncated = truncatePayload(original);
      if (!truncated) continue;
      this.ready[index] = truncated;
      this.readyBytes += truncated.bytes - original.bytes;
      this.options.stats.payloadsTruncated++;
    }
    this.mayHavePayloads = used < candidates.length;
  }

  private compact(): void {
    if (this.readyHead === this.ready.length) {
      this.ready = [];
      this.readyHead = 0;
    } else if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.readyHead);
      this.readyHead = 0;
    }
  }
}
