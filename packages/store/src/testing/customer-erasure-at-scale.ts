/**
 * Conformance case of the store suite (issue 14's acceptance): erasing a customer with 1,000
 * conversations among 100,000 others. Project A holds the others (scale-fixture.ts) and the customer's
 * conversations, appended through the store, in the same hours, environments, tools and model as the
 * others; project B is a copy of A made before the customer's events came (messages aside, which no
 * read compared here looks at): a store that never had them. After the erasure: nothing of theirs in any table, every other conversation's rows
 * byte-identical, every rollup table and every read equal to B's, the receipt counting what went, and
 * a second erasure removing nothing.
 */
import type { IngestEvent } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import type { Store } from '../store.ts';
import {
  conversationDigest,
  type ErasedTarget,
  type QueryRows,
  rollupTables,
  rounded,
  rowsLeft,
} from './erasure-checks.ts';
import { feedbackEvent, messageEvent, stepEvent } from './events.ts';
import { appendAll, copyProject, multiplyProject, otherConversation } from './scale-fixture.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 5, 1, 0, 0, 0);
const SPAN = 7 * DAY;
const TEMPLATE = 1_000;
/** A word only the erased customer's messages contain. */
export const SCALE_MARKER = 'quokkamarine';

/** What a scale erasure works on. */
export interface ScaleSetup {
  store: Store;
  query: QueryRows;
  exec: (statement: string) => Promise<unknown>;
  /** Other conversations (a multiple of 1,000). */
  others: number;
  /** Conversations of the erased customer. */
  conversations: number;
}

/** The erased customer's conversations: every kind of row, spread over the others' week. */
function customerEvents(count: number): IngestEvent[] {
  const events: IngestEvent[] = [];
  for (let j = 0; j < count; j++) {
    const ctx = {
      conversationId: `gone-${j}`,
      customerId: 'gone-cust',
      environment: j % 5 === 0 ? 'staging' : 'prod',
    };
    const at = T0 + Math.floor((j * SPAN) / count) + 7_000;
    events.push(
      messageEvent(ctx, { role: 'human', content: `private ${SCALE_MARKER} ${j}`, at }),
      stepEvent(ctx, {
        type: 'tool',
        name: j % 2 ? 'search' : 'lookup',
        at: at + 100,
        durationMs: 80 + j,
        ...(j % 6 === 0 ? { error: 'x' } : {}),
      }),
      stepEvent(ctx, {
        type: 'llm',
        name: 'chat',
        at: at + 300,
        durationMs: 600,
        usage: { model: 'gpt-4o-mini', provider: 'openai', inputTokens: 90, outputTokens: 30 },
      }),
      messageEvent(ctx, { role: 'agent', content: `reply ${SCALE_MARKER}`, at: at + 1_400 }),
    );
    if (j % 3 === 0) events.push(feedbackEvent(ctx, { sentiment: 'negative', at: at + 60_000 }));
  }
  return events;
}

/** Builds project A (others, then the customer) and B (A before the customer came); returns their ids. */
export async function buildScaleProjects(setup: ScaleSetup): Promise<{ a: string; b: string }> {
  const { store } = setup;
  const a = (await store.createProject({ name: 'scale-erasure' })).id;
  const b = (await store.createProject({ name: 'scale-never-had' })).id;
  const template: IngestEvent[] = [];
  for (let i = 0; i < TEMPLATE; i++)
    template.push(...otherConversation(i, T0 + Math.floor((i * SPAN) / TEMPLATE)));
  await appendAll(store, a, template);
  await multiplyProject(store, { ...setup, projectId: a, copies: setup.others / TEMPLATE });
  await copyProject(store, { ...setup, from: a, to: b });
  await appendAll(store, a, customerEvents(setup.conversations));
  await store.recordRejections(a, [
    {
      index: 0,
      id: null,
      issues: [{ path: 'events.0.body.role', message: 'bad' }],
      sample: JSON.stringify({ body: { conversationId: 'gone-7', role: 'robot' } }),
    },
    {
      index: 1,
      id: null,
      issues: [{ path: 'events.1.body.role', message: 'bad' }],
      sample: JSON.stringify({ body: { conversationId: 'other-7', role: 'robot' } }),
    },
  ]);
  return { a, b };
}

/** What readers see of a project over the week, and its rollup tables. */
async function readProject(store: Store, query: QueryRows, project: string) {
  const range = { from: T0 - DAY, to: T0 + SPAN + DAY };
  return rounded({
    rollups: await rollupTables(query, project),
    hourly: await store.getMetrics(project, { ...range, bucket: 'hour' }),
    daily: await store.getMetrics(project, { ...range, bucket: 'day', environment: 'staging' }),
    customers: await store.listCustomers(project, { limit: 200 }),
    customersInRange: await store.listCustomers(project, { ...range, limit: 200, search: 'cust-1' }),
    tools: await store.listToolCalls(project, { name: 'search', kind: 'slowest', limit: 50 }),
  });
}

/** Registers the case; `sizes` are the others and the customer's conversations. */
export function describeCustomerErasureAtScale(
  target: () => Omit<ScaleSetup, 'others' | 'conversations'>,
  sizes: { others: number; conversations: number },
): void {
  describe(`erasing a customer with ${sizes.conversations} conversations among ${sizes.others} others`, () => {
    it('leaves nothing of theirs, the others byte-identical, everything read as if they never came; idempotent', async () => {
      const setup = { ...target(), ...sizes };
      const { store, query } = setup;
      const { a, b } = await buildScaleProjects(setup);
      const gone: ErasedTarget = {
        projectId: a,
        prefix: 'gone-',
        customerId: 'gone-cust',
        marker: SCALE_MARKER,
      };
      const before = await rowsLeft(store, query, gone);
      expect(before).toMatchObject({
        conversations: sizes.conversations,
        messages: 2 * sizes.conversations,
        ingestRejections: 1,
      });
      const skip = (id: string) => id.startsWith('gone-');
      const others = await conversationDigest(query, { projectId: a, skip });
      expect(others.rows).toBeGreaterThan(2 * sizes.others);

      const outcome = await store.eraseCustomer(a, 'gone-cust');
      const { markedContent: _, searchIndex: __, ...counted } = before;
      expect(outcome.removed).toEqual(counted);
      expect(outcome.conversationIds).toHaveLength(sizes.conversations);
      const after = await rowsLeft(store, query, gone);
      expect(after).toEqual(Object.fromEntries(Object.keys(after).map((table) => [table, 0])));
      expect(await conversationDigest(query, { projectId: a, skip: () => false })).toEqual(others);
      const erased = await readProject(store, query, a);
      expect(erased).toEqual(await readProject(store, query, b));

      const again = await store.eraseCustomer(a, 'gone-cust');
      expect(Object.values(again.removed).every((count) => count === 0)).toBe(true);
      expect(await readProject(store, query, a)).toEqual(erased);
    }, 600_000);
  });
}
