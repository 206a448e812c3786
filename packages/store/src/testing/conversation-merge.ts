/**
 * Conformance cases of the store suite: merging one conversation into another (an OTLP trace's early
 * spans stored under `trace-<id>` before the span naming the conversation arrived). The measure: a
 * store that got the early events under `from` and then the merge reads exactly like a store that got
 * every event under `into` from the start (metrics, customers, the conversation, the list).
 */
import type { IngestEvent } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import type { Store } from '../store.ts';
import {
  conversationEvent,
  type EventContext,
  feedbackEvent,
  messageEvent,
  parseEvents,
  scoreEvent,
  stepEvent,
} from './events.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 4, 11, 9, 0, 0);
const CUSTOMER = 'merge-customer';
const USAGE = { model: 'gpt-4o-mini', provider: 'openai', inputTokens: 120, outputTokens: 45 };

const withBody = <T extends IngestEvent>(event: T, body: Record<string, unknown>): T =>
  ({ ...event, body: { ...event.body, ...body } }) as T;

/** Events naming `conversationId`, with the test's customer and environment. */
const on = (conversationId: string) => ({ conversationId, customerId: CUSTOMER, environment: 'prod' });

/** An earlier turn of the conversation, stored under its own id. */
function earlierTurn(id: string): IngestEvent[] {
  return [
    messageEvent(on(id), { role: 'human', content: 'first question', at: T0 }),
    stepEvent(on(id), {
      stepId: 'turn1-llm',
      type: 'llm',
      name: 'chat',
      at: T0 + 10,
      durationMs: 800,
      usage: USAGE,
    }),
    messageEvent(on(id), { role: 'agent', content: 'first answer', at: T0 + 1_000 }),
    feedbackEvent(on(id), { sentiment: 'positive', at: T0 + 2_000 }),
    scoreEvent(on(id), {
      name: 'helpfulness',
      value: 0.5,
      source: 'model',
      scoreId: 's-first',
      at: T0 + 3_000,
    }),
  ];
}

/** The early events of the next turn, an hour later, sent before its conversation was known. */
function earlyEvents(id: string, ctx: EventContext = on(id)): IngestEvent[] {
  const at = T0 + HOUR;
  const versioned = { ...ctx, agentVersion: 'merger@0123456789ab' };
  return [
    conversationEvent(ctx, { at, name: 'named early', tags: ['otel'] }),
    messageEvent(ctx, { role: 'human', content: 'second question', at: at + 5 }),
    stepEvent(versioned, { stepId: 'x-run', type: 'run', name: 'run', at: at + 6, durationMs: 500 }),
    stepEvent(versioned, { stepId: 'x-tool', type: 'tool', name: 'search', at: at + 10, durationMs: 30 }),
    stepEvent(versioned, {
      stepId: 'x-llm',
      type: 'llm',
      name: 'chat',
      at: at + 50,
      durationMs: 400,
      usage: USAGE,
    }),
    stepEvent(ctx, { stepId: 'open-then-closed', type: 'tool', name: 'fetch', at: at + 60, open: true }),
    stepEvent(ctx, {
      stepId: 'sent-twice',
      type: 'tool',
      name: 'fetch',
      at: at + 65,
      durationMs: 9,
      error: 'x',
    }),
    withBody(messageEvent(ctx, { role: 'agent', content: 'second answer', at: at + 70 }), {
      messageId: 'm-twice',
    }),
    withBody(feedbackEvent(ctx, { sentiment: 'negative', at: at + 80 }), { feedbackId: 'f-twice' }),
    feedbackEvent(ctx, { sentiment: 'positive', at: at + 81, source: 'platform' }),
    scoreEvent(ctx, { name: 'thumbs', value: true, source: 'human', messageId: 'm-twice', at: at + 82 }),
    scoreEvent(ctx, { name: 'topic', value: 'search', scoreId: 's-twice', at: at + 85 }),
  ];
}

/** The rest of that turn, naming the conversation: some of it repeats rows the early events sent. */
function laterEvents(id: string): IngestEvent[] {
  const at = T0 + HOUR;
  return [
    stepEvent(on(id), {
      stepId: 'open-then-closed',
      type: 'tool',
      name: 'fetch',
      at: at + 60,
      durationMs: 15,
    }),
    stepEvent(on(id), {
      stepId: 'sent-twice',
      type: 'tool',
      name: 'fetch',
      at: at + 65,
      durationMs: 9,
      error: 'x',
    }),
    withBody(messageEvent(on(id), { role: 'agent', content: 'second answer', at: at + 70 }), {
      messageId: 'm-twice',
    }),
    withBody(feedbackEvent(on(id), { sentiment: 'negative', at: at + 80 }), { feedbackId: 'f-twice' }),
    stepEvent(on(id), { stepId: 'root', type: 'agent', name: 'agent', at: at + 1, durationMs: 2_000 }),
    // The same score id as an early one, later: it stands. (It names its version: one inferred from the
    // conversation's latest depends on what was stored when it came.)
    scoreEvent(
      { ...on(id), agentVersion: 'merger@0123456789ab' },
      { name: 'topic', value: 'notes', scoreId: 's-twice', at: at + 90 },
    ),
  ];
}

/** Rounds floats (sums of costs taken in a different order differ in the last bits). */
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 1e9) / 1e9;
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rounded(item)]));
  return value;
}

const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));

/** Everything a reader sees of a project, for comparing two projects. */
async function readAll(store: Store, project: string, id: string) {
  const range = { from: T0 - HOUR, to: T0 + 4 * HOUR };
  const detail = await store.getConversation(project, id);
  return rounded({
    hourly: await store.getMetrics(project, { ...range, bucket: 'hour' }),
    daily: await store.getMetrics(project, { ...range, bucket: 'day' }),
    prod: await store.getMetrics(project, { ...range, bucket: 'hour', environment: 'prod' }),
    staging: await store.getMetrics(project, { ...range, bucket: 'day', environment: 'staging' }),
    customers: await store.listCustomers(project, { limit: 10 }),
    customersInRange: await store.listCustomers(project, { ...range, limit: 10 }),
    list: (await store.listConversations(project, { limit: 10 })).data,
    found: (await store.listConversations(project, { limit: 10, search: 'answer' })).data.map((c) => c.id),
    tools: await store.listToolCalls(project, { name: 'fetch', kind: 'recent', limit: 10 }),
    detail: detail && {
      ...detail,
      messages: byId(detail.messages),
      steps: byId(detail.steps),
      feedback: byId(detail.feedback),
    },
  });
}

/** Appends events as sent to `conversationId` (the same events, ids and all, to either project). */
async function append(
  store: Store,
  project: string,
  options: { events: IngestEvent[]; conversationId: string },
): Promise<void> {
  const events = options.events.map((event) => withBody(event, { conversationId: options.conversationId }));
  await store.append(project, parseEvents(events));
}

/** Registers the merge cases; `target` gives the suite's store once set up. */
export function describeConversationMerge(target: () => { store: Store }): void {
  describe('conversation merge', () => {
    it('reads as if the early events had named the conversation they are merged into', async () => {
      const { store } = target();
      const merged = (await store.createProject({ name: 'merged' })).id;
      const direct = (await store.createProject({ name: 'direct' })).id;
      const batches = [earlierTurn('conv'), earlyEvents('trace-x'), laterEvents('conv')];
      for (const events of batches)
        await append(store, merged, { events, conversationId: events[0]?.body.conversationId ?? '' });
      const outcome = await store.mergeConversation(merged, { from: 'trace-x', into: 'conv' });
      expect(outcome).toEqual({ merged: true, moved: { messages: 1, steps: 3, feedback: 1, scores: 1 } });
      for (const events of batches) await append(store, direct, { events, conversationId: 'conv' });
      expect(await readAll(store, merged, 'conv')).toEqual(await readAll(store, direct, 'conv'));
      expect(await store.getConversation(merged, 'trace-x')).toBeNull();
      // Later events of either kind go on alike.
      const after = [messageEvent(on('conv'), { role: 'human', content: 'third', at: T0 + 2 * HOUR })];
      await append(store, merged, { events: after, conversationId: 'conv' });
      await append(store, direct, { events: after, conversationId: 'conv' });
      expect(await readAll(store, merged, 'conv')).toEqual(await readAll(store, direct, 'conv'));
      const { totals } = await store.getMetrics(merged, { from: T0, to: T0 + 3 * HOUR, bucket: 'day' });
      expect(totals).toMatchObject({ conversations: 1, messages: 5, toolCalls: 3, llmCalls: 2 });
    });

    it('counts early rows of another environment, without a customer, as rows of the conversation', async () => {
      const { store } = target();
      const merged = (await store.createProject({ name: 'reattributed' })).id;
      const direct = (await store.createProject({ name: 'reattributed-direct' })).id;
      // Like an OTLP trace's child spans: another service's environment, no user id, no answer yet.
      const early = earlyEvents('trace-s', { conversationId: 'trace-s', environment: 'staging' }).filter(
        (event) => event.type !== 'message' || event.body.role !== 'agent',
      );
      const batches = [earlierTurn('conv'), early, laterEvents('conv')];
      const [earlier, , later] = batches as [IngestEvent[], IngestEvent[], IngestEvent[]];
      await append(store, merged, { events: earlier, conversationId: 'conv' });
      await append(store, merged, { events: early, conversationId: 'trace-s' });
      expect((await store.mergeConversation(merged, { from: 'trace-s', into: 'conv' })).merged).toBe(true);
      await append(store, merged, { events: later, conversationId: 'conv' });
      for (const events of batches) await append(store, direct, { events, conversationId: 'conv' });
      expect(await readAll(store, merged, 'conv')).toEqual(await readAll(store, direct, 'conv'));
      const staging = await store.getMetrics(merged, {
        from: T0,
        to: T0 + 2 * HOUR,
        bucket: 'day',
        environment: 'staging',
      });
      expect([staging.totals.conversations, staging.tools, staging.models]).toEqual([0, [], []]);
    });

    it('renames a conversation merged into an id not in use, counting it once', async () => {
      const { store } = target();
      const merged = (await store.createProject({ name: 'renamed' })).id;
      const direct = (await store.createProject({ name: 'renamed-direct' })).id;
      const [early, later] = [earlyEvents('trace-r'), laterEvents('named')];
      await append(store, merged, { events: early, conversationId: 'trace-r' });
      const outcome = await store.mergeConversation(merged, { from: 'trace-r', into: 'named' });
      expect(outcome).toEqual({ merged: true, moved: { messages: 2, steps: 5, feedback: 2, scores: 2 } });
      await append(store, merged, { events: later, conversationId: 'named' });
      for (const events of [early, later]) await append(store, direct, { events, conversationId: 'named' });
      expect(await readAll(store, merged, 'named')).toEqual(await readAll(store, direct, 'named'));
      expect((await store.listConversations(merged, { limit: 10 })).data.map((c) => c.id)).toEqual(['named']);
    });

    it('records aliases: idempotent, chains re-pointed, an id merged into becomes a conversation again', async () => {
      const { store } = target();
      const project = (await store.createProject({ name: 'aliases' })).id;
      // The same turn sent to three conversations (steps share their id): merged, each row counts once.
      for (const id of ['a', 'b', 'c'])
        await append(store, project, { events: earlierTurn(id), conversationId: id });
      await store.mergeConversation(project, { from: 'a', into: 'b' });
      await store.mergeConversation(project, { from: 'b', into: 'c' });
      const again = await store.mergeConversation(project, { from: 'a', into: 'c' });
      expect(again).toEqual({ merged: false, moved: { messages: 0, steps: 0, feedback: 0, scores: 0 } });
      const aliases = await store.resolveConversationAliases(project, ['a', 'b', 'c', 'unknown']);
      expect([...aliases].sort()).toEqual([
        ['a', 'c'],
        ['b', 'c'],
      ]);
      expect(await store.existingConversations(project, ['a', 'b', 'c'])).toEqual(new Set(['c']));
      const metrics = await store.getMetrics(project, { from: T0, to: T0 + HOUR, bucket: 'day' });
      expect(metrics.totals).toMatchObject({ conversations: 1, messages: 6, llmCalls: 1, inputTokens: 120 });
      // Merging back: `c` goes, `a` is a conversation again and every alias stands for it.
      await store.mergeConversation(project, { from: 'c', into: 'a' });
      expect([...(await store.resolveConversationAliases(project, ['a', 'b', 'c']))].sort()).toEqual([
        ['b', 'a'],
        ['c', 'a'],
      ]);
      expect((await store.getConversation(project, 'a'))?.conversation).toMatchObject({
        messageCount: 6,
        stepCount: 1,
        llmCallCount: 1,
        inputTokens: 120,
        feedback: { positive: 3 },
      });
      const customers = await store.listCustomers(project, { limit: 10 });
      expect(customers.data[0]).toMatchObject({
        customerId: CUSTOMER,
        conversations: 1,
        messages: 6,
        inputTokens: 120,
      });
    });

    it('refuses to merge a conversation into itself or with an invalid id', async () => {
      const { store } = target();
      const project = (await store.createProject({ name: 'merge-invalid' })).id;
      await expect(store.mergeConversation(project, { from: 'same', into: 'same' })).rejects.toMatchObject({
        code: 'invalid_request',
      });
      await expect(store.mergeConversation(project, { from: '', into: 'x' })).rejects.toMatchObject({
        code: 'invalid_request',
      });
    });

    it('neither loses nor doubles a count when appends to both conversations run during the merge', async () => {
      const { store } = target();
      const project = (await store.createProject({ name: 'merge-race' })).id;
      const batch = (id: string, n: number) =>
        Array.from({ length: 10 }, (_, i) =>
          messageEvent(on(id), { role: 'human', content: `${id} ${n}.${i}`, at: T0 + n * 100 + i }),
        );
      const send = (id: string, n: number) =>
        append(store, project, { events: batch(id, n), conversationId: id });
      await send('race-into', 0);
      await send('race-from', 0);
      await Promise.all([
        ...[1, 2, 3, 4].map((n) => send('race-into', n)),
        ...[1, 2, 3, 4].map((n) => send('race-from', n)),
        store.mergeConversation(project, { from: 'race-from', into: 'race-into' }),
      ]);
      const list = (await store.listConversations(project, { limit: 10 })).data;
      const metrics = await store.getMetrics(project, { from: T0, to: T0 + HOUR, bucket: 'hour' });
      expect(list.reduce((sum, c) => sum + c.messageCount, 0)).toBe(100);
      expect(metrics.totals).toMatchObject({ conversations: list.length, messages: 100 });
      const customers = await store.listCustomers(project, { limit: 10 });
      expect(customers.data[0]).toMatchObject({ conversations: list.length, messages: 100 });
    });
  });
}
