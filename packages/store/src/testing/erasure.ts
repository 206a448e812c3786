/**
 * Conformance cases of the store suite: erasing a conversation or a customer. The measure: the project
 * afterwards reads exactly like a project that got the same events but the erased ones (every rollup
 * table row by row, metrics, customers, tool calls, the list); nothing of the erased data is left in any
 * table; the other conversations' rows do not change by a byte; the receipt counts what went; erasing
 * again removes nothing; old events re-sent are duplicates (their ids stay recorded).
 */
import type { IngestEvent } from '@sightline/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store.ts';
import {
  conversationDigest,
  type ErasedTarget,
  type QueryRows,
  rollupTables,
  rounded,
  rowsLeft,
} from './erasure-checks.ts';
import {
  conversationEvent,
  type EventContext,
  feedbackEvent,
  messageEvent,
  parseEvents,
  scoreEvent,
  stepEvent,
} from './events.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const USAGE = { model: 'gpt-4o-mini', provider: 'openai', inputTokens: 100, outputTokens: 40 };
/** A word only the erased customer's messages contain. */
const MARKER = 'zebracornish';

/**
 * One turn: a question, a tool call, a model call, the answer, maybe feedback (the customer's, and the
 * platform's when `review` is set) and scores (a person's thumb on the answer, a judge's grade).
 */
function turn(
  ctx: EventContext,
  options: {
    at: number;
    content: string;
    tool?: string;
    error?: string;
    feedback?: 'positive' | 'negative';
    review?: boolean;
  },
): IngestEvent[] {
  const { at } = options;
  const answer = `${ctx.conversationId}-${at}`;
  const events = [
    messageEvent(ctx, { role: 'human', content: options.content, at }),
    stepEvent(ctx, {
      type: 'tool',
      name: options.tool ?? 'search',
      at: at + 100,
      durationMs: 250,
      ...(options.error ? { error: options.error } : {}),
    }),
    stepEvent(ctx, { type: 'llm', name: 'chat', at: at + 400, durationMs: 900, usage: USAGE }),
    messageEvent(ctx, {
      role: 'agent',
      content: `answer to ${options.content}`,
      at: at + 1_500,
      messageId: answer,
    }),
  ];
  if (options.feedback) events.push(feedbackEvent(ctx, { sentiment: options.feedback, at: at + 2_000 }));
  if (ctx.agentVersion)
    events.push(
      stepEvent(ctx, {
        type: 'run',
        name: 'run',
        at,
        durationMs: 1_400,
        ...(options.error ? { error: options.error } : {}),
      }),
    );
  if (options.review) {
    const score = { source: 'human', messageId: answer, scoreId: `thumb-${answer}` } as const;
    events.push(
      feedbackEvent(ctx, { sentiment: 'negative', at: at + 2_500, source: 'platform' }),
      scoreEvent(ctx, { ...score, name: 'thumbs', value: true, at: at + 2_600 }),
      // The person changes their mind: same score id, later.
      scoreEvent(ctx, { ...score, name: 'thumbs', value: false, at: at + 2_700, comment: 'wrong' }),
      scoreEvent(ctx, { name: 'helpfulness', value: 0.25, source: 'model', at: at + 2_800 }),
      scoreEvent(ctx, { name: 'topic', value: options.content.split(' ')[0] ?? 'x', at: at + 2_900 }),
    );
  }
  return events;
}

const keep = (id: string) => ({
  conversationId: id,
  customerId: 'keep-cust',
  environment: 'prod',
  agentVersion: 'helper@111111111111',
});
const span = (id: string) => ({ conversationId: id, customerId: 'span-cust', environment: 'prod' });
const gone = (id: string, environment = 'prod') => ({
  conversationId: id,
  customerId: 'gone-cust',
  environment,
  agentVersion: 'helper@222222222222',
});

/** The scenario's events, by conversation (built once: the same ids go to every project). */
function scenario(): Map<string, IngestEvent[]> {
  return new Map<string, IngestEvent[]>([
    [
      'keep-1',
      [
        ...turn(keep('keep-1'), { at: T0, content: 'hello', feedback: 'positive', review: true }),
        ...turn(keep('keep-1'), { at: T0 + 20 * MINUTE, content: 'more' }),
      ],
    ],
    [
      'keep-2',
      [
        conversationEvent(keep('keep-2'), { at: T0 + 30 * MINUTE, name: 'second chat' }),
        ...turn(keep('keep-2'), { at: T0 + 30 * MINUTE, content: 'again', tool: 'lookup' }),
        ...turn(keep('keep-2'), { at: T0 + 5 * HOUR, content: 'later' }),
        ...turn(keep('keep-2'), { at: T0 + 26 * HOUR, content: 'next day', feedback: 'negative' }),
      ],
    ],
    // span-1 started before the hour of span-2 and was last active after it, and has a message in it:
    // that hour stays active for span-cust when span-2 goes.
    [
      'span-1',
      [
        ...turn(span('span-1'), { at: T0 + 4 * HOUR + 7 * MINUTE, content: 'before' }),
        ...turn(span('span-1'), { at: T0 + 5 * HOUR + 13 * MINUTE, content: 'inside' }),
        ...turn(span('span-1'), { at: T0 + 7 * HOUR + 7 * MINUTE, content: 'after' }),
      ],
    ],
    ['span-2', turn(span('span-2'), { at: T0 + 5 * HOUR + 23 * MINUTE, content: 'meanwhile' })],
    [
      'anon-1',
      turn(
        { conversationId: 'anon-1', environment: 'staging' },
        { at: T0 + 10 * MINUTE, content: 'anonymous' },
      ),
    ],
    [
      'gone-1',
      [
        ...turn(gone('gone-1'), {
          at: T0 + 15 * MINUTE,
          content: `my secret ${MARKER}`,
          error: 'timeout',
          feedback: 'negative',
          review: true,
        }),
        ...turn(gone('gone-1'), { at: T0 + 5 * HOUR + 10 * MINUTE, content: `${MARKER} again` }),
      ],
    ],
    [
      'gone-2',
      turn(gone('gone-2', 'staging'), {
        at: T0 + 3 * HOUR,
        content: `staging ${MARKER}`,
        tool: 'lookup',
        review: true,
      }),
    ],
    [
      'gone-3',
      [
        ...turn(gone('gone-3'), { at: T0 + 49 * HOUR, content: `late ${MARKER}`, feedback: 'positive' }),
        stepEvent(gone('gone-3'), { type: 'tool', name: 'search', at: T0 + 49 * HOUR + 3_000, open: true }),
      ],
    ],
    // Spans of a trace stored before their conversation was named, then merged into gone-1.
    [
      'gone-trace',
      turn(
        { conversationId: 'gone-trace', environment: 'prod' },
        { at: T0 + 16 * MINUTE, content: `early ${MARKER}`, review: true },
      ),
    ],
  ]);
}

/** Builds a project from the scenario's events but those of conversations `without` names. */
async function build(
  store: Store,
  options: { events: Map<string, IngestEvent[]>; without: (id: string) => boolean },
): Promise<string> {
  const project = (await store.createProject({ name: 'erasure' })).id;
  for (const [id, events] of options.events) {
    if (options.without(id) || id === 'gone-trace') continue;
    await store.append(project, parseEvents(events));
  }
  if (!options.without('gone-trace')) {
    await store.append(project, parseEvents(options.events.get('gone-trace') ?? []));
    await store.mergeConversation(project, { from: 'gone-trace', into: 'gone-1' });
  }
  return project;
}

/** Everything a reader sees of a project, and its rollup tables row by row. */
async function readProject(store: Store, query: QueryRows, project: string) {
  const range = { from: T0 - HOUR, to: T0 + 72 * HOUR };
  return rounded({
    rollups: await rollupTables(query, project),
    hourly: await store.getMetrics(project, { ...range, bucket: 'hour' }),
    daily: await store.getMetrics(project, { ...range, bucket: 'day' }),
    staging: await store.getMetrics(project, { ...range, bucket: 'hour', environment: 'staging' }),
    customers: await store.listCustomers(project, { limit: 50 }),
    customersInRange: await store.listCustomers(project, { ...range, limit: 50 }),
    tools: await store.listToolCalls(project, { name: 'search', kind: 'recent', limit: 50 }),
    list: (await store.listConversations(project, { limit: 50 })).data,
  });
}

/** Registers the erasure cases; `target` gives the suite's store and a way to read its tables. */
export function describeErasure(target: () => { store: Store; query: QueryRows }): void {
  describe('erasure', () => {
    const events = scenario();
    let project: string;
    const erased = new Set<string>();
    const without = (also: string[]) => (id: string) =>
      erased.has(id) ||
      also.includes(id) ||
      (id === 'gone-trace' && (erased.has('gone-1') || also.includes('gone-1')));

    beforeAll(async () => {
      const { store } = target();
      project = await build(store, { events, without: () => false });
      await store.recordRejections(project, [
        {
          index: 0,
          id: null,
          issues: [{ path: 'events.0.body.content', message: 'too long' }],
          sample: JSON.stringify({ body: { conversationId: 'gone-2', content: 'x' } }),
        },
        {
          index: 1,
          id: null,
          issues: [{ path: 'events.1.type', message: 'bad' }],
          sample: JSON.stringify({ body: { customerId: 'gone-cust' } }).slice(0, 40),
        },
        {
          index: 2,
          id: null,
          issues: [{ path: 'events.2.type', message: 'bad' }],
          sample: JSON.stringify({ body: { conversationId: 'keep-1' } }),
        },
      ]);
    });

    /** Erases, then checks the project against one that never had the erased conversations. */
    async function eraseAndCompare(ids: string[], erase: () => Promise<unknown>) {
      const { store, query } = target();
      const result = await erase();
      for (const id of ids) erased.add(id);
      const never = await build(store, { events, without: without([]) });
      expect(await readProject(store, query, project)).toEqual(await readProject(store, query, never));
      return result;
    }

    it('erases a conversation of a customer who keeps others: rollups as if it never came', async () => {
      const { store, query } = target();
      const left = await rowsLeft(store, query, { projectId: project, prefix: 'keep-2', marker: 'next day' });
      const outcome = await eraseAndCompare(['keep-2'], () => store.eraseConversation(project, 'keep-2'));
      expect(outcome).toMatchObject({
        conversationIds: ['keep-2'],
        replayConversationIds: [],
        removed: {
          conversations: 1,
          messages: left.messages,
          steps: left.steps,
          feedback: left.feedback,
          customers: 0,
          customerDays: 0,
        },
      });
      expect(left.messages).toBe(6);
      expect(await store.getConversation(project, 'keep-2')).toBeNull();
      // The customer keeps their row, narrowed to what is left.
      const customer = (await store.listCustomers(project, { limit: 50 })).data.find(
        (c) => c.customerId === 'keep-cust',
      );
      expect(customer).toMatchObject({
        conversations: 1,
        messages: 4,
        lastSeenAt: new Date(T0 + 20 * MINUTE + 1_500).toISOString(),
      });
    });

    it('keeps the hours a remaining conversation was active in through a message, not its start or end', async () => {
      const { store } = target();
      const outcome = await eraseAndCompare(['span-2'], () => store.eraseConversation(project, 'span-2'));
      expect(outcome).toMatchObject({ removed: { conversations: 1, messages: 2, customers: 0 } });
    });

    it('erases a conversation without a customer', async () => {
      const { store } = target();
      const outcome = await eraseAndCompare(['anon-1'], () => store.eraseConversation(project, 'anon-1'));
      expect(outcome).toMatchObject({ removed: { conversations: 1, messages: 2, steps: 2, feedback: 0 } });
    });

    it('erases a customer: every row of theirs, table by table; the rest unchanged; receipt counts; idempotent', async () => {
      const { store, query } = target();
      const gone: ErasedTarget = {
        projectId: project,
        prefix: 'gone-',
        customerId: 'gone-cust',
        marker: MARKER,
      };
      const before = await rowsLeft(store, query, gone);
      for (const [table, count] of Object.entries(before))
        expect({ table, some: count > 0 }).toEqual({ table, some: true });
      const skip = (id: string) => id.startsWith('gone-');
      const others = await conversationDigest(query, { projectId: project, skip });
      const outcome = await eraseAndCompare(['gone-1', 'gone-2', 'gone-3'], () =>
        store.eraseCustomer(project, 'gone-cust'),
      );
      const { markedContent: _, searchIndex: __, ...counted } = before;
      expect(outcome).toEqual({
        removed: counted,
        conversationIds: ['gone-1', 'gone-2', 'gone-3'],
        replayConversationIds: [],
        datasets: { datasetItems: 0, experimentItems: 0, replayConversations: 0 },
      });
      const after = await rowsLeft(store, query, gone);
      expect(after).toEqual(Object.fromEntries(Object.keys(after).map((table) => [table, 0])));
      expect(await conversationDigest(query, { projectId: project, skip: () => false })).toEqual(others);
      const health = await store.getIngestionHealth(project);
      expect(health.rejected.map((r) => r.sample)).toEqual([
        JSON.stringify({ body: { conversationId: 'keep-1' } }),
      ]);
      // Again: nothing to remove, nothing changes.
      const state = await readProject(store, query, project);
      const again = await store.eraseCustomer(project, 'gone-cust');
      expect(Object.values(again.removed).every((count) => count === 0)).toBe(true);
      expect(again.conversationIds).toEqual([]);
      expect((await store.eraseConversation(project, 'gone-1')).removed.conversations).toBe(0);
      expect(await readProject(store, query, project)).toEqual(state);
      expect(await conversationDigest(query, { projectId: project, skip: () => false })).toEqual(others);
    });

    it('keeps erased events ids: re-sent old events are duplicates, new ones start the conversation anew', async () => {
      const { store } = target();
      const old = parseEvents(events.get('gone-1') ?? []);
      expect((await store.append(project, old)).accepted.size).toBe(0);
      expect(await store.getConversation(project, 'gone-1')).toBeNull();
      const fresh = parseEvents([
        messageEvent(gone('gone-1'), { role: 'human', content: 'back', at: T0 + 60 * HOUR }),
      ]);
      expect((await store.append(project, fresh)).accepted.size).toBe(1);
      expect((await store.getConversation(project, 'gone-1'))?.conversation.messageCount).toBe(1);
      expect((await store.eraseCustomer(project, 'gone-cust')).removed).toMatchObject({
        conversations: 1,
        messages: 1,
        customers: 1,
      });
    });
  });
}
