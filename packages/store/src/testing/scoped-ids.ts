/**
 * Conformance cases of the store suite: step, message and feedback ids are chosen by clients (OTLP
 * span ids are unique only within a trace), so two conversations reusing one id must each keep
 * their own row, and no write to one conversation may change a row of another.
 */
import type { IngestEvent } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import type { Store } from '../store.ts';
import { feedbackEvent, messageEvent, parseEvents, stepEvent } from './events.ts';

const T0 = Date.UTC(2026, 3, 7, 9, 0, 0);

const withBody = <T extends IngestEvent>(event: T, body: Record<string, unknown>): T =>
  ({ ...event, body: { ...event.body, ...body } }) as T;

function llmStep(conversationId: string, options: { tokens: number; answer: string; at: number }) {
  return stepEvent(
    { conversationId, customerId: `owner-of-${conversationId}` },
    {
      stepId: 'span-0001',
      type: 'llm',
      name: 'chat',
      at: options.at,
      durationMs: 10,
      output: options.answer,
      usage: { model: 'gpt-4o-mini', inputTokens: options.tokens, outputTokens: options.tokens * 2 },
    },
  );
}

/** Registers the scoped-id cases; `target` gives the suite's store once set up. */
export function describeScopedIds(target: () => { store: Store }): void {
  describe('ids scoped by conversation', () => {
    it('keeps each conversation its own step when two reuse a step id, in one batch or two', async () => {
      const { store } = target();
      const project = (await store.createProject({ name: 'scoped-steps' })).id;
      await store.append(project, parseEvents([llmStep('conv-a', { tokens: 10, answer: 'A', at: T0 })]));
      await store.append(
        project,
        parseEvents([
          llmStep('conv-b', { tokens: 1000, answer: 'B', at: T0 + 1_000 }),
          llmStep('conv-c', { tokens: 5, answer: 'C', at: T0 + 2_000 }),
        ]),
      );
      for (const [id, tokens, answer] of [
        ['conv-a', 10, 'A'],
        ['conv-b', 1000, 'B'],
        ['conv-c', 5, 'C'],
      ] as const) {
        const detail = await store.getConversation(project, id);
        expect(detail?.steps).toHaveLength(1);
        expect(detail?.steps[0]).toMatchObject({
          id: 'span-0001',
          conversationId: id,
          output: answer,
          usage: { inputTokens: tokens, outputTokens: tokens * 2 },
        });
        expect(detail?.conversation).toMatchObject({ stepCount: 1, inputTokens: tokens, llmCallCount: 1 });
      }
      const metrics = await store.getMetrics(project, { from: T0, to: T0 + 3_600_000, bucket: 'hour' });
      expect(metrics.totals).toMatchObject({ llmCalls: 3, inputTokens: 1015, outputTokens: 2030 });
      const customers = await store.listCustomers(project, { limit: 10 });
      expect(customers.data.find((c) => c.customerId === 'owner-of-conv-a')?.inputTokens).toBe(10);
    });

    it('merges a step end into the step of its own conversation only', async () => {
      const { store } = target();
      const project = (await store.createProject({ name: 'scoped-merge' })).id;
      const open = (conversationId: string) =>
        stepEvent({ conversationId }, { stepId: 'shared', type: 'tool', name: 'lookup', at: T0, open: true });
      await store.append(project, parseEvents([open('left'), open('right')]));
      const end = withBody(
        stepEvent({ conversationId: 'right' }, { stepId: 'shared', type: 'tool', name: 'lookup', at: T0 }),
        { output: 'right only', error: { message: 'boom' } },
      );
      await store.append(project, parseEvents([end]));
      const left = await store.getConversation(project, 'left');
      const right = await store.getConversation(project, 'right');
      expect(left?.steps[0]).toMatchObject({ output: null, error: null, endedAt: null });
      expect(left?.conversation).toMatchObject({ toolCallCount: 0, errorCount: 0 });
      expect(right?.steps[0]).toMatchObject({ output: 'right only', error: { message: 'boom' } });
      expect(right?.conversation).toMatchObject({ toolCallCount: 1, errorCount: 1 });
    });

    it('stores a message and feedback id reused by another conversation in both', async () => {
      const { store } = target();
      const project = (await store.createProject({ name: 'scoped-messages' })).id;
      const events = (conversationId: string, at: number) => [
        withBody(
          messageEvent({ conversationId }, { role: 'human', content: `hi from ${conversationId}`, at }),
          {
            messageId: 'm-1',
          },
        ),
        withBody(feedbackEvent({ conversationId }, { sentiment: 'negative', at: at + 1 }), {
          feedbackId: 'f-1',
          messageId: 'm-1',
        }),
      ];
      await store.append(project, parseEvents(events('first', T0)));
      await store.append(project, parseEvents([...events('second', T0 + 10), ...events('third', T0 + 20)]));
      for (const id of ['first', 'second', 'third']) {
        const detail = await store.getConversation(project, id);
        expect(detail?.messages.map((m) => [m.id, m.content])).toEqual([['m-1', `hi from ${id}`]]);
        expect(detail?.feedback.map((f) => [f.id, f.messageId])).toEqual([['f-1', 'm-1']]);
        expect(detail?.conversation).toMatchObject({ messageCount: 1, feedback: { negative: 1 } });
      }
    });
  });
}
