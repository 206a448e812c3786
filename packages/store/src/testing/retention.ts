/**
 * Conformance cases of the store suite: retention. A project keeping 30 days, a customer kept 90 days
 * (longer) and one kept 7 (shorter); expiry in batches of two conversations. The measure, as for
 * erasure: afterwards the project reads exactly like one that never got the expired conversations
 * (every rollup table row by row, metrics, customers, the list); nothing of them is left; the kept
 * conversations' rows do not change by a byte; the run's counts match what went; a run budget stops
 * short and the next run goes on; a second run removes nothing.
 */
import type { IngestEvent } from '@sightline/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store.ts';
import { conversationDigest, lit, type QueryRows, rollupTables, rounded } from './erasure-checks.ts';
import {
  type EventContext,
  feedbackEvent,
  messageEvent,
  parseEvents,
  scoreEvent,
  stepEvent,
} from './events.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 3, 1, 12, 0, 0);
const USAGE = { model: 'gpt-4o-mini', provider: 'openai', inputTokens: 100, outputTokens: 40 };

/** One turn: a question, a tool call, a model call, the answer, feedback and a score. */
function turn(ctx: EventContext, at: number, content: string): IngestEvent[] {
  return [
    messageEvent(ctx, { role: 'human', content, at }),
    stepEvent(ctx, { type: 'tool', name: 'search', at: at + 100, durationMs: 250 }),
    stepEvent(ctx, { type: 'llm', name: 'chat', at: at + 400, durationMs: 900, usage: USAGE }),
    messageEvent(ctx, { role: 'agent', content: `answer to ${content}`, at: at + 1_500 }),
    feedbackEvent(ctx, { sentiment: 'positive', at: at + 2_000 }),
    scoreEvent(ctx, { name: 'helpfulness', value: 0.5, source: 'model', at: at + 2_500 }),
  ];
}

const ctx = (conversationId: string, customerId?: string, environment = 'prod'): EventContext => ({
  conversationId,
  environment,
  ...(customerId ? { customerId } : {}),
});
const ago = (days: number) => NOW - days * DAY;

/** Conversations by id, and whether the policy expires them at NOW. */
function scenario(): Map<string, { events: IngestEvent[]; expires: boolean }> {
  return new Map([
    ['a-old', { events: turn(ctx('a-old', 'cust-a'), ago(40), 'old question'), expires: true }],
    ['a-new', { events: turn(ctx('a-new', 'cust-a'), ago(10), 'recent question'), expires: false }],
    // Started in a-old's hour, active since: kept whole, and cust-a stays active in that hour.
    [
      'a-long',
      {
        events: [
          ...turn(ctx('a-long', 'cust-a'), ago(40) + 10 * MINUTE, 'long ago'),
          ...turn(ctx('a-long', 'cust-a'), ago(5), 'and now'),
        ],
        expires: false,
      },
    ],
    ['b-old', { events: turn(ctx('b-old', 'cust-b'), ago(50), 'b first'), expires: true }],
    ['b-staging', { events: turn(ctx('b-staging', 'cust-b', 'staging'), ago(45), 'b'), expires: true }],
    ['anon-old', { events: turn(ctx('anon-old'), ago(60), 'anonymous'), expires: true }],
    ['anon-new', { events: turn(ctx('anon-new'), ago(29), 'anonymous recent'), expires: false }],
    // cust-long is kept 90 days, cust-short 7.
    ['long-60', { events: turn(ctx('long-60', 'cust-long'), ago(60), 'kept longer'), expires: false }],
    ['long-100', { events: turn(ctx('long-100', 'cust-long'), ago(100), 'too old'), expires: true }],
    ['short-10', { events: turn(ctx('short-10', 'cust-short'), ago(10), 'short'), expires: true }],
    ['short-2', { events: turn(ctx('short-2', 'cust-short'), ago(2), 'short new'), expires: false }],
  ]);
}

type Scenario = ReturnType<typeof scenario>;

/** Builds a project from the scenario's conversations that `include` keeps (the same event ids each time). */
async function build(
  store: Store,
  options: { events: Scenario; include: (id: string) => boolean },
): Promise<string> {
  const project = (await store.createProject({ name: 'retention' })).id;
  for (const [id, { events }] of options.events)
    if (options.include(id)) await store.append(project, parseEvents(events));
  return project;
}

/** Everything a reader sees of a project over the scenario's 100 days. */
async function readProject(store: Store, query: QueryRows, project: string) {
  const range = { from: ago(101), to: NOW };
  return rounded({
    rollups: await rollupTables(query, project),
    daily: await store.getMetrics(project, { ...range, bucket: 'day' }),
    customers: await store.listCustomers(project, { limit: 50 }),
    customersInRange: await store.listCustomers(project, { from: ago(45), to: NOW, limit: 50 }),
    tools: await store.listToolCalls(project, { name: 'search', kind: 'recent', limit: 50 }),
    list: (await store.listConversations(project, { limit: 50 })).data,
  });
}

/** Rows of a project's conversations, messages, steps, feedback and scores, per table. */
async function countRows(query: QueryRows, project: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['conversations', 'messages', 'steps', 'feedback', 'scores']) {
    const rows = await query(`select count(*) as n from ${table} where project_id = ${lit(project)}`);
    out[table] = Number(rows[0]?.n ?? 0);
  }
  return out;
}

/** Registers the retention cases; `target` gives the suite's store and a way to read its tables. */
export function describeRetention(target: () => { store: Store; query: QueryRows }): void {
  describe('retention', () => {
    const events = scenario();
    const expired = new Set([...events].filter(([, c]) => c.expires).map(([id]) => id));
    let project: string;

    beforeAll(async () => {
      const { store } = target();
      project = await build(store, { events, include: () => true });
      await store.updateProjectSettings(project, { retentionDays: 30 });
      await store.setCustomerRetention(project, 'cust-long', 90);
      await store.setCustomerRetention(project, 'cust-short', 7);
    });

    it('keeps everything without a policy, and says so', async () => {
      const { store, query } = target();
      const plain = await build(store, { events, include: (id) => id.startsWith('anon') });
      const before = await countRows(query, plain);
      const outcome = await store.expireData(plain, { now: NOW });
      expect(outcome).toMatchObject({ cutoff: null, caughtUp: true, batches: 0 });
      expect(await countRows(query, plain)).toEqual(before);
      expect(await store.getRetentionStatus(plain)).toEqual({
        retentionDays: null,
        customers: [],
        lastRun: null,
      });
    });

    it('expires in bounded batches: a budget stops short, the next run goes on, the project reads as if the expired conversations never came', async () => {
      const { store, query } = target();
      const keptDigest = await conversationDigest(query, {
        projectId: project,
        skip: (id) => expired.has(id),
      });
      const whole = await countRows(query, project);
      const never = await build(store, { events, include: (id) => !expired.has(id) });
      const left = await countRows(query, never);

      const first = await store.expireData(project, { now: NOW, batchSize: 2, maxBatches: 1 });
      expect(first).toMatchObject({ caughtUp: false, batches: 1, removed: { conversations: 2 } });
      expect((await store.getRetentionStatus(project)).lastRun).toMatchObject({
        caughtUp: false,
        removed: { conversations: 2 },
      });
      const rest = await store.expireData(project, { now: NOW, batchSize: 2 });
      expect(rest.caughtUp).toBe(true);
      expect(rest.cutoff).toBe(new Date(ago(30)).toISOString());
      const removed = Object.fromEntries(
        Object.entries(whole).map(([table]) => [
          table,
          first.removed[table as 'messages'] + rest.removed[table as 'messages'],
        ]),
      );
      expect(removed).toEqual(
        Object.fromEntries(Object.entries(whole).map(([table, n]) => [table, n - (left[table] ?? 0)])),
      );
      // cust-b had only expired conversations: their totals row, usage per day and activity went.
      expect(first.removed.customers + rest.removed.customers).toBe(1);
      expect(await countRows(query, project)).toEqual(left);
      expect(await readProject(store, query, project)).toEqual(await readProject(store, query, never));
      expect(await conversationDigest(query, { projectId: project, skip: () => false })).toEqual(keptDigest);
      for (const id of expired) expect(await store.getConversation(project, id)).toBeNull();

      const status = await store.getRetentionStatus(project);
      expect(status).toMatchObject({
        retentionDays: 30,
        customers: [
          { customerId: 'cust-long', days: 90 },
          { customerId: 'cust-short', days: 7 },
        ],
        lastRun: { caughtUp: true, cutoff: new Date(ago(30)).toISOString(), removed: rest.removed },
      });
      expect(status.lastRun?.removedTotal.conversations).toBe(expired.size);

      // Again: nothing left to remove, nothing changes.
      const again = await store.expireData(project, { now: NOW, batchSize: 2 });
      expect(Object.values(again.removed).every((n) => n === 0)).toBe(true);
      expect(await readProject(store, query, project)).toEqual(await readProject(store, query, never));
    });

    it('removing an override puts the customer back under the project window', async () => {
      const { store, query } = target();
      expect(await store.setCustomerRetention(project, 'cust-long', null)).toBeNull();
      const outcome = await store.expireData(project, { now: NOW });
      expect(outcome.removed).toMatchObject({ conversations: 1, customers: 1 });
      expect(await store.getConversation(project, 'long-60')).toBeNull();
      expect((await store.getRetentionStatus(project)).customers.map((c) => c.customerId)).toEqual([
        'cust-short',
      ]);
      expect((await countRows(query, project)).conversations).toBe(4);
    });

    it('batchMs sizes batches by how long they take: one conversation first, doubling while fast, shrinking when slow', async () => {
      const { store, query } = target();
      const some = (id: string) => ['a-old', 'b-old', 'b-staging', 'anon-old', 'anon-new'].includes(id);
      const slow = await build(store, { events, include: some });
      const fast = await build(store, { events, include: some });
      for (const id of [slow, fast]) await store.updateProjectSettings(id, { retentionDays: 30 });
      // Every batch takes longer than a nanosecond: one conversation each, then one that finds none.
      const shrinking = await store.expireData(slow, { now: NOW, batchSize: 100, batchMs: 1e-6 });
      expect(shrinking).toMatchObject({ caughtUp: true, batches: 5, removed: { conversations: 4 } });
      // Every batch takes less than half a day: 1, then 2, then 4 (which finds the last one).
      const growing = await store.expireData(fast, { now: NOW, batchSize: 100, batchMs: DAY });
      expect(growing).toMatchObject({ caughtUp: true, batches: 3, removed: { conversations: 4 } });
      expect((await countRows(query, slow)).conversations).toBe(1);
      expect(await readProject(store, query, slow)).toEqual(await readProject(store, query, fast));
    });

    it('refuses a bad override, naming the field', async () => {
      const { store } = target();
      await expect(store.setCustomerRetention(project, 'cust-x', 0)).rejects.toThrow(
        /^days: must be at least 1 day/,
      );
      await expect(store.setCustomerRetention(project, 'cust-x', 1.5)).rejects.toThrow(
        /^days: must be a whole/,
      );
      await expect(store.setCustomerRetention(project, 'cust-x', 40_000)).rejects.toThrow(
        /at most 36500 days/,
      );
      await expect(store.setCustomerRetention(project, '', 5)).rejects.toThrow(/^customerId: /);
      const set = await store.setCustomerRetention(project, 'cust-x', 365);
      expect(set).toMatchObject({ customerId: 'cust-x', days: 365 });
      expect(await store.setCustomerRetention(project, 'cust-x', 400)).toMatchObject({ days: 400 });
    });
  });
}
