/**
 * The two dialects write each batch differently (SQLite statement by statement, PostgreSQL in two
 * statements with the distinct-customer counts derived in SQL). The same traffic must read back
 * the same from both.
 */
import { type IngestEvent, parseIngestRequest } from '@sightline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store } from './store.ts';
import { feedbackEvent, messageEvent, stepEvent } from './testing/events.ts';
import { createTestPostgresStore } from './testing/postgres-fixture.ts';

const T0 = Date.UTC(2026, 2, 2, 6);
const HOUR = 3_600_000;

/** Deterministic traffic: 60 conversations of 15 customers in two environments over three days. */
function traffic(): IngestEvent[] {
  const events: IngestEvent[] = [];
  for (let c = 0; c < 60; c++) {
    const ctx = {
      conversationId: `parity-${c}`,
      customerId: `customer-${c % 15}`,
      environment: c % 4 === 0 ? 'staging' : 'production',
    };
    let at = T0 + ((c * 7) % 72) * HOUR + c * 1_000;
    for (let turn = 0; turn < 4; turn++) {
      events.push(messageEvent(ctx, { role: 'human', content: `question ${c}.${turn}`, at }));
      const usage = { model: 'gpt-4o-mini', inputTokens: 100 + c, outputTokens: 20 + turn };
      events.push(stepEvent(ctx, { type: 'llm', name: 'answer', at: at + 50, durationMs: 400 + c, usage }));
      const failed = (c + turn) % 5 === 0;
      events.push(
        stepEvent(ctx, {
          type: 'tool',
          name: `tool-${turn % 3}`,
          at: at + 500,
          durationMs: 30 * (turn + 1),
          ...(failed ? { error: 'timeout' } : { output: { ok: true } }),
        }),
      );
      events.push(messageEvent(ctx, { role: 'agent', content: `answer ${c}.${turn}`, at: at + 900 + c }));
      at += 40 * 60_000; // turns cross hour boundaries
    }
    if (c % 3 === 0) events.push(feedbackEvent(ctx, { sentiment: c % 2 ? 'positive' : 'negative', at }));
  }
  return events;
}

/** Sums of costs may differ in the last bits with the order the database adds them in. */
function rounded(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_, v) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v)));
}

/** What a dashboard reads: hourly and daily metrics, per environment, and customers. */
async function readBack(store: Store, project: string) {
  const range = { from: T0 - 86_400_000, to: T0 + 5 * 86_400_000 };
  return {
    hourly: await store.getMetrics(project, { ...range, bucket: 'hour' }),
    daily: await store.getMetrics(project, { ...range, bucket: 'day' }),
    staging: await store.getMetrics(project, { ...range, bucket: 'day', environment: 'staging' }),
    customers: (await store.listCustomers(project, { limit: 100 })).data.sort((a, b) =>
      a.customerId < b.customerId ? -1 : 1,
    ),
  };
}

describe('dialect parity', () => {
  const stores: Array<{ store: Store; close: () => Promise<void> }> = [];
  beforeAll(async () => {
    const sqlite = createStore({ database: ':memory:' });
    await sqlite.migrate();
    stores.push({ store: sqlite, close: () => sqlite.close() });
    const pg = await createTestPostgresStore();
    stores.push({ store: pg.store, close: pg.drop });
  });
  afterAll(async () => {
    for (const { close } of stores) await close();
  });

  it('reads back the same metrics and customers from SQLite and PostgreSQL', async () => {
    const events = traffic();
    // Batches of 120 that overlap by 20: every batch repeats the end of the previous one.
    const batches: IngestEvent[][] = [];
    for (let i = 0; i < events.length; i += 100) batches.push(events.slice(i, i + 120));
    const results = [];
    for (const { store } of stores) {
      const project = (await store.createProject({ name: 'parity', id: 'proj_parity' })).id;
      for (const batch of batches) await store.append(project, parseIngestRequest({ events: batch }).events);
      results.push(rounded(await readBack(store, project)) as Awaited<ReturnType<typeof readBack>>);
    }
    const [sqlite, postgres] = results;
    expect(sqlite?.daily.totals.customers).toBe(15);
    expect(sqlite?.hourly.series.some((point) => point.customers > 0)).toBe(true);
    expect(postgres).toEqual(sqlite);
  });
});
