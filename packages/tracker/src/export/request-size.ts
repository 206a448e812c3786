/**
 * How many events one ingest request carries. One request is in flight at a time (so events arrive in
 * tracking order); when the exporter falls behind (a busy server tracking every agent run), requests
 * grow so that sending keeps up instead of the buffer filling up and dropping events.
 */
import { LIMITS } from '@sightline/core';
import type { EncodedEvent } from '../raw-event.ts';

/** Events for the next request: the batch size, or twice it (up to the collector's limit) when two batches wait. */
export function requestSize(waiting: number, batchSize: number): number {
  return waiting >= 2 * batchSize ? Math.min(2 * batchSize, LIMITS.maxBatchEvents) : batchSize;
}

/** The first events of `events` that fit one request: at most `limit` of them and `maxBytes` (at least one). */
export function takeRequest(
  events: readonly EncodedEvent[],
  limit: number,
  maxBytes: number,
): EncodedEvent[] {
  let count = 0;
  let bytes = 0;
  for (const event of events) {
    if (count >= limit || (count > 0 && bytes + event.bytes > maxBytes)) break;
    bytes += event.bytes;
    count += 1;
  }
  return events.slice(0, count);
}
