import { type ClientReport, EVENT_TYPES, type EventType } from '@sightline/core';

/** Why events were dropped before reaching the server (the keys of `dropped.reasons`). */
export type DropReason =
  | 'buffer_full'
  | 'buffer_bytes'
  | 'spool_full'
  | 'before_send_error'
  | 'encode_error'
  | 'invalid_input'
  | 'no_conversation'
  | 'internal_error'
  | 'after_shutdown'
  | 'process_exit'
  /** The collector failed (5xx) on this event alone, repeatedly, while it stored others: a poison event. */
  | 'server_error';

/** One event the server (or the exporter) refused, with the reason. */
export interface FailedEvent {
  eventId: string | null;
  type: EventType;
  reason: string;
}

/** What `flush()` resolves to: what was settled since the previous flush, and what is still pending. */
export interface FlushSummary {
  /** Everything buffered at call time was acknowledged, and nothing failed or was dropped. */
  ok: boolean;
  /** The timeout passed before the server acknowledged everything. */
  timedOut: boolean;
  /** Events the server acknowledged (accepted or recognized as duplicates). */
  sent: number;
  duplicates: number;
  /** Acknowledged events per kind. */
  byType: Record<EventType, number>;
  /** Events refused (by the server per event, or the whole batch); never retried. */
  failed: number;
  /** The first 100 refusals with their reasons. */
  failures: FailedEvent[];
  /** Events dropped (buffer full, beforeSend threw, a poison event the collector cannot store...). */
  dropped: number;
  /** Events not yet acknowledged when the flush resolved. */
  pending: number;
  /** Of those, how many wait in the disk spool. */
  spooled: number;
  durationMs: number;
}

/** Counters since the tracker started. */
export interface TrackerStats {
  enabled: boolean;
  instanceId: string;
  /** Events waiting in memory (including the batch in flight). */
  buffered: number;
  bufferedBytes: number;
  /** Events accepted into the buffer. */
  tracked: number;
  /** Events the server acknowledged. */
  sent: number;
  duplicates: number;
  /** Events refused by the server or unsendable, with counts per reason. */
  failed: number;
  failedReasons: Record<string, number>;
  /** Events `beforeSend` chose to drop (not counted as dropped). */
  filtered: number;
  /** Events with a value cut to fit the server's limits. */
  truncated: number;
  /**
   * Events lost before sending, or as poison events the collector cannot store (`server_error`);
   * reported to the server in every ingest request.
   */
  dropped: { events: number; payloadsTruncated: number; reasons: Record<string, number> };
  /** Events waiting in the disk spool. */
  spooled: number;
  spooledBytes: number;
  requests: number;
  retries: number;
  lastError: { code: string; message: string; at: string } | null;
}

const MAX_FAILURES = 100;

function emptyByType(): Record<EventType, number> {
  return Object.fromEntries(EVENT_TYPES.map((type) => [type, 0])) as Record<EventType, number>;
}

interface Window {
  sent: number;
  duplicates: number;
  byType: Record<EventType, number>;
  failed: number;
  failures: FailedEvent[];
  dropped: number;
}

function emptyWindow(): Window {
  return { sent: 0, duplicates: 0, byType: emptyByType(), failed: 0, failures: [], dropped: 0 };
}

/** The tracker's counters, and the window of outcomes a `flush()` summarizes. */
export class StatsRecorder {
  tracked = 0;
  sent = 0;
  duplicates = 0;
  failed = 0;
  filtered = 0;
  truncated = 0;
  requests = 0;
  retries = 0;
  droppedEvents = 0;
  payloadsTruncated = 0;
  readonly failedReasons: Record<string, number> = {};
  readonly dropReasons: Record<string, number> = {};
  lastError: TrackerStats['lastError'] = null;
  private window = emptyWindow();

  /** Counts events lost before sending. */
  drop(reason: DropReason, count = 1): void {
    if (count <= 0) return;
    this.droppedEvents += count;
    this.dropReasons[reason] = (this.dropReasons[reason] ?? 0) + count;
    this.window.dropped += count;
  }

  /** Counts one event the server acknowledged. */
  acknowledge(type: EventType, duplicate: boolean): void {
    this.sent++;
    this.window.sent++;
    this.window.byType[type]++;
    if (duplicate) {
      this.duplicates++;
      this.window.duplicates++;
    }
  }

  /** Counts one event refused for good. */
  fail(event: FailedEvent): void {
    this.failed++;
    const key = event.reason.split(':')[0] ?? event.reason;
    this.failedReasons[key] = (this.failedReasons[key] ?? 0) + 1;
    this.window.failed++;
    if (this.window.failures.length < MAX_FAILURES) this.window.failures.push(event);
  }

  /** Returns the outcomes since the previous call and starts a new window. */
  takeWindow(): Window {
    const window = this.window;
    this.window = emptyWindow();
    return window;
  }

  /** The `client` report sent with every ingest request (cumulative counts). */
  clientReport(instanceId: string, version: string): ClientReport {
    return {
      sdk: '@sightline/tracker',
      version,
      instanceId,
      dropped: {
        events: this.droppedEvents,
        payloadsTruncated: this.payloadsTruncated,
        reasons: { ...this.dropReasons },
      },
    };
  }
}
