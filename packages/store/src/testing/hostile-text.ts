/**
 * Conformance cases of the store suite: text one dialect could take and the other could not (U+0000,
 * lone surrogates), searches with no words, and metadata keys that look like JSON-path syntax. Both
 * dialects store and answer alike; nothing fails.
 */
import type { IngestEvent } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import type { Store } from '../store.ts';
import { conversationEvent, messageEvent, parseEvents, stepEvent } from './events.ts';

const T0 = Date.UTC(2026, 4, 1, 12, 0, 0);
const LONE_HIGH = '\uD800';
const LONE_LOW = '\uDC00';

/** Registers the hostile-text cases; `target` gives the suite's store once set up. */
export function describeHostileText(target: () => { store: Store }): void {
  describe('hostile text', () => {
    it('stores U+0000 and lone surrogates in any text field as U+FFFD, the same on every dialect', async () => {
      const { store } = target();
      const project = (await store.createProject({ name: 'hostile-text' })).id;
      const ctx = { conversationId: 'nul-conv', customerId: 'nul-cust' };
      const events = parseEvents([
        conversationEvent(ctx, {
          at: T0,
          name: `name\u0000${LONE_LOW}`,
          metadata: { [`k\u0000`]: `v${LONE_HIGH}` },
        }),
        messageEvent(ctx, { role: 'human', content: `a\u0000b${LONE_HIGH}c${LONE_LOW}😀`, at: T0 + 1 }),
        stepEvent(ctx, {
          type: 'llm',
          name: `call${LONE_LOW}`,
          at: T0 + 2,
          durationMs: 3,
          input: { text: ['\u0000', LONE_HIGH] },
          output: `x\u0000`,
          usage: { model: `m\u0000`, inputTokens: 1, outputTokens: 1 },
        }),
      ]);
      expect(events[1]?.sanitized).toEqual(['events.1.body.content']);
      expect(events[0]?.sanitized).toEqual(
        expect.arrayContaining(['events.0.body.name', 'events.0.body.metadata.k\uFFFD']),
      );
      expect(events[2]?.sanitized).toEqual(
        expect.arrayContaining([
          'events.2.body.name',
          'events.2.body.input.text.0',
          'events.2.body.input.text.1',
          'events.2.body.output',
          'events.2.body.usage.model',
        ]),
      );
      expect((await store.append(project, events)).accepted.size).toBe(3);
      const detail = await store.getConversation(project, 'nul-conv');
      expect(detail?.conversation.name).toBe('name\uFFFD\uFFFD');
      expect(detail?.conversation.metadata).toEqual({ 'k\uFFFD': 'v\uFFFD' });
      expect(detail?.messages[0]?.content).toBe('a\uFFFDb\uFFFDc\uFFFD😀');
      expect(detail?.steps[0]).toMatchObject({
        name: 'call\uFFFD',
        input: { text: ['\uFFFD', '\uFFFD'] },
        output: 'x\uFFFD',
        usage: { model: 'm\uFFFD' },
      });
    });

    it('refuses ids with a lone surrogate, naming the field (an id changed by replacement could merge records)', () => {
      const event: IngestEvent = messageEvent(
        { conversationId: `conv${LONE_HIGH}` },
        { role: 'human', content: 'hi', at: T0 },
      );
      expect(() => parseEvents([event])).toThrow(/events\.0\.body\.conversationId.*lone UTF-16 surrogate/);
    });

    it('answers a search with no words (punctuation, emoji, quotes) with no conversations', async () => {
      const { store } = target();
      const project = (await store.createProject({ name: 'wordless' })).id;
      await store.append(
        project,
        parseEvents([
          messageEvent({ conversationId: 'w' }, { role: 'human', content: '?! 🎉 "quoted"', at: T0 }),
        ]),
      );
      for (const search of ['?!', '🎉', '"', "'", '""', '*', ':*', '&|!()', '\\']) {
        const page = await store.listConversations(project, { search, limit: 10 });
        expect(page.data, search).toEqual([]);
      }
      const words = await store.listConversations(project, { search: '"quoted', limit: 10 });
      expect(words.data.map((c) => c.id)).toEqual(['w']);
    });

    it('filters by metadata keys holding quotes, backslashes, dots and dollar signs', async () => {
      const { store } = target();
      const project = (await store.createProject({ name: 'odd-keys' })).id;
      const keys = ['a"b', 'back\\slash', 'dot.ted', '$.root', "it's", '[0]'];
      const metadata = Object.fromEntries(keys.map((key, i) => [key, `v${i}`]));
      await store.append(
        project,
        parseEvents([conversationEvent({ conversationId: 'odd' }, { at: T0, metadata })]),
      );
      for (const [i, key] of keys.entries()) {
        const hit = await store.listConversations(project, {
          metadata: [{ key, value: `v${i}` }],
          limit: 10,
        });
        expect(
          hit.data.map((c) => c.id),
          key,
        ).toEqual(['odd']);
        const miss = await store.listConversations(project, {
          metadata: [{ key, value: 'other' }],
          limit: 10,
        });
        expect(miss.data, key).toEqual([]);
      }
    });
  });
}
