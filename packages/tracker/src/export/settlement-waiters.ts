import type { FieldIssue, IngestResult } from '@sightline/core';
import { TrackerError } from '../errors.ts';
import type { EncodedEvent } from '../raw-event.ts';
import type { StatsRecorder } from '../tracker-stats.ts';

/**
 * The promises `flush()` waits on: each waits until every event up to its target sequence number
 * is settled (acknowledged, refused or dropped), or until its timeout.
 */
export class SettlementWaiters {
  private waiters: Array<{ target: number; resolve: (settled: boolean) => void }> = [];

  get size(): number {
    return this.waiters.length;
  }

  /**
   * Resolves true once `minUnsettled()` passes `target`, false at the timeout. The timer is
   * deliberately ref'd: a caller awaiting flush() keeps the process alive until it resolves.
   */
  wait(target: number, timeoutMs: number, minUnsettled: () => number): Promise<boolean> {
    if (minUnsettled() > target) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        target,
        resolve: (settled: boolean) => {
          clearTimeout(timer);
          resolve(settled);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((candidate) => candidate !== waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Resolves every waiter whose target is now settled. */
  check(minUnsettled: number): void {
    if (this.waiters.length === 0) return;
    const remaining = [];
    for (const waiter of this.waiters) {
      if (minUnsettled > waiter.target) waiter.resolve(true);
      else remaining.push(waiter);
    }
    this.waiters = remaining;
  }

  /** Resolves every waiter with false (the exporter stopped). */
  cancelAll(): void {
    for (const waiter of this.waiters.splice(0)) waiter.resolve(false);
  }
}

/** Counts each event of an acknowledged request as sent, or as failed with the server's reason (reported). */
export function settleResults(
  stats: StatsRecorder,
  chunk: readonly EncodedEvent[],
  results: IngestResult[] | undefined,
  report: (error: TrackerError) => void,
): void {
  let rejected = 0;
  let first = '';
  chunk.forEach((event, index) => {
    const result = results?.[index];
    if (!result || result.status === 'accepted' || result.status === 'duplicate') {
      stats.acknowledge(event.type, result?.status === 'duplicate');
      return;
    }
    const reason = describeIssues(result.issues);
    if (rejected++ === 0) first = reason;
    stats.fail({ eventId: event.id, type: event.type, reason });
  });
  if (rejected > 0) {
    report(new TrackerError('invalid_request', `collector rejected ${rejected} event(s); first: ${first}`));
  }
}

function describeIssues(issues: FieldIssue[] | undefined): string {
  const first = issues?.[0];
  if (!first) return 'rejected';
  return `${first.path}: ${first.message}`;
}

/** Resolves to the promise's value, or to false when it rejects or `ms` pass first. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | false> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}
