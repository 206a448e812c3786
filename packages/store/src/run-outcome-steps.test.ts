/**
 * A failed run recorded by @sightline/serve (the action `run_failed`, e.g. a guardrail's refusal) is an
 * error of its conversation, not a tool call: it must not appear on the Tools page as a tool failing
 * 100% of the time. On both dialects; a real tool that happens to be named `run_failed` still counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store } from './store.ts';
import { parseEvents, stepEvent } from './testing/events.ts';
import { createTestPostgresStore } from './testing/postgres-fixture.ts';

const T0 = Date.UTC(2026, 5, 1, 9, 0, 0);

const stores: Array<[string, () => Promise<{ store: Store; close: () => Promise<void> }>]> = [
  [
    'sqlite',
    async () => {
      const store = createStore({ database: ':memory:' });
      await store.migrate();
      return { store, close: () => store.close() };
    },
  ],
  [
    'postgres',
    async () => {
      const { store, drop } = await createTestPostgresStore();
      return { store, close: drop };
    },
  ],
];

describe.each(stores)('run outcomes on %s', (_name, open) => {
  let store: Store;
  let close: () => Promise<void>;
  let project: string;
  beforeAll(async () => {
    ({ store, close } = await open());
    project = (await store.createProject({ name: 'run outcomes' })).id;
    const blocked = { conversationId: 'blocked-run', customerId: 'alice' };
    const tooled = { conversationId: 'odd-tool', customerId: 'bob' };
    await store.append(
      project,
      parseEvents([
        stepEvent(blocked, { type: 'guardrail', name: 'no_secrets', at: T0, durationMs: 0 }),
        stepEvent(blocked, {
          type: 'action',
          name: 'run_failed',
          at: T0 + 5,
          durationMs: 0,
          error: 'Request blocked by input guardrail "no_secrets"',
        }),
        stepEvent(tooled, { type: 'tool', name: 'run_failed', at: T0 + 10, durationMs: 3 }),
        stepEvent(tooled, { type: 'tool', name: 'lookup', at: T0 + 20, durationMs: 4, error: 'timeout' }),
      ]),
    );
  });
  afterAll(async () => {
    await close?.();
  });

  it('counts a failed run as an error, not as a tool call', async () => {
    const detail = await store.getConversation(project, 'blocked-run');
    expect(detail?.conversation).toMatchObject({ toolCallCount: 0, errorCount: 1 });
    expect(detail?.totals).toMatchObject({ toolCalls: 0, errors: 1 });
    const metrics = await store.getMetrics(project, {
      from: T0 - 3_600_000,
      to: T0 + 3_600_000,
      bucket: 'hour',
    });
    expect(metrics.tools.map((tool) => [tool.name, tool.calls, tool.errors])).toEqual(
      expect.arrayContaining([
        ['run_failed', 1, 0], // the real tool of that name
        ['lookup', 1, 1],
      ]),
    );
    expect(metrics.tools).toHaveLength(2);
    expect(metrics.totals).toMatchObject({ toolCalls: 2, toolErrors: 1, errors: 2 });
    const calls = await store.listToolCalls(project, { name: 'run_failed', kind: 'recent', limit: 10 });
    expect(calls.map((call) => [call.conversationId, call.type])).toEqual([['odd-tool', 'tool']]);
  });
});
