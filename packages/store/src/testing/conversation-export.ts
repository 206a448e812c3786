/**
 * Conformance cases of the store suite: `exportConversations`, the filtered conversation list read in
 * bounded pages for exports. It must yield exactly what the list filters select, each conversation with
 * exactly what `getConversation` shows, in parts within the row budget and in time order, and stop when
 * asked.
 */
import type { ConversationFilter, IngestEvent } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import type { ExportedConversation, ExportFilter } from '../readers/conversation-export.ts';
import type { Store } from '../store.ts';
import { conversationEvent, feedbackEvent, messageEvent, parseEvents, stepEvent } from './events.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const MINUTE = 60_000;

/** Conversation `i`: a turn or more, a tool step failing on every third, feedback on every fourth. */
function conversationOf(i: number): IngestEvent[] {
  const ctx = {
    conversationId: `exp-${String(i).padStart(3, '0')}`,
    customerId: `cust-${i % 3}`,
    source: i % 2 === 0 ? 'web' : 'api',
    environment: i % 5 === 0 ? 'staging' : 'production',
  };
  const at = T0 + i * MINUTE;
  const events: IngestEvent[] = [
    conversationEvent(ctx, { at, name: `Export ${i}`, metadata: { plan: i % 2 === 0 ? 'pro' : 'free' } }),
    messageEvent(ctx, {
      role: 'human',
      content: i % 4 === 0 ? 'refund my order' : 'hello there',
      at: at + 1,
    }),
    stepEvent(ctx, {
      type: 'tool',
      name: 'lookup',
      at: at + 2,
      durationMs: 5,
      input: { i },
      ...(i % 3 === 0 ? { error: 'down' } : { output: { ok: true } }),
    }),
    stepEvent(ctx, {
      type: 'llm',
      name: 'chat',
      at: at + 3,
      durationMs: 9,
      usage: { model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 4 },
    }),
    messageEvent(ctx, { role: 'agent', content: `answer ${i}`, at: at + 20 }),
  ];
  if (i % 4 === 0)
    events.push(feedbackEvent(ctx, { sentiment: i % 8 === 0 ? 'positive' : 'negative', at: at + 30 }));
  return events;
}

/** Every conversation id the list API gives for a filter, page after page. */
async function listedIds(store: Store, projectId: string, filter: Omit<ConversationFilter, 'limit'>) {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listConversations(projectId, {
      ...filter,
      limit: 7,
      ...(cursor ? { cursor } : {}),
    });
    ids.push(...page.data.map((c) => c.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids.sort();
}

/** Drains an export into plain objects, checking each part keeps to the budget and to time order. */
async function drain(exported: AsyncIterable<ExportedConversation>, budget: number) {
  const out = [];
  for await (const { conversation, records } of exported) {
    const all = { messages: [] as unknown[], steps: [] as unknown[], feedback: [] as unknown[], parts: 0 };
    let latest = Number.NEGATIVE_INFINITY;
    for await (const part of records) {
      all.parts += 1;
      for (const kind of ['messages', 'steps', 'feedback'] as const)
        expect(part[kind].length, kind).toBeLessThanOrEqual(budget);
      const times = [
        ...part.messages.map((m) => Date.parse(m.timestamp)),
        ...part.steps.map((s) => Date.parse(s.startedAt)),
        ...part.feedback.map((f) => Date.parse(f.timestamp)),
      ];
      if (times.length > 0) {
        expect(Math.min(...times)).toBeGreaterThanOrEqual(latest);
        latest = Math.max(...times);
      }
      all.messages.push(...part.messages);
      all.steps.push(...part.steps);
      all.feedback.push(...part.feedback.map(({ metadata: _, ...rest }) => rest));
    }
    out.push({ conversation, ...all });
  }
  return out;
}

/** Registers the export cases; `target` gives the suite's store once set up. */
export function describeConversationExport(target: () => { store: Store }): void {
  describe('conversation export', () => {
    it('yields exactly what each list filter selects, in id order, each as getConversation shows it', async () => {
      const { store } = target();
      const project = (await store.createProject({ name: 'export' })).id;
      await store.append(
        project,
        parseEvents(Array.from({ length: 40 }, (_, i) => conversationOf(i)).flat()),
      );
      const filters: ExportFilter[] = [
        {},
        { customerId: 'cust-1' },
        { source: 'api', hasError: true },
        { environment: 'staging' },
        { feedback: 'negative' },
        { search: 'refund' },
        { metadata: [{ key: 'plan', value: 'pro' }] },
        { from: T0 + 10 * MINUTE, to: T0 + 25 * MINUTE },
      ];
      for (const filter of filters) {
        const exported = await drain(
          store.exportConversations(project, filter, { pageSize: 6, rowBudget: 9 }),
          9,
        );
        const ids = exported.map((e) => e.conversation.id);
        expect(ids, JSON.stringify(filter)).toEqual([...ids].sort());
        expect(ids, JSON.stringify(filter)).toEqual(await listedIds(store, project, filter));
        expect(ids.length).toBeGreaterThan(0);
        for (const e of exported) {
          const detail = await store.getConversation(project, e.conversation.id);
          expect(e.conversation).toEqual(detail?.conversation);
          expect(e.messages).toEqual(detail?.messages);
          expect(e.steps).toEqual(detail?.steps);
          expect(e.feedback).toEqual(detail?.feedback);
        }
      }
      const summaries = await drain(
        store.exportConversations(project, {}, { withRecords: false, limit: 13 }),
        0,
      );
      expect(summaries).toHaveLength(13);
      expect(summaries.every((e) => e.messages.length === 0 && e.steps.length === 0)).toBe(true);
    });

    it('reads a conversation larger than the budget in parts, in time order, rows of one time included', async () => {
      const { store } = target();
      const project = (await store.createProject({ name: 'export-large' })).id;
      const ctx = { conversationId: 'large', customerId: 'big' };
      const events: IngestEvent[] = [];
      for (let i = 0; i < 60; i++) {
        // Many rows share a time: a part may not end inside them without the next part going back in time.
        const at = T0 + Math.floor(i / 15) * 1_000;
        events.push(messageEvent(ctx, { role: i % 2 === 0 ? 'human' : 'agent', content: `m${i}`, at }));
        if (i % 2 === 0)
          events.push(stepEvent(ctx, { type: 'tool', name: 'search', at: at + (i % 3), durationMs: 1 }));
        if (i % 10 === 0) events.push(feedbackEvent(ctx, { sentiment: 'positive', at, comment: `f${i}` }));
      }
      await store.append(project, parseEvents(events));
      await store.append(
        project,
        parseEvents([messageEvent({ conversationId: 'small' }, { role: 'human', content: 'hi', at: T0 })]),
      );
      const [large, small] = await drain(store.exportConversations(project, {}, { rowBudget: 8 }), 8);
      const detail = await store.getConversation(project, 'large');
      expect(large?.parts).toBeGreaterThan(3);
      expect(large?.messages).toEqual(detail?.messages);
      expect(large?.steps).toEqual(detail?.steps);
      const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
      expect([...((large?.feedback ?? []) as Array<{ id: string }>)].sort(byId)).toEqual(
        [...(detail?.feedback ?? [])].sort(byId),
      );
      expect(small?.conversation.id).toBe('small');
      expect(small?.messages).toHaveLength(1);
    });

    it('stops after limit, on an aborted signal and on return(); a conversation changed meanwhile comes once', async () => {
      const { store } = target();
      const project = (await store.createProject({ name: 'export-stop' })).id;
      await store.append(
        project,
        parseEvents(Array.from({ length: 12 }, (_, i) => conversationOf(i)).flat()),
      );
      const seen: string[] = [];
      for await (const { conversation } of store.exportConversations(project, {}, { pageSize: 3 })) {
        seen.push(conversation.id);
        // The list's order (most recently active first) would move it ahead of the cursor, or past it.
        if (seen.length === 4)
          await store.append(
            project,
            parseEvents([
              messageEvent(
                { conversationId: 'exp-010' },
                { role: 'human', content: 'again', at: T0 + 99 * MINUTE },
              ),
            ]),
          );
      }
      expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `exp-${String(i).padStart(3, '0')}`));
      const controller = new AbortController();
      let read = 0;
      for await (const _ of store.exportConversations(
        project,
        {},
        { pageSize: 2, signal: controller.signal },
      )) {
        read += 1;
        if (read === 3) controller.abort();
      }
      expect(read).toBeLessThanOrEqual(4);
      const iterator = store.exportConversations(project, {}, { pageSize: 2 })[Symbol.asyncIterator]();
      expect((await iterator.next()).done).toBe(false);
      expect(await iterator.return?.()).toEqual({ done: true, value: undefined });
      expect((await iterator.next()).done).toBe(true);
    });
  });
}
