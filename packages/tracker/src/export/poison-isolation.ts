/**
 * Poison isolation: a batch holding an event the collector cannot store (it answers 500 to every
 * request that holds it) must not block every later event. After bounded retries the batch is split
 * (bisected) down to the single event at fault, which is dropped (counted as `server_error`) only
 * once the collector has shown it stores other events meanwhile; so an outage, where every request
 * fails, never drops anything.
 */
import { TrackerError } from '../errors.ts';
import type { EncodedEvent } from '../raw-event.ts';
import type { StatsRecorder } from '../tracker-stats.ts';
import type { EventBuffer } from './event-buffer.ts';
import type { SendOutcome } from './ingest-client.ts';
import { takeRequest } from './request-size.ts';
import type { Spool, SpoolFile } from './spool.ts';

/** Events being sent (or waiting to be retried), from memory or from one spool file. */
export interface Batch {
  events: EncodedEvent[];
  spoolFile: SpoolFile | undefined;
}

/** What the exporter does after a server error on a request. */
export type AfterServerError =
  /** Send from the batch again now (a smaller request, or the events other than a suspect). */
  | 'continue'
  /** The request's single event was dropped (and counted): remove it from the batch and go on. */
  | 'dropped'
  /** The batch was set aside (its suspects moved to a new spool file): take the next batch. */
  | 'next'
  /** Retry after the backoff delay, as for any retryable failure. */
  | 'retry';

type IsolationStep =
  /** Send the same request again after the backoff delay. */
  | 'retry'
  /** The request size was lowered: send the first part of it now. */
  | 'split'
  /** The single event became a suspect: go on now with the others, it waits for proof. */
  | 'suspect'
  /** The single event failed again after the collector stored others: drop it and go on. */
  | 'drop';

/** Attempts of one request (a server error each) before it is split, or a single event suspected. */
export const SERVER_ERROR_ATTEMPTS = 3;
/** Most suspects remembered (they are kept by id across retries and the spool). */
const MAX_SUSPECTS = 1000;

/** Whether an outcome is a server error worth isolating: a 5xx other than 503, without Retry-After. */
export function isServerError(outcome: SendOutcome): boolean {
  if (outcome.kind !== 'retry' || outcome.retryAfterMs !== undefined) return false;
  const status = outcome.error.status;
  return status !== undefined && status >= 500 && status !== 503;
}

/**
 * The bisection state of the exporter. A request failing with a server error
 * `SERVER_ERROR_ATTEMPTS` times is halved, and while isolating every failing request of several
 * events is halved at once; each acknowledged request doubles the size back. A single event failing
 * `SERVER_ERROR_ATTEMPTS` times becomes a suspect, skipped while the others go on; once the
 * collector acknowledges another request, the suspect is sent alone first, and dropped if it fails
 * again. State is kept by event id, so it survives a batch moving to the disk spool.
 */
export class PoisonIsolation {
  /** Request size cap while isolating, or null. */
  private limit: number | null = null;
  private failingKey = '';
  private attempts = 0;
  /** Suspect event ids: true once the collector acknowledged another request since it was suspected. */
  private readonly suspects = new Map<string, boolean>();

  /** The events of the next request: a provable suspect alone, else the others in order (suspects skipped). */
  nextRequest(events: readonly EncodedEvent[], limit: number, maxBytes: number): EncodedEvent[] {
    const cap = Math.min(limit, this.limit ?? limit);
    if (this.suspects.size === 0) return takeRequest(events, cap, maxBytes);
    const provable = events.find((event) => this.suspects.get(event.id) === true);
    if (provable) return [provable];
    const others = events.filter((event) => !this.suspects.has(event.id));
    return others.length > 0 ? takeRequest(others, cap, maxBytes) : events.slice(0, 1);
  }

  /** Handles a server error (`isServerError`) on `chunk` of `batch`: what the exporter does next. */
  async afterServerError(
    batch: Batch,
    chunk: readonly EncodedEvent[],
    error: TrackerError,
    context: IsolationContext,
  ): Promise<AfterServerError> {
    const step = this.onServerError(chunk);
    if (step === 'drop') {
      context.stats.drop('server_error');
      context.report(poisonDropped(chunk[0] as EncodedEvent, error));
      return 'dropped';
    }
    if (step === 'split') return 'continue';
    if (this.onlySuspectsLeft(batch.events)) return setAsideSuspects(batch, context);
    return step === 'suspect' ? 'continue' : 'retry';
  }

  /** The collector answered for `chunk` (acknowledged or refused it): it is settled. */
  onSettled(chunk: readonly EncodedEvent[], acknowledged: boolean, normalLimit: number): void {
    for (const event of chunk) this.suspects.delete(event.id);
    this.attempts = 0;
    this.failingKey = '';
    if (!acknowledged) return;
    for (const id of this.suspects.keys()) this.suspects.set(id, true);
    if (this.limit !== null) this.limit = this.limit * 2 >= normalLimit ? null : this.limit * 2;
  }

  /** Forgets the bisection of a finished (or set aside) batch; suspects are kept, they may come back. */
  endBatch(): void {
    this.limit = null;
    this.attempts = 0;
    this.failingKey = '';
  }

  /** Whether every event left is a suspect still waiting for proof (nothing else to send from this batch). */
  private onlySuspectsLeft(events: readonly EncodedEvent[]): boolean {
    return this.suspects.size > 0 && events.every((event) => this.suspects.get(event.id) === false);
  }

  /** Decides what follows a server error on `chunk`. */
  private onServerError(chunk: readonly EncodedEvent[]): IsolationStep {
    const first = chunk[0];
    if (!first) return 'retry';
    if (chunk.length === 1) return this.singleFailed(first.id);
    if (!this.countAttempt(`${first.id}/${chunk.length}`) && this.limit === null) return 'retry';
    this.limit = Math.ceil(chunk.length / 2);
    this.attempts = 0;
    return 'split';
  }

  private singleFailed(id: string): IsolationStep {
    const proven = this.suspects.get(id);
    if (proven === true) {
      this.suspects.delete(id);
      return 'drop';
    }
    if (proven === false || !this.countAttempt(id)) return 'retry';
    this.attempts = 0;
    this.suspects.set(id, false);
    if (this.suspects.size > MAX_SUSPECTS) this.suspects.delete(this.suspects.keys().next().value as string);
    return 'suspect';
  }

  /** Counts one more failure of the request `key`; true when it reached `SERVER_ERROR_ATTEMPTS`. */
  private countAttempt(key: string): boolean {
    this.attempts = key === this.failingKey ? this.attempts + 1 : 1;
    this.failingKey = key;
    return this.attempts >= SERVER_ERROR_ATTEMPTS;
  }
}

function poisonDropped(event: EncodedEvent, error: TrackerError): TrackerError {
  return new TrackerError(
    'upstream_failed',
    `the collector cannot store event ${event.id} (${event.type}): it answered ${error.status} to it alone ` +
      `${SERVER_ERROR_ATTEMPTS + 1} times, the last after storing other events; dropped it ` +
      '(counted in stats().dropped.reasons.server_error and reported to the collector)',
    error.status === undefined ? { cause: error } : { cause: error, status: error.status },
  );
}

/** The events of `events` not in `sent` (a prefix in the common case), keeping their order. */
export function withoutSent(events: EncodedEvent[], sent: readonly EncodedEvent[]): EncodedEvent[] {
  if (sent.every((event, index) => events[index] === event)) return events.slice(sent.length);
  const gone = new Set(sent);
  return events.filter((event) => !gone.has(event));
}

/** What the isolation needs of the exporter: where other events wait, and where drops are counted. */
export interface IsolationContext {
  buffer: EventBuffer;
  spool: Spool | undefined;
  stats: StatsRecorder;
  report: (error: TrackerError) => void;
  /** The request size outside isolation. */
  limit: number;
  maxBytes: number;
}

/**
 * When only suspects are left in `batch`, finds other events to send so that they prove (or not)
 * that the collector works: borrows the events waiting in memory into the batch (a spool batch
 * becomes a memory batch first), else moves a spool batch's suspects to a new spool file, behind
 * the other files. Resolves to 'continue' (send from the batch now), 'next' (the batch is gone:
 * take the next one) or 'retry' (nothing else to send: retry after the backoff, as before).
 */
async function setAsideSuspects(batch: Batch, context: IsolationContext): Promise<AfterServerError> {
  const { buffer, spool, limit, maxBytes } = context;
  buffer.encodePending();
  const file = batch.spoolFile;
  if (buffer.readyCount > 0) {
    if (file) {
      buffer.adopt(batch.events);
      batch.spoolFile = undefined;
    }
    batch.events.push(...buffer.take(limit, maxBytes));
    if (file) await spool?.remove(file);
    return 'continue';
  }
  if (!file || !spool || spool.fileCount < 2) return 'retry';
  try {
    if (!(await spool.write(batch.events))) return 'retry';
  } catch {
    return 'retry';
  }
  await spool.remove(file);
  return 'next';
}
