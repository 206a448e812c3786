/**
 * The two dialects write each batch differently (SQLite statement by statement, PostgreSQL in two
 * statements with the distinct-customer counts derived in SQL). The same traffic must read back
 * the same from both.
 */
import { type IngestEvent, parseIngestRequest } from '@sightline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store } from './store.ts';
import { feedbackEvent, messageEvent, scoreEvent, stepEvent } from './testing/events.ts';
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
    // The review queue: a guardrail that blocked (in conversations with no failed tool), one reviewed.
    if (c % 20 === 1)
      events.push(stepEvent(ctx, { type: 'guardrail', name: 'topic', at, metadata: { triggered: true } }));
    if (c === 12) events.push(scoreEvent(ctx, { name: 'review', value: 'done', scoreId: 'review', at }));
  }
  return events;
}

/** Sums of costs may differ in the last bits with the order the database adds them in. */
function rounded(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_, v) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v)));
}

/** The ids of the conversations in (or out of) the review queue, sorted. */
async function reviewList(store: Store, project: string, needsReview: boolean) {
  const page = await store.listConversations(project, { limit: 200, needsReview });
  return page.data.map((c) => c.id).sort();
}

/** What a dashboard reads: hourly and daily metrics, per environment, customers and the review queue. */
async function readBack(store: Store, project: string) {
  const range = { from: T0 - 86_400_000, to: T0 + 5 * 86_400_000 };
  return {
    reviewQueue: await reviewList(store, project, true),
    notInReview: await reviewList(store, project, false),
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

  it('reads back the same metrics, customers and review queue from SQLite and PostgreSQL', async () => {
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
    // Failed tools in all but c % 5 === 1; of those, negative feedback in 6 and 36, a guardrail in 1, 21, 41.
    expect(sqlite?.reviewQueue).toHaveLength(52);
    expect(sqlite?.reviewQueue).toEqual(expect.arrayContaining(['parity-1', 'parity-6', 'parity-0']));
    expect(sqlite?.notInReview).toEqual(
      [
        'parity-11',
        'parity-12',
        'parity-16',
        'parity-26',
        'parity-31',
        'parity-46',
        'parity-51',
        'parity-56',
      ].sort(),
    );
    expect(postgres).toEqual(sqlite);
  });
});
