import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store.ts';
import { createTestPostgresStore } from '../testing/postgres-fixture.ts';

describe('postgres broadcast', () => {
  let store: Store;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ store, drop } = await createTestPostgresStore());
  });
  afterAll(() => drop());

  it('delivers every message of a burst, in order, repeats included', async () => {
    const channel = `sl_test_${Math.random().toString(36).slice(2)}`;
    const received: string[] = [];
    const unsubscribe = await store.subscribe(channel, (payload) => received.push(payload));
    const sent = Array.from({ length: 1200 }, (_, i) => (i % 100 === 7 ? 'same' : `m${i}`));
    await Promise.all(sent.map((payload) => store.broadcast(channel, payload)));
    const deadline = Date.now() + 5_000;
    while (received.length < sent.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await unsubscribe();
    expect(received).toEqual(sent);
  });

  it('rejects a payload PostgreSQL refuses, and still delivers later ones', async () => {
    const channel = `sl_test_${Math.random().toString(36).slice(2)}`;
    const received: string[] = [];
    const unsubscribe = await store.subscribe(channel, (payload) => received.push(payload));
    await expect(store.broadcast(channel, 'x'.repeat(9_000))).rejects.toThrow(/payload string too long/);
    await store.broadcast(channel, 'after');
    const deadline = Date.now() + 5_000;
    while (received.length < 1 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await unsubscribe();
    expect(received).toEqual(['after']);
  });
});
