import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrackerError } from '../errors.ts';
import {
  type FakeCollector,
  type FakeCollectorOptions,
  startFakeCollector,
  type WireEvent,
} from '../testing/fake-collector.ts';
import { createTracker, type Tracker } from '../tracker.ts';
import type { TrackerOptions } from '../tracker-options.ts';

let collector: FakeCollector | undefined;
let errors: TrackerError[];
let trackers: Tracker[];
let dirs: string[];

/** The collector cannot store a message whose content starts with "poison". */
const poison = (event: WireEvent) => String(event.body.content ?? '').startsWith('poison');

async function start(options: FakeCollectorOptions = {}): Promise<FakeCollector> {
  collector = await startFakeCollector(options);
  return collector;
}

function make(url: string, options: TrackerOptions = {}): Tracker {
  const tracker = createTracker({
    endpoint: url,
    onError: (error) => errors.push(error),
    flushIntervalMs: 20,
    retryBaseDelayMs: 10,
    retryMaxDelayMs: 40,
    exitHooks: false,
    ...options,
  });
  trackers.push(tracker);
  return tracker;
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Events the collector was sent in requests it answered 2xx (each accepted event once = nothing re-sent). */
function deliveredCount(fake: FakeCollector): number {
  return fake.requests
    .filter((request) => request.status >= 200 && request.status < 300)
    .reduce((sum, request) => sum + request.eventCount, 0);
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sl-poison-'));
  dirs.push(dir);
  return dir;
}

beforeEach(() => {
  collector = undefined;
  errors = [];
  trackers = [];
  dirs = [];
});

afterEach(async () => {
  await Promise.all(trackers.map((tracker) => tracker.shutdown({ timeoutMs: 200 })));
  await collector?.stop();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('poison batch', () => {
  it('delivers every other event, drops the one the collector cannot store with a counted reason, and reports it in the next request', async () => {
    const fake = await start({ cannotStore: poison });
    const tracker = make(fake.url);
    const convo = tracker.conversation('poisoned');
    const other = tracker.conversation('bystander');
    const contents = Array.from({ length: 10 }, (_, index) => (index === 4 ? 'poison 4' : `m${index}`));
    for (const [index, content] of contents.entries()) {
      convo.trackHumanMessage(content);
      other.trackAgentMessage(`other ${index}`);
    }
    const summary = await tracker.flush({ timeoutMs: 10_000 });

    expect(summary).toMatchObject({
      ok: false,
      timedOut: false,
      sent: 19,
      failed: 0,
      dropped: 1,
      pending: 0,
    });
    // Every other event, of both conversations, arrived once and in tracking order.
    expect(fake.eventsOf('poisoned').map((event) => event.body.content)).toEqual(
      contents.filter((content) => content !== 'poison 4'),
    );
    expect(fake.eventsOf('bystander').map((event) => event.body.content)).toEqual(
      contents.map((_, index) => `other ${index}`),
    );
    expect(deliveredCount(fake)).toBe(19);
    expect(tracker.stats()).toMatchObject({
      sent: 19,
      duplicates: 0,
      dropped: { events: 1, reasons: { server_error: 1 } },
    });
    // The first request after the drop already carries the count, and every later one does.
    const lastRefused = fake.requests.findLastIndex((request) => request.status === 500);
    expect(fake.requests[lastRefused + 1]?.client?.dropped).toEqual({
      events: 1,
      payloadsTruncated: 0,
      reasons: { server_error: 1 },
    });
    expect(errors.map((error) => error.message)).toContainEqual(expect.stringMatching(/dropped it/));

    convo.trackHumanMessage('after');
    expect(await tracker.flush()).toMatchObject({ ok: true, sent: 1, dropped: 0 });
    expect(fake.lastClientReport?.dropped?.reasons).toEqual({ server_error: 1 });
  });

  it('drops nothing while every request fails with 500 (an outage, not a poison event), and delivers all once it is over', async () => {
    let down = true;
    const fake = await start({ intercept: () => (down ? { status: 500 } : undefined) });
    const tracker = make(fake.url, { retryMaxDelayMs: 20 });
    const convo = tracker.conversation('outage');
    for (let index = 0; index < 8; index++) convo.trackHumanMessage(`m${index}`);
    const during = await tracker.flush({ timeoutMs: 1500 });
    expect(during).toMatchObject({ timedOut: true, dropped: 0, failed: 0, pending: 8 });
    // The exporter did look for a poison event: it split the batch down to single events.
    expect(fake.requests.map((request) => request.eventCount)).toContain(1);

    down = false;
    const after = await tracker.flush({ timeoutMs: 5000 });
    expect(after).toMatchObject({ ok: true, sent: 8, dropped: 0, pending: 0 });
    expect(
      fake
        .eventsOf('outage')
        .map((event) => event.body.content)
        .sort(),
    ).toEqual(Array.from({ length: 8 }, (_, index) => `m${index}`));
    expect(tracker.stats()).toMatchObject({ dropped: { events: 0 }, duplicates: 0 });
  });

  it('keeps retrying 503 and 429 with the whole batch: overloaded is never split nor dropped', async () => {
    const answers = [503, 429, 503, 429, 503, 429];
    const fake = await start({
      intercept: ({ index }) => {
        const status = answers[index];
        return status ? { status, headers: { 'retry-after': '0.01' } } : undefined;
      },
    });
    const tracker = make(fake.url);
    const convo = tracker.conversation('busy');
    for (let index = 0; index < 6; index++) convo.trackHumanMessage(`m${index}`);
    expect(await tracker.flush({ timeoutMs: 5000 })).toMatchObject({ ok: true, sent: 6, dropped: 0 });
    expect(fake.requests.map((request) => [request.status, request.eventCount])).toEqual([
      ...answers.map((status) => [status, 6]),
      [200, 6],
    ]);
  });

  it('does not let a poison event alone in its batch block later events: they are delivered, then it is dropped', async () => {
    const fake = await start({ cannotStore: poison });
    const tracker = make(fake.url);
    const convo = tracker.conversation('lonely');
    convo.trackHumanMessage('poison alone');
    expect(await tracker.flush({ timeoutMs: 300 })).toMatchObject({ timedOut: true, dropped: 0, pending: 1 });

    for (let index = 0; index < 3; index++) convo.trackHumanMessage(`later ${index}`);
    const summary = await tracker.flush({ timeoutMs: 5000 });
    expect(summary).toMatchObject({ timedOut: false, sent: 3, dropped: 1, pending: 0 });
    expect(fake.eventsOf('lonely').map((event) => event.body.content)).toEqual([
      'later 0',
      'later 1',
      'later 2',
    ]);
    convo.trackHumanMessage('next');
    await tracker.flush();
    expect(fake.lastClientReport?.dropped).toMatchObject({ events: 1, reasons: { server_error: 1 } });
  });

  it('isolates a poison event in a batch moved to the disk spool, and one alone in its spool file', async () => {
    const fake = await start({ cannotStore: poison });
    const spoolDir = await tempDir();
    const tracker = make(fake.url, { spoolDir });
    const convo = tracker.conversation('spooled');
    for (const content of ['a', 'b', 'poison c', 'd', 'e']) convo.trackHumanMessage(content);
    expect(await tracker.flush({ timeoutMs: 10_000 })).toMatchObject({ sent: 4, dropped: 1, pending: 0 });
    expect(fake.eventsOf('spooled').map((event) => event.body.content)).toEqual(['a', 'b', 'd', 'e']);

    convo.trackHumanMessage('poison f');
    expect(await tracker.flush({ timeoutMs: 300 })).toMatchObject({ dropped: 0, pending: 1 });
    convo.trackHumanMessage('g');
    expect(await tracker.flush({ timeoutMs: 5000 })).toMatchObject({ sent: 1, dropped: 1, pending: 0 });
    expect(fake.eventsOf('spooled').map((event) => event.body.content)).toEqual(['a', 'b', 'd', 'e', 'g']);
    expect(tracker.stats().dropped.reasons).toEqual({ server_error: 2 });
    await waitFor(() => tracker.stats().spooled === 0);
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('moves a poison event alone in its spool file behind the other spool files, so they are not blocked', async () => {
    const fake = await start({ cannotStore: poison });
    await fake.stop();
    const spoolDir = await tempDir();
    const tracker = make(fake.url, { spoolDir });
    const convo = tracker.conversation('files');
    convo.trackHumanMessage('poison first');
    await waitFor(() => tracker.stats().spooled === 1);
    convo.trackHumanMessage('second');
    convo.trackHumanMessage('third');
    await waitFor(() => tracker.stats().spooled === 3);
    expect((await readdir(spoolDir)).length).toBe(2);

    await fake.start();
    expect(await tracker.flush({ timeoutMs: 5000 })).toMatchObject({ sent: 2, dropped: 1, pending: 0 });
    expect(fake.eventsOf('files').map((event) => event.body.content)).toEqual(['second', 'third']);
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('sends the events waiting in memory past a spooled poison event alone in its batch', async () => {
    const fake = await start({ cannotStore: poison });
    const spoolDir = await tempDir();
    let calls = 0;
    let later: (() => void) | undefined;
    const tracker = make(fake.url, {
      spoolDir,
      // Tracks a new event while the third attempt of the lone poison event is in flight, after the
      // exporter moved what waited in memory to the spool: the new event waits in memory.
      fetch: (input, init) => {
        if (++calls === 3) later?.();
        return fetch(input, init);
      },
    });
    const convo = tracker.conversation('memory');
    later = () => convo.trackHumanMessage('waiting in memory');
    convo.trackHumanMessage('poison spooled');
    expect(await tracker.flush({ timeoutMs: 5000 })).toMatchObject({ sent: 1, dropped: 1, pending: 0 });
    expect(fake.eventsOf('memory').map((event) => event.body.content)).toEqual(['waiting in memory']);
    expect(tracker.stats()).toMatchObject({ buffered: 0, spooled: 0 });
    expect(await readdir(spoolDir)).toEqual([]);
  });
});

describe('whole-request refusals (4xx without per-event results)', () => {
  it('fails that request with the reason, never retries it, and does not block later events', async () => {
    const fake = await start({
      intercept: ({ index }) =>
        index === 0
          ? { status: 422, body: { error: { code: 'invalid_request', message: 'proxy says no' } } }
          : undefined,
    });
    const tracker = make(fake.url);
    const convo = tracker.conversation('refused');
    convo.trackHumanMessage('first');
    expect(await tracker.flush()).toMatchObject({
      ok: false,
      failed: 1,
      failures: [{ reason: 'invalid_request' }],
      pending: 0,
    });
    convo.trackHumanMessage('second');
    expect(await tracker.flush()).toMatchObject({ ok: true, sent: 1, pending: 0 });
    expect(fake.requests.map((request) => request.status)).toEqual([422, 200]);
    expect(tracker.stats().retries).toBe(0);
  });
});
