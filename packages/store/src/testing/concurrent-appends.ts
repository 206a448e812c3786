/**
 * Conformance cases of the store suite: appends running at once (several collector nodes, or one
 * collector's concurrent requests), which must neither lose nor double any count.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../store.ts';
import { messageEvent, parseEvents, stepEvent } from './events.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

/** Registers the concurrent-append cases; `target` gives the suite's store and project once set up. */
export function describeConcurrentAppends(target: () => { store: Store; project: string }): void {
  describe('concurrent appends', () => {
    it('handles concurrent appends to one conversation without losing or doubling counts', async () => {
      const { store, project } = target();
      const ctx = { conversationId: 'concurrent', customerId: 'cc' };
      const batches = Array.from({ length: 8 }, (_, b) =>
        parseEvents(
          Array.from({ length: 25 }, (_, i) =>
            messageEvent(ctx, { role: 'human', content: `b${b}-${i}`, at: T0 + b * 100 + i }),
          ),
        ),
      );
      await Promise.all(batches.map((batch) => store.append(project, batch)));
      const detail = await store.getConversation(project, 'concurrent');
      expect(detail?.messages).toHaveLength(200);
      expect(detail?.conversation.messageCount).toBe(200);
    });

    it('counts a conversation (and a step) once when concurrent appends create it', async () => {
      const { store } = target();
      const race = (await store.createProject({ name: 'race' })).id;
      const day = Date.UTC(2026, 2, 3);
      for (let round = 0; round < 3; round += 1) {
        const ctx = { conversationId: `race-${round}`, customerId: `racer-${round}` };
        const step = `race-step-${round}`;
        const batches = Array.from({ length: 8 }, (_, b) =>
          parseEvents([
            messageEvent(ctx, { role: 'human', content: `r${round}-b${b}`, at: day + round * HOUR + b }),
            stepEvent(ctx, {
              stepId: step,
              type: 'tool',
              name: 'race',
              at: day + round * HOUR,
              durationMs: 5,
            }),
          ]),
        );
        await Promise.all(batches.map((batch) => store.append(race, batch)));
      }
      const metrics = await store.getMetrics(race, { from: day, to: day + 24 * HOUR - 1, bucket: 'day' });
      expect(metrics.totals).toMatchObject({ conversations: 3, messages: 24, customers: 3, toolCalls: 3 });
      const customers = await store.listCustomers(race, { limit: 10 });
      expect(customers.data.map((c) => [c.customerId, c.conversations, c.messages])).toEqual(
        expect.arrayContaining([
          ['racer-0', 1, 8],
          ['racer-1', 1, 8],
          ['racer-2', 1, 8],
        ]),
      );
      const detail = await store.getConversation(race, 'race-1');
      expect(detail?.conversation).toMatchObject({ messageCount: 8, stepCount: 1, toolCallCount: 1 });
      // A new step of a conversation that exists, sent in several batches at once (start and end events
      // of one step can come from two trackers): counted once.
      const existing = { conversationId: 'race-0', customerId: 'racer-0' };
      const sharedStep = (b: number) =>
        parseEvents([
          stepEvent(existing, {
            stepId: 'race-step-late',
            type: 'tool',
            name: 'late',
            at: day + 3 * HOUR + b,
            durationMs: 5,
          }),
        ]);
      await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((b) => store.append(race, sharedStep(b))));
      const later = await store.getConversation(race, 'race-0');
      expect(later?.conversation).toMatchObject({ stepCount: 2, toolCallCount: 2 });
      // Backfill-sized batches (over 128 conversations each, all new, the same in every batch).
      const wide = (b: number) =>
        parseEvents(
          Array.from({ length: 150 }, (_, c) =>
            messageEvent(
              { conversationId: `wide-${c}` },
              { role: 'human', content: `w${b}`, at: day + 5 * HOUR + c },
            ),
          ),
        );
      await Promise.all([0, 1, 2, 3].map((b) => store.append(race, wide(b))));
      const after = await store.getMetrics(race, { from: day, to: day + 24 * HOUR - 1, bucket: 'day' });
      expect(after.totals).toMatchObject({ conversations: 153, messages: 24 + 600, toolCalls: 4 });
    });
  });
}
