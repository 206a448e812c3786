import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrackerError } from '../errors.ts';
import {
  type FakeCollector,
  type FakeCollectorOptions,
  startFakeCollector,
} from '../testing/fake-collector.ts';
import { createTracker, type Tracker } from '../tracker.ts';
import type { TrackerOptions } from '../tracker-options.ts';
import { backoffDelay, nextRetryDelay, parseRetryAfter } from './backoff.ts';

let collector: FakeCollector;
let errors: TrackerError[];
let trackers: Tracker[];
let dirs: string[];

async function collectorWith(options: FakeCollectorOptions = {}): Promise<FakeCollector> {
  await collector?.stop();
  collector = await startFakeCollector(options);
  return collector;
}

function make(options: TrackerOptions = {}): Tracker {
  const tracker = createTracker({
    endpoint: collector.url,
    onError: (error) => errors.push(error),
    flushIntervalMs: 20,
    retryBaseDelayMs: 20,
    retryMaxDelayMs: 100,
    ...options,
  });
  trackers.push(tracker);
  return tracker;
}

/** Polls until `condition` holds (or fails after `timeoutMs`): no fixed sleeps that a busy machine could outrun. */
async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sl-spool-'));
  dirs.push(dir);
  return dir;
}

beforeEach(async () => {
  collector = await startFakeCollector();
  errors = [];
  trackers = [];
  dirs = [];
});

afterEach(async () => {
  await Promise.all(trackers.map((tracker) => tracker.shutdown({ timeoutMs: 200 })));
  await collector.stop();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('batching', () => {
  it('sends by count, keeps tracking order, and by interval without any flush call', async () => {
    const tracker = make({ batchSize: 10, flushIntervalMs: 60_000 });
    const convo = tracker.conversation('batch');
    for (let index = 0; index < 25; index++) convo.trackHumanMessage(`m${index}`);
    await waitFor(() => collector.requests.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // 25 waiting is more than two batches behind: one request of twice the batch size went out on its
    // own; the last 5 (less than a batch) wait for the interval (60 s here) or a flush.
    expect(collector.requests.map((request) => request.eventCount)).toEqual([20]);
    for (let index = 25; index < 37; index++) convo.trackHumanMessage(`m${index}`);
    await waitFor(() => collector.requests.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // 17 waiting: a full batch but not two, so a request of the batch size.
    expect(collector.requests.map((request) => request.eventCount)).toEqual([20, 10]);
    await tracker.flush();
    expect(collector.requests.map((request) => request.eventCount)).toEqual([20, 10, 7]);
    expect(collector.eventsOf('batch').map((event) => event.body.content)).toEqual(
      Array.from({ length: 37 }, (_, index) => `m${index}`),
    );

    const timed = make({ flushIntervalMs: 30 });
    timed.conversation('interval').trackHumanMessage('no flush needed');
    await waitFor(() => collector.eventsOf('interval').length === 1);
  });

  it('splits a batch the collector refuses as too large (413) and delivers every event', async () => {
    await collectorWith({ intercept: ({ eventCount }) => (eventCount > 4 ? { status: 413 } : undefined) });
    const tracker = make({ batchSize: 20 });
    const convo = tracker.conversation('split');
    for (let index = 0; index < 20; index++) convo.trackHumanMessage(`m${index}`);
    const summary = await tracker.flush();
    expect(summary).toMatchObject({ sent: 20, failed: 0 });
    expect(collector.eventsOf('split')).toHaveLength(20);
    expect(collector.requests.filter((request) => request.status === 413).length).toBeGreaterThan(0);
  });
});

describe('retries', () => {
  it('retries 503 and 429 honouring Retry-After, loses nothing and duplicates nothing', async () => {
    const answers = [
      { status: 503, headers: { 'retry-after': '1' } },
      { status: 429, headers: { 'retry-after': '0.3' } },
    ];
    const times: number[] = [];
    await collectorWith({
      intercept: ({ index }) => {
        times.push(Date.now());
        return answers[index];
      },
    });
    const tracker = make();
    const convo = tracker.conversation('retry');
    for (let index = 0; index < 5; index++) convo.trackHumanMessage(`m${index}`);
    const summary = await tracker.flush({ timeoutMs: 5000 });
    expect(summary).toMatchObject({ ok: true, sent: 5 });
    expect(collector.requests.map((request) => request.status)).toEqual([503, 429, 200]);
    expect((times[1] as number) - (times[0] as number)).toBeGreaterThanOrEqual(1000);
    expect((times[2] as number) - (times[1] as number)).toBeGreaterThanOrEqual(300);
    expect(collector.eventsOf('retry').map((event) => event.body.content)).toEqual([
      'm0',
      'm1',
      'm2',
      'm3',
      'm4',
    ]);
    expect(tracker.stats()).toMatchObject({ retries: 2, sent: 5, duplicates: 0 });
    expect(errors.map((error) => error.code)).toEqual(['overloaded', 'rate_limited']);
  });

  it('backs off exponentially with jitter, capped', () => {
    const options = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, options, () => 0))).toEqual([
      50, 100, 200, 400, 500,
    ]);
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, options, () => 1))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
    expect(nextRetryDelay(3, 2000, options, () => 0.5)).toBe(2100);
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('bounded buffer while the collector is down', () => {
  it('keeps memory flat, counts every drop, and reports the count to the collector when it is back', async () => {
    await collector.stop();
    const cap = 200;
    const tracker = make({ maxBufferEvents: cap, batchSize: 50 });
    const convo = tracker.conversation('outage');
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let maxBuffered = 0;
    let maxBytes = 0;
    for (let index = 0; index < 20_000; index++) {
      convo.trackHumanMessage(`message ${index} ${'x'.repeat(100)}`);
      if (index % 1000 === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        maxBuffered = Math.max(maxBuffered, tracker.stats().buffered);
        maxBytes = Math.max(maxBytes, tracker.stats().bufferedBytes);
      }
    }
    const stats = tracker.stats();
    expect(maxBuffered).toBeLessThanOrEqual(cap);
    expect(maxBytes).toBeLessThanOrEqual(cap * 1024);
    gc();
    // 20,000 events tracked, 200 kept: the heap grows by what 200 events take, not 20,000.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(2 * 1024 * 1024);
    expect(stats.buffered).toBe(cap);
    expect(stats.dropped).toEqual({
      events: 20_000 - cap,
      payloadsTruncated: 0,
      reasons: { buffer_full: 20_000 - cap },
    });

    await collector.start();
    const summary = await tracker.flush({ timeoutMs: 5000 });
    expect(summary.sent).toBe(cap);
    expect(collector.eventsOf('outage')).toHaveLength(cap);
    expect(collector.lastClientReport?.dropped).toEqual({
      events: 20_000 - cap,
      payloadsTruncated: 0,
      reasons: { buffer_full: 20_000 - cap },
    });
    expect(collector.lastClientReport?.sdk).toBe('@sightline/tracker');
  });

  it('over the byte bound truncates the largest step payloads first, marking them, then drops the newest', async () => {
    await collector.stop();
    const tracker = make({ maxBufferBytes: 200_000 });
    const convo = tracker.conversation('bytes');
    for (let index = 0; index < 30; index++) {
      // Decreasing sizes: at each relief the largest buffered payloads are the oldest ones.
      convo.trackAction({
        name: `tool-${index}`,
        input: 'i'.repeat(12_000 - index * 50),
        response: { rows: 'o'.repeat(5000) },
      });
    }
    for (let index = 0; index < 10; index++) convo.trackHumanMessage(`small ${index}`);
    const stats = tracker.stats();
    expect(stats.bufferedBytes).toBeLessThanOrEqual(200_000);
    expect(stats.dropped.payloadsTruncated).toBeGreaterThan(0);
    expect(stats.dropped.events).toBe(0);

    await collector.start();
    await tracker.flush({ timeoutMs: 5000 });
    const steps = collector.eventsOf('bytes').filter((event) => event.type === 'step');
    const truncated = steps.filter(
      (event) => (event.body.metadata as Record<string, unknown> | undefined)?.['sightline.truncated'],
    );
    expect(truncated).toHaveLength(stats.dropped.payloadsTruncated);
    expect(truncated[0]?.body.input).toMatchObject({
      truncated: true,
      reason: 'buffer_full',
      originalChars: expect.any(Number),
    });
    // The largest inputs went first: no kept payload is bigger than a truncated one was.
    const keptSizes = steps
      .filter((event) => !truncated.includes(event))
      .map((event) => (event.body.input as string).length);
    const cutSizes = truncated.map(
      (event) => (event.body.input as { originalChars: number }).originalChars - 2,
    );
    expect(Math.max(...keptSizes)).toBeLessThanOrEqual(Math.min(...cutSizes));
    expect(collector.lastClientReport?.dropped?.payloadsTruncated).toBe(stats.dropped.payloadsTruncated);

    await collector.stop();
    const tight = make({ maxBufferBytes: 20_000 });
    const small = tight.conversation('tight');
    for (let index = 0; index < 500; index++) small.trackHumanMessage(`message ${index} ${'y'.repeat(200)}`);
    expect(tight.stats().bufferedBytes).toBeLessThanOrEqual(20_000);
    expect(tight.stats().dropped.reasons.buffer_bytes).toBeGreaterThan(0);
  });
});

describe('flush', () => {
  it('resolves with a timed-out summary when the collector stays down', async () => {
    await collector.stop();
    const tracker = make();
    tracker.conversation('down').trackHumanMessage('anyone?');
    const summary = await tracker.flush({ timeoutMs: 150 });
    expect(summary).toMatchObject({ ok: false, timedOut: true, sent: 0, pending: 1 });
  });
});

describe('disk spool', () => {
  it('resends what an earlier tracker spooled while the collector was down, with the same ids', async () => {
    const spoolDir = await tempDir();
    await collector.stop();
    const first = make({ spoolDir, batchSize: 10 });
    const convo = first.conversation('spooled');
    const ids = Array.from({ length: 25 }, (_, index) => convo.trackHumanMessage(`m${index}`));
    const summary = await first.shutdown({ timeoutMs: 200 });
    expect(summary).toMatchObject({ timedOut: true, spooled: 25 });
    expect((await readdir(spoolDir)).filter((name) => name.endsWith('.ndjson')).length).toBeGreaterThan(0);

    await collector.start();
    const second = make({ spoolDir, batchSize: 4, maxBatchBytes: 4096 });
    const resent = await second.flush({ timeoutMs: 5000 });
    expect(resent).toMatchObject({ ok: true, sent: 25, pending: 0 });
    expect(collector.eventsOf('spooled').map((event) => event.id)).toEqual(ids);
    // Spool files are read back whole; requests still keep to twice the batch size.
    const sizes = collector.requests.map((request) => request.eventCount).filter((count) => count > 0);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(8);
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('moves the in-flight batch to disk when the collector fails, and sends it from there', async () => {
    const spoolDir = await tempDir();
    await collectorWith({
      intercept: ({ index }) => (index < 2 ? { status: 503, headers: { 'retry-after': '0.05' } } : undefined),
    });
    const tracker = make({ spoolDir });
    const convo = tracker.conversation('disk');
    for (let index = 0; index < 5; index++) convo.trackHumanMessage(`m${index}`);
    const summary = await tracker.flush({ timeoutMs: 5000 });
    expect(summary).toMatchObject({ ok: true, sent: 5, spooled: 0 });
    expect(collector.eventsOf('disk')).toHaveLength(5);
    expect(await readdir(spoolDir)).toEqual([]);
  });
});
