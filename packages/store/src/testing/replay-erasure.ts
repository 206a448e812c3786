/**
 * Conformance cases of the store suite: erasing a conversation (or its customer) that a dataset item
 * was taken from also erases the conversations experiments made by replaying that item (they hold the
 * erased person's human turns), each belonging to another customer (the served user), and the replays
 * of dataset items taken from those in turn. The measure is the erasure cases' (erasure.ts): nothing of
 * them left table by table, the project reads like one that never had them (every rollup table row by
 * row, metrics, customers), the other conversations' rows unchanged by a byte, the receipt counts them,
 * erasing again removes nothing.
 */
import type { IngestEvent } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import type { Store } from '../store.ts';
import { conversationDigest, type QueryRows, rollupTables, rounded, rowsLeft } from './erasure-checks.ts';
import {
  type EventContext,
  feedbackEvent,
  messageEvent,
  parseEvents,
  scoreEvent,
  stepEvent,
} from './events.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 3, 6, 9, 0, 0);
const USAGE = { model: 'gpt-4o-mini', provider: 'openai', inputTokens: 80, outputTokens: 30 };
/** A word only the erased person's turns (and so their replays) contain. */
const MARKER = 'quokkafennel';

/** A turn: a question, a tool call, a model call, the answer, feedback and two scores. */
function turn(ctx: EventContext, options: { at: number; human: string; tool?: string }): IngestEvent[] {
  const { at } = options;
  const answer = `${ctx.conversationId}-answer-${at}`;
  return [
    messageEvent(ctx, { role: 'human', content: options.human, at }),
    stepEvent(ctx, { type: 'tool', name: options.tool ?? 'search', at: at + 100, durationMs: 200 }),
    stepEvent(ctx, { type: 'llm', name: 'chat', at: at + 300, durationMs: 700, usage: USAGE }),
    messageEvent(ctx, { role: 'agent', content: `answer ${at}`, at: at + 1_000, messageId: answer }),
    feedbackEvent(ctx, { sentiment: 'positive', at: at + 1_500 }),
    scoreEvent(ctx, { name: 'thumbs', value: true, source: 'human', messageId: answer, at: at + 1_600 }),
    scoreEvent(ctx, { name: 'quality', value: 0.75, source: 'model', at: at + 1_700 }),
  ];
}

const ctx = (conversationId: string, customerId: string): EventContext => ({
  conversationId,
  customerId,
  environment: 'prod',
  agentVersion: customerId === 'ada' ? 'notes@aaaaaaaaaaaa' : 'notes@bbbbbbbbbbbb',
});

/**
 * Ada's conversation `gone-src` is in a dataset; two experiments replayed it as the served users
 * `served` (who has a conversation of their own in the same hour) and `solo` (no other). The replay
 * `gone-rpl-a` is itself in a dataset, replayed as `gone-rpl-a2`.
 */
function scenario(): Map<string, IngestEvent[]> {
  const asked = `my address is ${MARKER} lane`;
  return new Map([
    ['gone-src', turn(ctx('gone-src', 'ada'), { at: T0, human: asked })],
    ['ada-2', turn(ctx('ada-2', 'ada'), { at: T0 + 3 * HOUR, human: 'something else' })],
    ['keep-served', turn(ctx('keep-served', 'served'), { at: T0 + 25 * HOUR + 30 * MINUTE, human: 'own' })],
    ['gone-rpl-a', turn(ctx('gone-rpl-a', 'served'), { at: T0 + 25 * HOUR, human: asked, tool: 'lookup' })],
    ['gone-rpl-b', turn(ctx('gone-rpl-b', 'solo'), { at: T0 + 26 * HOUR, human: asked })],
    ['gone-rpl-a2', turn(ctx('gone-rpl-a2', 'served'), { at: T0 + 49 * HOUR, human: asked })],
  ]);
}

/** A project with the scenario's conversations but those `without` names; with its datasets when all are. */
async function build(store: Store, options: { events: Map<string, IngestEvent[]>; without: Set<string> }) {
  const project = (await store.createProject({ name: 'replay-erasure' })).id;
  for (const [id, events] of options.events)
    if (!options.without.has(id)) await store.append(project, parseEvents(events));
  if (options.without.size > 0) return project;
  const replay = async (source: string, dataset: string, replays: Record<string, string>) => {
    const created = await store.createDataset(project, { name: dataset });
    const added = await store.addDatasetItems(project, { dataset: created.id, conversationIds: [source] });
    const item = added?.added[0];
    if (!item) throw new Error(`no item from ${source}`);
    for (const [name, conversationId] of Object.entries(replays)) {
      const experiment = await store.createExperiment(project, { datasetId: created.id, name });
      const put = { experimentId: experiment.id, itemId: item.id, conversationId, status: 'completed' };
      await store.putExperimentItem(project, put);
    }
  };
  await replay('gone-src', 'regressions', { 'v2 as served': 'gone-rpl-a', 'v2 as solo': 'gone-rpl-b' });
  await replay('gone-rpl-a', 'replays', { v3: 'gone-rpl-a2' });
  return project;
}

/** What readers see of a project, and its rollup tables row by row. */
async function readProject(store: Store, query: QueryRows, project: string) {
  const range = { from: T0 - HOUR, to: T0 + 72 * HOUR };
  return rounded({
    rollups: await rollupTables(query, project),
    hourly: await store.getMetrics(project, { ...range, bucket: 'hour' }),
    daily: await store.getMetrics(project, { ...range, bucket: 'day' }),
    customers: await store.listCustomers(project, { limit: 50 }),
    customersInRange: await store.listCustomers(project, { ...range, limit: 50 }),
    tools: await store.listToolCalls(project, { name: 'search', kind: 'recent', limit: 50 }),
    list: (await store.listConversations(project, { limit: 50 })).data,
  });
}

const REPLAYS = ['gone-rpl-a', 'gone-rpl-b', 'gone-rpl-a2'];

/** Registers the replay erasure cases; `target` gives the suite's store and a way to read its tables. */
export function describeReplayErasure(target: () => { store: Store; query: QueryRows }): void {
  describe('erasure of replay conversations', () => {
    const events = scenario();

    /**
     * Erases in a fresh project: nothing left of `gone` (each a prefix of erased conversations' ids and
     * a customer whose rows all go), the project as one that never had `erased`; returns the outcome.
     */
    async function eraseAndCheck(options: {
      erased: string[];
      gone: Array<{ prefix: string; customerId: string }>;
      erase: (store: Store, project: string) => ReturnType<Store['eraseConversation']>;
    }) {
      const { store, query } = target();
      const project = await build(store, { events, without: new Set() });
      const targets = options.gone.map((gone) => ({ projectId: project, marker: MARKER, ...gone }));
      for (const gone of targets) {
        const before = await rowsLeft(store, query, gone);
        for (const table of ['conversations', 'messages', 'steps', 'feedback', 'scores', 'customers'])
          expect({ table, some: (before[table] ?? 0) > 0 }).toEqual({ table, some: true });
      }
      const erased = new Set(options.erased);
      const others = await conversationDigest(query, { projectId: project, skip: (id) => erased.has(id) });
      const outcome = await options.erase(store, project);
      for (const gone of targets) {
        const after = await rowsLeft(store, query, gone);
        expect(after).toEqual(Object.fromEntries(Object.keys(after).map((table) => [table, 0])));
      }
      const never = await build(store, { events, without: erased });
      expect(await readProject(store, query, project)).toEqual(await readProject(store, query, never));
      expect(await conversationDigest(query, { projectId: project, skip: () => false })).toEqual(others);
      const datasets = await store.listDatasets(project);
      expect(datasets.map((d) => [d.name, d.itemCount, d.experimentCount]).sort()).toEqual([
        ['regressions', 0, 2],
        ['replays', 0, 1],
      ]);
      // Again: nothing left to remove, nothing changes.
      const state = await readProject(store, query, project);
      const again = await options.erase(store, project);
      expect(Object.values(again.removed).every((count) => count === 0)).toBe(true);
      expect(again.conversationIds).toEqual([]);
      expect(again.replayConversationIds).toEqual([]);
      expect(again.datasets).toEqual({ datasetItems: 0, experimentItems: 0, replayConversations: 0 });
      expect(await readProject(store, query, project)).toEqual(state);
      return outcome;
    }

    it("erasing a dataset item's source conversation erases its replays, theirs in turn, as if erased alone", async () => {
      const erased = ['gone-src', ...REPLAYS];
      const outcome = await eraseAndCheck({
        erased,
        // `solo` had only the replay: their customer rows go with it.
        gone: [{ prefix: 'gone-', customerId: 'solo' }],
        erase: (store, project) => store.eraseConversation(project, 'gone-src'),
      });
      expect(outcome.conversationIds).toEqual(erased);
      expect(outcome.replayConversationIds).toEqual(REPLAYS);
      expect(outcome.datasets).toEqual({ datasetItems: 2, experimentItems: 3, replayConversations: 3 });
      expect(outcome.removed).toEqual({
        conversations: 4,
        messages: 8,
        steps: 8,
        feedback: 4,
        scores: 8,
        conversationAliases: 0,
        ingestRejections: 0,
        // Solo's totals and day; the hours and days only an erased conversation made someone active in:
        // solo's hour and day, served's hour and day of gone-rpl-a2, ada's hour of gone-src.
        customers: 1,
        customerDays: 1,
        customerActivity: 5,
      });
    });

    it("erasing the customer erases the replays of their conversations' dataset items", async () => {
      const outcome = await eraseAndCheck({
        erased: ['gone-src', 'ada-2', ...REPLAYS],
        gone: [
          { prefix: 'gone-', customerId: 'ada' },
          { prefix: 'ada-2', customerId: 'solo' },
        ],
        erase: (store, project) => store.eraseCustomer(project, 'ada'),
      });
      expect(outcome.conversationIds).toEqual(['ada-2', 'gone-src', ...REPLAYS]);
      expect(outcome.replayConversationIds).toEqual(REPLAYS);
      expect(outcome.datasets).toEqual({ datasetItems: 2, experimentItems: 3, replayConversations: 3 });
      expect(outcome.removed).toEqual({
        conversations: 5,
        messages: 10,
        steps: 10,
        feedback: 5,
        scores: 10,
        conversationAliases: 0,
        ingestRejections: 0,
        customers: 2,
        customerDays: 2,
        // Ada's two hours and one day, solo's hour and day, served's hour and day of gone-rpl-a2.
        customerActivity: 7,
      });
    });
  });
}
