/**
 * The store conformance suite: every dialect runs exactly these tests (as Drizzle's drivers do).
 */

import type { IngestEvent } from '@sightline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store.ts';
import { describeConcurrentAppends } from './concurrent-appends.ts';
import { describeConversationCuration } from './conversation-curation.ts';
import { describeConversationExport } from './conversation-export.ts';
import { describeConversationMerge } from './conversation-merge.ts';
import { describeDatasets } from './datasets.ts';
import { describeErasure } from './erasure.ts';
import type { QueryRows } from './erasure-checks.ts';
import { conversationEvent, feedbackEvent, messageEvent, parseEvents, stepEvent } from './events.ts';
import { describeHostileText } from './hostile-text.ts';
import { describeProjectSettings } from './project-settings.ts';
import { describeReplayErasure } from './replay-erasure.ts';
import { describeRetention } from './retention.ts';
import { describeScopedIds } from './scoped-ids.ts';
import { describeScores } from './scores.ts';

export type StoreFactory = () => Promise<{
  store: Store;
  cleanup: () => Promise<void>;
  /** Runs raw SQL beside the store (used to break a table and prove a batch is all or nothing). */
  exec: (statement: string) => Promise<unknown>;
  /** Runs a query beside the store and returns its rows (used to check erasures table by table). */
  query: QueryRows;
}>;

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

/** Registers the shared store tests for one dialect. */
export function describeStoreSuite(name: string, factory: StoreFactory): void {
  describe(`store conformance: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let exec: (statement: string) => Promise<unknown>;
    let query: QueryRows;
    let project: string;
    let other: string;

    beforeAll(async () => {
      ({ store, cleanup, exec, query } = await factory());
      project = (await store.createProject({ name: 'main' })).id;
      other = (await store.createProject({ name: 'other' })).id;
    });
    afterAll(async () => {
      await cleanup?.();
    });

    it('applies migrations once; a second migrate applies nothing', async () => {
      expect(await store.migrate()).toEqual([]);
    });

    it('stores each event once when the same batch is sent three times', async () => {
      const ctx = { conversationId: 'idem-1', customerId: 'cust-idem' };
      const batch = parseEvents([
        messageEvent(ctx, { role: 'human', content: 'hi', at: T0 }),
        stepEvent(ctx, { type: 'tool', name: 'lookup', at: T0 + 10, durationMs: 5 }),
        messageEvent(ctx, { role: 'agent', content: 'hello', at: T0 + 100 }),
        feedbackEvent(ctx, { sentiment: 'positive', at: T0 + 200 }),
      ]);
      const outcomes = [];
      for (let i = 0; i < 3; i++) outcomes.push(await store.append(project, batch));
      expect(outcomes.map((outcome) => outcome.accepted.size)).toEqual([4, 0, 0]);
      const detail = await store.getConversation(project, 'idem-1');
      expect(detail?.messages.map((m) => m.content)).toEqual(['hi', 'hello']);
      expect(detail?.steps).toHaveLength(1);
      expect(detail?.feedback).toHaveLength(1);
      expect(detail?.conversation).toMatchObject({
        messageCount: 2,
        toolCallCount: 1,
        stepCount: 1,
        feedback: { positive: 1 },
      });
    });

    it('stores a message or feedback once by its own id, whichever events carry it', async () => {
      const ctx = { conversationId: 'own-ids', customerId: 'cust-own' };
      const withId = <T extends IngestEvent>(event: T, body: Record<string, unknown>): T =>
        ({ ...event, body: { ...event.body, ...body } }) as T;
      const message = withId(messageEvent(ctx, { role: 'human', content: 'first copy', at: T0 }), {
        messageId: 'msg-own',
      });
      const feedback = withId(feedbackEvent(ctx, { sentiment: 'negative', at: T0 + 5 }), {
        feedbackId: 'fb-own',
      });
      expect((await store.append(project, parseEvents([message, feedback]))).accepted.size).toBe(2);
      // New events (new ids) carrying the same message and feedback ids: accepted, nothing added.
      const again = parseEvents([
        withId(messageEvent(ctx, { role: 'human', content: 'second copy', at: T0 + 10 }), {
          messageId: 'msg-own',
        }),
        withId(feedbackEvent(ctx, { sentiment: 'positive', at: T0 + 15 }), { feedbackId: 'fb-own' }),
        messageEvent(ctx, { role: 'agent', content: 'reply', at: T0 + 20 }),
      ]);
      expect((await store.append(project, again)).accepted.size).toBe(3);
      expect((await store.append(project, again)).accepted.size).toBe(0);
      const detail = await store.getConversation(project, 'own-ids');
      expect(detail?.messages.map((m) => [m.id, m.content])).toEqual([
        ['msg-own', 'first copy'],
        [again[2]?.id, 'reply'],
      ]);
      expect(detail?.feedback.map((f) => [f.id, f.sentiment])).toEqual([['fb-own', 'negative']]);
      expect(detail?.conversation).toMatchObject({ messageCount: 2, feedback: { negative: 1, positive: 0 } });
    });

    it('keeps conversation fields, messages in order, and the first human message as preview', async () => {
      const ctx = {
        conversationId: 'conv-fields',
        customerId: 'cust-a',
        source: 'api',
        environment: 'staging',
      };
      await store.append(
        project,
        parseEvents([
          messageEvent(ctx, { role: 'agent', content: 'second', at: T0 + 2000 }),
          messageEvent(ctx, { role: 'human', content: 'first question', at: T0 + 1000 }),
          conversationEvent(ctx, {
            at: T0,
            name: 'Support chat',
            metadata: { plan: 'pro', seats: 5 },
            tags: ['vip'],
            device: 'desktop',
          }),
        ]),
      );
      const detail = await store.getConversation(project, 'conv-fields');
      expect(detail?.messages.map((m) => m.content)).toEqual(['first question', 'second']);
      expect(detail?.conversation).toMatchObject({
        customerId: 'cust-a',
        source: 'api',
        environment: 'staging',
        name: 'Support chat',
        device: 'desktop',
        metadata: { plan: 'pro', seats: 5 },
        tags: ['vip'],
        firstMessage: 'first question',
        startedAt: new Date(T0).toISOString(),
        lastActivityAt: new Date(T0 + 2000).toISOString(),
      });
      expect(detail?.totals.responseLatencyP50Ms).toBe(1000);
    });

    it('merges a step sent as start then end, counts it once, and prices llm usage', async () => {
      const ctx = { conversationId: 'conv-steps', customerId: 'cust-b' };
      const parent = stepEvent(ctx, { type: 'agent', name: 'Assistant', at: T0, open: true });
      const parentId = (parent.body as { stepId: string }).stepId;
      const llm = {
        type: 'llm',
        name: 'gpt-4o-mini',
        parentId,
        usage: { model: 'gpt-4o-mini', provider: 'openai', inputTokens: 1_000_000, outputTokens: 1_000_000 },
      };
      await store.append(
        project,
        parseEvents([parent, stepEvent(ctx, { ...llm, at: T0 + 10, durationMs: 300 })]),
      );
      await store.append(
        project,
        parseEvents([
          stepEvent(ctx, { type: 'agent', name: 'Assistant', stepId: parentId, at: T0, durationMs: 900 }),
        ]),
      );
      await store.append(
        project,
        parseEvents([
          stepEvent(ctx, {
            type: 'tool',
            name: 'search',
            parentId,
            at: T0 + 400,
            durationMs: 50,
            error: 'timeout',
          }),
        ]),
      );
      const detail = await store.getConversation(project, 'conv-steps');
      expect(detail?.steps.map((s) => [s.name, s.parentId === null])).toEqual([
        ['Assistant', true],
        ['gpt-4o-mini', false],
        ['search', false],
      ]);
      expect(detail?.steps[0]?.durationMs).toBe(900);
      expect(detail?.steps[1]?.usage).toMatchObject({
        model: 'gpt-4o-mini',
        inputTokens: 1_000_000,
        costUsd: 0.75,
      });
      expect(detail?.steps[2]?.error).toEqual({ message: 'timeout' });
      expect(detail?.conversation).toMatchObject({
        stepCount: 3,
        toolCallCount: 1,
        llmCallCount: 1,
        errorCount: 1,
        inputTokens: 1_000_000,
        outputTokens: 1_000_000,
      });
      expect(detail?.conversation.costUsd).toBeCloseTo(0.75);
    });

    it('filters the list by customer, source, environment, errors, feedback, text and metadata', async () => {
      const ids = async (filter: Record<string, unknown>) =>
        (await store.listConversations(project, { limit: 100, ...filter })).data.map((c) => c.id).sort();
      const base = T0 + 10 * HOUR;
      const a = { conversationId: 'f-a', customerId: 'alice', source: 'web', environment: 'production' };
      const b = { conversationId: 'f-b', customerId: 'bob', source: 'slack', environment: 'production' };
      await store.append(
        project,
        parseEvents([
          messageEvent(a, { role: 'human', content: 'What is the weather in Paris?', at: base }),
          conversationEvent(a, { at: base, metadata: { plan: 'pro', beta: true } }),
          stepEvent(a, {
            type: 'tool',
            name: 'weather',
            at: base + 1,
            durationMs: 20,
            error: 'upstream down',
          }),
          messageEvent(b, { role: 'human', content: 'Please compute 2+2', at: base + HOUR }),
          feedbackEvent(b, { sentiment: 'negative', at: base + HOUR + 5 }),
        ]),
      );
      const from = base - 1;
      expect(await ids({ from, customerId: 'alice' })).toEqual(['f-a']);
      expect(await ids({ from, source: 'slack' })).toEqual(['f-b']);
      expect(await ids({ from, hasError: true })).toEqual(['f-a']);
      expect(await ids({ from, hasError: false })).toEqual(['f-b']);
      expect(await ids({ from, feedback: 'negative' })).toEqual(['f-b']);
      expect(await ids({ from, search: 'weather pari' })).toEqual(['f-a']);
      expect(await ids({ from, search: 'compute' })).toEqual(['f-b']);
      expect(await ids({ from, metadata: [{ key: 'plan', value: 'pro' }] })).toEqual(['f-a']);
      expect(await ids({ from, metadata: [{ key: 'beta', value: 'true' }] })).toEqual(['f-a']);
      expect(await ids({ from, metadata: [{ key: 'plan', value: 'free' }] })).toEqual([]);
      expect(await ids({ from: base + HOUR - 1 })).toEqual(['f-b']);
      expect(await ids({ from, to: base + 10 })).toEqual(['f-a']);
      expect(await ids({ from, environment: 'staging' })).toEqual([]);
    });

    it('pages through conversations by recency with cursors, without gaps or repeats', async () => {
      const events = Array.from({ length: 25 }, (_, i) =>
        messageEvent(
          { conversationId: `page-${String(i).padStart(2, '0')}` },
          { role: 'human', content: `m${i}`, at: T0 + 100 * HOUR + i * 1000 },
        ),
      );
      await store.append(other, parseEvents(events));
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listConversations(other, { limit: 10, ...(cursor ? { cursor } : {}) });
        seen.push(...page.data.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(25);
      expect(seen[0]).toBe('page-24');
      expect(new Set(seen).size).toBe(25);
      await expect(store.listConversations(other, { limit: 10, cursor: 'garbage' })).rejects.toMatchObject({
        code: 'invalid_request',
      });
    });

    it('keeps projects apart', async () => {
      expect(await store.getConversation(other, 'idem-1')).toBeNull();
      const list = await store.listConversations(other, { limit: 200 });
      expect(list.data.every((c) => c.id.startsWith('page-'))).toBe(true);
      const metrics = await store.getMetrics(other, { from: T0 - HOUR, to: T0 + 200 * HOUR, bucket: 'day' });
      expect(metrics.totals.conversations).toBe(25);
    });

    it('computes metrics over buckets: counts, distinct customers, latency, tools, models, feedback', async () => {
      const day = Date.UTC(2026, 1, 10, 0, 0, 0);
      const c1 = { conversationId: 'm-1', customerId: 'mc-1' };
      const c2 = { conversationId: 'm-2', customerId: 'mc-2' };
      const c3 = { conversationId: 'm-3', customerId: 'mc-1' };
      const usage = { model: 'demo-x', inputTokens: 10, outputTokens: 20, costUsd: 0.5 };
      await store.append(
        project,
        parseEvents([
          messageEvent(c1, { role: 'human', content: 'q', at: day + HOUR }),
          stepEvent(c1, { type: 'llm', name: 'demo-x', at: day + HOUR + 10, durationMs: 100, usage }),
          messageEvent(c1, { role: 'agent', content: 'a', at: day + HOUR + 200 }),
          messageEvent(c2, { role: 'human', content: 'q', at: day + 2 * HOUR }),
          stepEvent(c2, { type: 'tool', name: 'calc', at: day + 2 * HOUR + 5, durationMs: 40 }),
          stepEvent(c2, {
            type: 'tool',
            name: 'calc',
            at: day + 2 * HOUR + 50,
            durationMs: 60,
            error: 'bad input',
          }),
          messageEvent(c2, { role: 'agent', content: 'a', at: day + 2 * HOUR + 400 }),
          feedbackEvent(c2, { sentiment: 'positive', at: day + 2 * HOUR + 500 }),
          messageEvent(c3, { role: 'human', content: 'q', at: day + 26 * HOUR }),
        ]),
      );
      const metrics = await store.getMetrics(project, { from: day, to: day + 48 * HOUR - 1, bucket: 'day' });
      expect(metrics.series).toHaveLength(2);
      expect(metrics.series.map((p) => [p.conversations, p.messages, p.customers])).toEqual([
        [2, 4, 2],
        [1, 1, 1],
      ]);
      expect(metrics.totals).toMatchObject({
        conversations: 3,
        messages: 5,
        customers: 2,
        toolCalls: 2,
        toolErrors: 1,
        llmCalls: 1,
        costUsd: 0.5,
      });
      expect(metrics.totals.feedback.positive).toBe(1);
      expect(metrics.totals.responseLatencyP50Ms).toBeGreaterThanOrEqual(190);
      expect(metrics.totals.responseLatencyP95Ms).toBeLessThanOrEqual(420);
      expect(metrics.tools).toEqual([
        {
          name: 'calc',
          calls: 2,
          errors: 1,
          errorRate: 0.5,
          p50Ms: expect.any(Number),
          p95Ms: expect.any(Number),
        },
      ]);
      expect(metrics.models).toEqual([
        { model: 'demo-x', provider: null, calls: 1, inputTokens: 10, outputTokens: 20, costUsd: 0.5 },
      ]);
      expect(metrics.heatmap.find((cell) => cell.hour === 1)?.conversations).toBe(1);
      const hourly = await store.getMetrics(project, { from: day, to: day + 3 * HOUR - 1, bucket: 'hour' });
      expect(hourly.series.map((p) => p.conversations)).toEqual([0, 1, 1]);
      expect(hourly.series.map((p) => p.customers)).toEqual([0, 1, 1]);
    });

    it('lists customers with usage, and the slowest and failing calls of a tool', async () => {
      const customers = await store.listCustomers(project, { limit: 50 });
      const mc1 = customers.data.find((c) => c.customerId === 'mc-1');
      expect(mc1).toMatchObject({
        conversations: 2,
        messages: 3,
        inputTokens: 10,
        outputTokens: 20,
        costUsd: 0.5,
      });
      const inRange = await store.listCustomers(project, {
        limit: 50,
        from: Date.UTC(2026, 1, 11),
        to: Date.UTC(2026, 1, 12),
      });
      expect(inRange.data.map((c) => c.customerId)).toEqual(['mc-1']);
      const slowest = await store.listToolCalls(project, { name: 'calc', kind: 'slowest', limit: 5 });
      expect(slowest.map((s) => s.durationMs)).toEqual([60, 40]);
      const failed = await store.listToolCalls(project, { name: 'calc', kind: 'failed', limit: 5 });
      expect(failed.map((s) => s.error?.message)).toEqual(['bad input']);
    });

    it('creates keys that are stored hashed, found by secret, and revoked', async () => {
      const { key, apiKey } = await store.createApiKey({ projectId: project, scope: 'read' });
      expect(key.startsWith('sl_read_')).toBe(true);
      expect((await store.findApiKey(key))?.projectId).toBe(project);
      expect(await store.findApiKey(`${key}x`)).toBeNull();
      expect(JSON.stringify(await store.listApiKeys(project))).not.toContain(key);
      expect(await store.revokeApiKey({ projectId: other, keyId: apiKey.id })).toBe(false);
      expect(await store.revokeApiKey({ projectId: project, keyId: apiKey.id })).toBe(true);
      expect(await store.findApiKey(key)).toBeNull();
    });

    it('records rejections and tracker drop counters for the ingestion health page', async () => {
      await store.recordRejections(project, [
        {
          index: 0,
          id: 'e1',
          issues: [{ path: 'events.0.body.role', message: 'bad role' }],
          sample: '{"role":"robot"}',
        },
      ]);
      await store.recordClientReport(project, {
        sdk: 'test',
        instanceId: 'inst-1',
        dropped: { events: 3, reasons: { buffer_full: 3 } },
      });
      await store.recordClientReport(project, {
        sdk: 'test',
        instanceId: 'inst-1',
        dropped: { events: 7, reasons: { buffer_full: 7 } },
      });
      const health = await store.getIngestionHealth(project);
      expect(health.rejected[0]).toMatchObject({
        eventId: 'e1',
        path: 'events.0.body.role',
        message: 'bad role',
      });
      expect(health.rejectedByReason[0]?.count).toBe(1);
      expect(health.clients).toEqual([
        expect.objectContaining({ instanceId: 'inst-1', droppedEvents: 7, reasons: { buffer_full: 7 } }),
      ]);
      expect((await store.getIngestionHealth(other)).clients).toEqual([]);
    });

    describeConcurrentAppends(() => ({ store, project }));
    describeScopedIds(() => ({ store }));
    describeHostileText(() => ({ store }));
    describeProjectSettings(() => ({ store }));
    describeConversationMerge(() => ({ store }));
    describeErasure(() => ({ store, query }));
    describeConversationCuration(() => ({ store }));
    describeConversationExport(() => ({ store }));
    describeScores(() => ({ store }));
    describeRetention(() => ({ store, query }));
    describeDatasets(() => ({ store }));
    describeReplayErasure(() => ({ store, query }));

    it('writes a batch all or nothing: a failure at its last write leaves none of it', async () => {
      const ctx = { conversationId: 'atomic', customerId: 'atomic-customer' };
      await exec('alter table customers rename to customers_moved');
      try {
        const batch = parseEvents([
          messageEvent(ctx, { role: 'human', content: 'will roll back', at: T0 }),
          stepEvent(ctx, { type: 'tool', name: 'x', at: T0 + 1, durationMs: 1 }),
        ]);
        await expect(store.append(project, batch)).rejects.toThrow();
      } finally {
        await exec('alter table customers_moved rename to customers');
      }
      expect(await store.getConversation(project, 'atomic')).toBeNull();
      expect((await store.listConversations(project, { limit: 10, search: 'roll back' })).data).toEqual([]);
      const retried = parseEvents([messageEvent(ctx, { role: 'human', content: 'second try', at: T0 })]);
      expect((await store.append(project, retried)).accepted.size).toBe(1);
    });
  });
}
