/**
 * Erasure and the live feed: events of an erased conversation (or customer) still queued for a live
 * subscriber are dropped, counted in the receipt, and every subscriber is told (`event: erased` on
 * `/v1/live`), on this node and, through the PostgreSQL relay, on the others.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSightlineApp } from './app.ts';
import { LiveFeed } from './live-feed.ts';
import { createLogger } from './logger.ts';
import { createFixture, type Fixture, message, postEvents } from './test-fixture.ts';

/** Reads an SSE response until its text holds `needle`. */
function sseReader(res: Response) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    text: () => text,
    cancel: () => reader.cancel(),
    async until(needle: string) {
      while (!text.includes(needle)) {
        const { done, value } = await reader.read();
        if (done) throw new Error(`stream ended before "${needle}": ${text}`);
        text += decoder.decode(value);
      }
    },
  };
}

const live = (conversationId: string, customerId: string | null, id: string) => ({
  id,
  type: 'message' as const,
  timestamp: '2026-05-04T10:00:00.000Z',
  conversationId,
  customerId,
  summary: {},
});

describe('live feed erasure', () => {
  let f: Fixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  it('drops queued events of the erased conversations or customer, and queues the notice', async () => {
    const feed = new LiveFeed();
    const subscriber = feed.subscribe('p1');
    const other = feed.subscribe('p2');
    feed.publishLive('p1', [
      live('a', 'ada', '1'),
      live('b', 'bob', '2'),
      live('c', null, '3'),
      live('a', 'ada', '4'),
    ]);
    feed.publishLive('p2', [live('a', 'ada', '5')]);
    const erasure = { kind: 'customer' as const, id: 'bob', conversationIds: ['a'] };
    expect(feed.forget('p1', erasure)).toBe(3);
    expect(await subscriber.next(0)).toEqual({
      events: [live('c', null, '3')],
      dropped: 0,
      erased: [erasure],
    });
    expect((await other.next(0)).events).toHaveLength(1);
    // A notice wakes a subscriber waiting for events.
    const waiting = subscriber.next(60_000);
    feed.forget('p1', { kind: 'conversation', id: 'z', conversationIds: ['z'] });
    expect((await waiting).erased).toEqual([{ kind: 'conversation', id: 'z', conversationIds: ['z'] }]);
  });

  it('counts the dropped events in the receipt and streams `erased` to /v1/live', async () => {
    f = await createFixture();
    const queued = f.collector.live.subscribe(f.projectId);
    const stream = sseReader(await f.request(`/v1/live?access_token=${f.readKey}`));
    await stream.until('event: ready');
    await postEvents(f, [message('gone', 'first'), message('gone', 'second'), message('kept', 'third')]);
    await stream.until('third');
    const receipt = await (
      await f.request('/v1/conversations/gone', { method: 'DELETE', key: f.adminKey })
    ).json();
    expect(receipt.liveEvents).toBe(2);
    await stream.until('event: erased');
    expect(stream.text()).toContain('data: {"kind":"conversation","id":"gone","conversationIds":["gone"]}');
    const batch = await queued.next(0);
    expect(batch.events.map((event) => event.conversationId)).toEqual(['kept']);
    await stream.cancel();
  });

  it('tells the other collector nodes (PostgreSQL relay)', async () => {
    f = await createFixture({ dialect: 'postgres' });
    const nodeB = createSightlineApp({ store: f.store, logger: createLogger({ level: 'silent' }) });
    await nodeB.ready();
    try {
      const stream = sseReader(await nodeB.app.request(`/v1/live?access_token=${f.readKey}`));
      await stream.until('event: ready');
      await postEvents(f, [message('relayed', 'stored by node A', { customerId: 'dora' })]);
      await stream.until('stored by node A');
      const res = await f.request('/v1/customers/dora', { method: 'DELETE', key: f.adminKey });
      expect((await res.json()).removed.conversations).toBe(1);
      await stream.until('event: erased');
      expect(stream.text()).toContain('{"kind":"customer","id":"dora","conversationIds":["relayed"]}');
      await stream.cancel();
    } finally {
      await nodeB.shutdown();
    }
  });
});
