/**
 * Makes sure the collector hears of every drop. A tracker's drop counters ride on each ingest
 * request (`client`), but a drop decided after the last request (an event the server could not
 * store, isolated and dropped at the end) would never be sent. This notes which totals an
 * acknowledged request carried, and on flush sends a report-only request (`events: []`) when the
 * collector has not heard the latest ones.
 */
import type { ClientReport } from '@sightline/core';
import type { EncodedEvent } from '../raw-event.ts';
import { buildIngestBody, type IngestClientOptions, postIngest } from './ingest-client.ts';
import { withTimeout } from './settlement-waiters.ts';

function totalOf(report: ClientReport): number {
  return (report.dropped?.events ?? 0) + (report.dropped?.payloadsTruncated ?? 0);
}

/** Tracks which drop totals the collector acknowledged, and reports the rest on flush. */
export class DropReport {
  readonly #report: () => ClientReport;
  #acknowledged = 0;
  #inFlight = 0;

  constructor(report: () => ClientReport) {
    this.#report = report;
  }

  /** The body of an ingest request carrying `events` and the current counters. */
  bodyFor(events: readonly EncodedEvent[]): string {
    const report = this.#report();
    this.#inFlight = totalOf(report);
    return buildIngestBody(events, report);
  }

  /** The request built last was acknowledged: the collector knows its counters. */
  acknowledged(): void {
    this.#acknowledged = Math.max(this.#acknowledged, this.#inFlight);
  }

  /** Sends the counters alone when the collector has not heard the latest; never throws. */
  async sendIfUnheard(client: IngestClientOptions, timeoutMs: number): Promise<void> {
    const report = this.#report();
    const total = totalOf(report);
    if (total <= this.#acknowledged) return;
    const outcome = await withTimeout(postIngest(client, buildIngestBody([], report)), timeoutMs);
    if (outcome && outcome.kind === 'acknowledged') this.#acknowledged = Math.max(this.#acknowledged, total);
  }
}
