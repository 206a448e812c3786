import { type IngestResult, LIMITS } from '@sightline/core';
import { describeError, TrackerError } from '../errors.ts';
import type { EncodedEvent } from '../raw-event.ts';
import type { FlushSummary, StatsRecorder } from '../tracker-stats.ts';
import { type BackoffOptions, nextRetryDelay, Sleeper } from './backoff.ts';
import { DropReport } from './drop-report.ts';
import type { EventBuffer } from './event-buffer.ts';
import { type IngestClientOptions, postIngest, type SendOutcome } from './ingest-client.ts';
import { type Batch, isServerError, PoisonIsolation, withoutSent } from './poison-isolation.ts';
import { requestSize } from './request-size.ts';
import { SettlementWaiters, settleResults, withTimeout } from './settlement-waiters.ts';
import type { Spool } from './spool.ts';

export interface ExporterOptions {
  buffer: EventBuffer;
  stats: StatsRecorder;
  spool: Spool | undefined;
  client: IngestClientOptions;
  batchSize: number;
  maxBatchBytes: number;
  flushIntervalMs: number;
  backoff: BackoffOptions;
  instanceId: string;
  version: string;
  report: (error: TrackerError) => void;
}

/**
 * The background sender. Batches by count, bytes and interval; one request at a time (so events
 * arrive in the order they were tracked); retries with exponential backoff and jitter, honouring
 * Retry-After; splits a batch the server finds too large; isolates and drops an event the server
 * cannot store (see poison-isolation.ts); counts per-event rejections as failed (never retried);
 * spools to disk while the collector is unreachable. Its timers are unref'd so it never keeps the
 * process alive, and nothing it does throws.
 */
export class Exporter {
  private readonly options: ExporterOptions;
  private readonly spoolLoaded: Promise<void>;
  private loop: Promise<void> | null = null;
  private current: Batch | null = null;
  private failures = 0;
  private retryAt = 0;
  private requestLimit: number;
  private intervalTimer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private readonly sleeper = new Sleeper();
  private drainRequested = false;
  private urgent = 0;
  private readonly waiters = new SettlementWaiters();
  private readonly isolation = new PoisonIsolation();
  private readonly drops: DropReport;
  private stopped = false;

  constructor(options: ExporterOptions) {
    this.options = options;
    this.requestLimit = LIMITS.maxBatchEvents;
    this.drops = new DropReport(() => options.stats.clientReport(options.instanceId, options.version));
    const { spool, buffer } = options;
    this.spoolLoaded = spool
      ? spool
          .load(() => ++buffer.lastSeq)
          .then(
            (count) => {
              if (count > 0) this.kickSoon();
            },
            (error: unknown) =>
              this.report('internal', `cannot read the spool: ${describeError(error)}`, error),
          )
      : Promise.resolve();
  }

  /** Called by the buffer after the first append since it was last processed. */
  wake(): void {
    if (this.stopped || this.immediate) return;
    this.immediate = setImmediate(() => this.onImmediate());
    this.immediate.unref();
  }

  /** Resolves once every event tracked before the call is acknowledged, or after `timeoutMs`. */
  async flush(timeoutMs: number): Promise<FlushSummary> {
    const started = Date.now();
    let timedOut = false;
    try {
      const loaded = await withTimeout(
        this.spoolLoaded.then(() => true),
        timeoutMs,
      );
      this.options.buffer.encodePending();
      const target = this.options.buffer.lastSeq;
      if (!loaded) timedOut = true;
      else if (this.minUnsettledSeq() <= target && !this.stopped) {
        this.urgent++;
        this.kick();
        timedOut = !(await this.waitSettled(target, Math.max(0, timeoutMs - (Date.now() - started))));
        this.urgent--;
      }
      if (!this.stopped)
        await this.drops.sendIfUnheard(this.options.client, Math.max(0, timeoutMs - (Date.now() - started)));
    } catch (error) {
      this.report('internal', `flush failed: ${describeError(error)}`, error);
    }
    const window = this.options.stats.takeWindow();
    return {
      ok: !timedOut && window.failed === 0 && window.dropped === 0,
      timedOut,
      ...window,
      pending: this.pendingCount(),
      spooled: this.options.spool?.eventCount ?? 0,
      durationMs: Date.now() - started,
    };
  }

  /** Stops timers and the send loop (after a flush, on shutdown). */
  stop(): void {
    this.stopped = true;
    if (this.intervalTimer) clearTimeout(this.intervalTimer);
    if (this.immediate) clearImmediate(this.immediate);
    this.intervalTimer = null;
    this.immediate = null;
    this.sleeper.wake();
    this.waiters.cancelAll();
  }

  /** Moves everything still in memory to the spool (on shutdown); without a spool, leaves it. */
  async persistWaiting(): Promise<void> {
    const { spool } = this.options;
    if (!spool) return;
    const waiting = this.takeUnsent();
    if (waiting.length === 0) return;
    try {
      if (!(await spool.write(waiting))) this.options.stats.drop('spool_full', waiting.length);
    } catch (error) {
      this.options.stats.drop('spool_full', waiting.length);
      this.report('internal', `cannot write the spool: ${describeError(error)}`, error);
    }
  }

  /** Process `exit`: writes what is unsent to the spool synchronously, or counts it as lost. */
  exitSync(): void {
    this.stop();
    const { spool, stats } = this.options;
    const waiting = this.takeUnsent();
    if (waiting.length === 0) return;
    try {
      if (spool?.writeSync(waiting)) return;
    } catch (error) {
      this.report('internal', `cannot write the spool at exit: ${describeError(error)}`, error);
    }
    stats.drop('process_exit', waiting.length);
    this.report(
      'upstream_failed',
      `${waiting.length} events were not sent before the process exited (set spoolDir to keep them across restarts)`,
    );
  }

  /** Takes every event not yet acknowledged out of memory (the batch in flight included). */
  private takeUnsent(): EncodedEvent[] {
    const { buffer } = this.options;
    let inFlight: EncodedEvent[] = [];
    if (this.current && !this.current.spoolFile) {
      inFlight = this.current.events;
      buffer.release(inFlight);
      this.current = null;
    }
    return [...inFlight, ...buffer.drainWaiting()];
  }

  /** Events not acknowledged yet: in memory, in the spool (minus what a spool batch already settled). */
  private pendingCount(): number {
    const { buffer, spool } = this.options;
    let pending = buffer.count + (spool?.eventCount ?? 0);
    const file = this.current?.spoolFile;
    if (file && this.current) pending -= file.count - this.current.events.length;
    return pending;
  }

  private onImmediate(): void {
    this.immediate = null;
    const { buffer } = this.options;
    buffer.takeWake();
    buffer.encodePending();
    if (this.urgent > 0 || this.batchIsFull()) this.kick();
    else this.armInterval();
  }

  private batchIsFull(): boolean {
    const { buffer, batchSize, maxBatchBytes } = this.options;
    return buffer.readyCount >= batchSize || buffer.waitingBytes >= maxBatchBytes;
  }

  private armInterval(): void {
    if (this.intervalTimer || this.stopped) return;
    this.intervalTimer = setTimeout(() => {
      this.intervalTimer = null;
      this.drainRequested = true;
      this.kick();
    }, this.options.flushIntervalMs);
    this.intervalTimer.unref();
  }

  private kickSoon(): void {
    this.drainRequested = true;
    this.kick();
  }

  private kick(): void {
    if (this.loop || this.stopped) return;
    this.loop = this.run()
      .catch((error: unknown) => this.report('internal', `exporter failed: ${describeError(error)}`, error))
      .finally(() => {
        this.loop = null;
        this.checkWaiters();
        const { buffer, spool } = this.options;
        if (this.stopped) return;
        const hasWork = buffer.readyCount > 0 || this.current !== null || spool?.hasFiles === true;
        if (hasWork && (this.urgent > 0 || this.batchIsFull())) this.kick();
        else if (hasWork) this.armInterval();
      });
  }

  private async run(): Promise<void> {
    await this.spoolLoaded;
    while (!this.stopped) {
      const wait = this.retryAt - Date.now();
      if (wait > 0) {
        if (this.options.spool) await this.spoolWaiting();
        await this.sleeper.sleep(wait);
        continue;
      }
      const batch = this.current ?? (await this.nextBatch());
      if (!batch) break;
      this.current = batch;
      await this.send(batch);
    }
    this.drainRequested = false;
  }

  private async nextBatch(): Promise<Batch | null> {
    const { spool, buffer, batchSize, maxBatchBytes } = this.options;
    while (spool?.hasFiles) {
      const read = await spool.readOldest();
      if (!read) break;
      if ('events' in read) return { events: read.events, spoolFile: read.file };
      this.options.stats.drop('spool_full', read.file.count);
      this.report(
        'internal',
        `dropped unreadable spool file ${read.file.file}: ${describeError(read.error)}`,
      );
      await spool.remove(read.file);
    }
    buffer.encodePending();
    if (buffer.readyCount === 0) return null;
    if (!(this.drainRequested || this.urgent > 0 || this.batchIsFull())) return null;
    const size = Math.min(requestSize(buffer.readyCount, batchSize), this.requestLimit);
    const events = buffer.take(size, maxBatchBytes);
    return events.length > 0 ? { events, spoolFile: undefined } : null;
  }

  /** Sends a batch in requests of at most `requestLimit` events; stops at the first retryable failure. */
  private async send(batch: Batch): Promise<void> {
    const { stats, client, maxBatchBytes } = this.options;
    while (batch.events.length > 0 && !this.stopped) {
      // A batch read back from the spool can be bigger than one request should be.
      const limit = this.normalLimit();
      const chunk = this.isolation.nextRequest(batch.events, limit, maxBatchBytes);
      stats.requests++;
      const outcome = await postIngest(client, this.drops.bodyFor(chunk));
      if (outcome.kind === 'acknowledged') this.drops.acknowledged();
      if (this.current !== batch) {
        // Shutdown or exit moved this batch to the spool meanwhile; the server dedupes the resend.
        if (outcome.kind === 'acknowledged') this.settle(chunk, outcome.results);
        return;
      }
      if (outcome.kind === 'retry') {
        if (await this.afterRetryable(batch, chunk, outcome)) continue;
        return;
      }
      if (outcome.kind === 'too_large' && chunk.length > 1) {
        this.requestLimit = Math.ceil(chunk.length / 2);
        continue;
      }
      if (outcome.kind === 'acknowledged') {
        this.failures = 0;
        this.retryAt = 0;
        this.settle(chunk, outcome.results);
      } else {
        this.report(outcome.error.code, outcome.error.message, outcome.error);
        for (const event of chunk)
          stats.fail({ eventId: event.id, type: event.type, reason: outcome.error.code });
      }
      this.isolation.onSettled(chunk, outcome.kind === 'acknowledged', limit);
      this.removeSent(batch, chunk);
    }
    if (batch.events.length > 0) return;
    if (batch.spoolFile) await this.options.spool?.remove(batch.spoolFile);
    this.finishBatch();
  }

  private normalLimit(): number {
    return Math.min(this.requestLimit, 2 * this.options.batchSize);
  }

  private removeSent(batch: Batch, chunk: readonly EncodedEvent[]): void {
    batch.events = withoutSent(batch.events, chunk);
    if (!batch.spoolFile) this.options.buffer.release(chunk);
    this.checkWaiters();
  }

  private finishBatch(): void {
    this.current = null;
    this.isolation.endBatch();
    this.checkWaiters();
  }

  /** After a retryable failure: true to go on sending from `batch` at once, false to return to the loop. */
  private async afterRetryable(
    batch: Batch,
    chunk: readonly EncodedEvent[],
    outcome: Extract<SendOutcome, { kind: 'retry' }>,
  ): Promise<boolean> {
    const { buffer, spool, stats, report, maxBatchBytes } = this.options;
    const context = { buffer, spool, stats, report, limit: this.normalLimit(), maxBytes: maxBatchBytes };
    const next = isServerError(outcome)
      ? await this.isolation.afterServerError(batch, chunk, outcome.error, context)
      : 'retry';
    if (this.current !== batch) return false;
    if (next === 'dropped') this.removeSent(batch, chunk);
    if (next === 'dropped' || next === 'continue') return true;
    if (next === 'next') this.finishBatch();
    else await this.scheduleRetry(batch, outcome.error, outcome.retryAfterMs);
    return false;
  }

  private async scheduleRetry(
    batch: Batch,
    error: TrackerError,
    retryAfterMs: number | undefined,
  ): Promise<void> {
    const { stats, spool, buffer, backoff } = this.options;
    this.failures++;
    stats.retries++;
    const delay = nextRetryDelay(this.failures, retryAfterMs, backoff);
    this.retryAt = Date.now() + delay;
    this.report(error.code, `${error.message}; retrying in ${Math.round(delay)} ms`, error);
    if (!spool || batch.spoolFile) return;
    try {
      const written = await spool.write(batch.events);
      if (!written) stats.drop('spool_full', batch.events.length);
      buffer.release(batch.events);
      this.current = null;
    } catch (writeError) {
      this.report('internal', `cannot write the spool: ${describeError(writeError)}`, writeError);
    }
  }

  /** While the collector is unreachable, moves what waits in memory to disk. */
  private async spoolWaiting(): Promise<void> {
    const { spool, buffer, batchSize, maxBatchBytes, stats } = this.options;
    if (!spool) return;
    buffer.encodePending();
    while (buffer.readyCount > 0 && !this.stopped) {
      const events = buffer.take(batchSize, maxBatchBytes);
      try {
        if (!(await spool.write(events))) stats.drop('spool_full', events.length);
        buffer.release(events);
      } catch (error) {
        buffer.restore(events);
        this.report('internal', `cannot write the spool: ${describeError(error)}`, error);
        return;
      }
    }
  }

  private settle(chunk: readonly EncodedEvent[], results: IngestResult[] | undefined): void {
    settleResults(this.options.stats, chunk, results, this.options.report);
  }

  private minUnsettledSeq(): number {
    let min = this.options.buffer.minWaitingSeq();
    for (const event of this.current?.events ?? []) if (event.seq < min) min = event.seq;
    const spoolMin = this.options.spool?.minSeq() ?? Number.POSITIVE_INFINITY;
    return Math.min(min, spoolMin);
  }

  private waitSettled(target: number, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(target, timeoutMs, () => this.minUnsettledSeq());
  }

  private checkWaiters(): void {
    if (this.waiters.size > 0) this.waiters.check(this.minUnsettledSeq());
  }

  private report(code: TrackerError['code'], message: string, cause?: unknown): void {
    this.options.report(new TrackerError(code, message, { cause }));
  }
}
