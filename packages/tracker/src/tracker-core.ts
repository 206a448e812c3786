import { EventIdGenerator } from '@sightline/core';
import type { ErrorHandler } from './error-reporter.ts';
import { describeError, TrackerError } from './errors.ts';
import type { EventBuffer } from './export/event-buffer.ts';
import type { RawEvent } from './raw-event.ts';
import type { DropReason, StatsRecorder } from './tracker-stats.ts';

/**
 * The state a tracker shares with its conversation and step handles: the id generator, the
 * buffer and the counters. `record` is the hot path every tracking call ends in.
 */
export class TrackerCore {
  readonly ids = new EventIdGenerator();
  readonly buffer: EventBuffer;
  readonly stats: StatsRecorder;
  readonly report: ErrorHandler;
  readonly defaultEnvironment: string;
  enabled: boolean;
  closed = false;

  constructor(options: {
    buffer: EventBuffer;
    stats: StatsRecorder;
    report: ErrorHandler;
    defaultEnvironment: string;
    enabled: boolean;
  }) {
    this.buffer = options.buffer;
    this.stats = options.stats;
    this.report = options.report;
    this.defaultEnvironment = options.defaultEnvironment;
    this.enabled = options.enabled;
  }

  /** Appends one event to the buffer: no I/O, no serialization. */
  record(event: RawEvent): void {
    if (!this.enabled) return;
    if (this.closed) {
      this.stats.drop('after_shutdown');
      return;
    }
    this.buffer.push(event);
  }

  /** Reports which field was wrong and why; counts the event as dropped unless `reason` is null. */
  invalid(field: string, message: string, reason: DropReason | null = 'invalid_input'): void {
    if (!this.enabled) return;
    if (reason) this.stats.drop(reason);
    this.report(
      new TrackerError('invalid_request', `${field}: ${message}`, { issues: [{ path: field, message }] }),
    );
  }

  /** Reports an unexpected failure inside a tracking call (which still returns normally). */
  internal(operation: string, cause: unknown): void {
    this.stats.drop('internal_error');
    this.report(
      new TrackerError('internal', `${operation} failed inside the tracker: ${describeError(cause)}`, {
        cause,
      }),
    );
  }
}

/** Epoch milliseconds of a Date (or number, or date string); `fallback` when absent or invalid. */
export function toMillis(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const ms =
    value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(String(value));
  return Number.isFinite(ms) ? ms : fallback;
}

/** Epoch milliseconds, or undefined when absent or invalid. */
export function optionalMillis(value: unknown): number | undefined {
  const ms = toMillis(value, Number.NaN);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * A shallow copy of arrays and plain objects, taken when a value is tracked, so that a caller who
 * appends to the same array afterwards (the seeds' `message_history`) does not rewrite history.
 */
export function snapshot(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice();
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return { ...(value as Record<string, unknown>) };
  }
  return value;
}
