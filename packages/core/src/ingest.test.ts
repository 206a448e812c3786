import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.ts';
import { feedbackSourceOf } from './feedback.ts';
import { newId } from './ids.ts';
import { parseIngestRequest } from './ingest.ts';
import { LIMITS } from './limits.ts';

const now = '2026-01-02T03:04:05.000Z';
const message = (overrides: Record<string, unknown> = {}) => ({
  id: newId(),
  type: 'message',
  timestamp: now,
  body: { conversationId: 'c1', role: 'human', content: 'hello', ...overrides },
});

describe('parseIngestRequest', () => {
  it('accepts a valid batch and converts timestamps to epoch ms', () => {
    const parsed = parseIngestRequest({ events: [message()] });
    expect(parsed.rejected).toEqual([]);
    expect(parsed.events[0]?.timestamp).toBe(Date.parse(now));
    expect(parsed.events[0]?.type).toBe('message');
  });

  it('rejects a bad event on its own and names the field', () => {
    const parsed = parseIngestRequest({
      events: [
        message(),
        message({ role: 'robot' }),
        message({ content: 'x'.repeat(LIMITS.maxContentLength + 1) }),
      ],
    });
    expect(parsed.events).toHaveLength(1);
    expect(parsed.rejected.map((r) => r.issues[0]?.path)).toEqual([
      'events.1.body.role',
      'events.2.body.content',
    ]);
    expect(parsed.rejected[1]?.issues[0]?.message).toContain(String(LIMITS.maxContentLength));
  });

  it('refuses prototype keys and deep nesting in metadata', () => {
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < LIMITS.maxDepth + 2; i++) {
      cursor.next = {};
      cursor = cursor.next as Record<string, unknown>;
    }
    const proto = JSON.parse('{"__proto__": {"polluted": true}}');
    const parsed = parseIngestRequest({
      events: [message({ metadata: deep }), message({ metadata: proto })],
    });
    expect(parsed.rejected.map((r) => r.issues[0]?.message)).toEqual([
      expect.stringContaining('nested deeper'),
      expect.stringContaining('__proto__'),
    ]);
  });

  it('rejects a repeated event id within one batch', () => {
    const event = message();
    const parsed = parseIngestRequest({ events: [event, event] });
    expect(parsed.events).toHaveLength(1);
    expect(parsed.rejected[0]?.issues[0]?.message).toContain('repeats');
  });

  it('throws a ValidationError for a malformed envelope', () => {
    expect(() => parseIngestRequest({ events: [] })).toThrow(ValidationError);
    expect(() =>
      parseIngestRequest({ events: Array.from({ length: LIMITS.maxBatchEvents + 1 }, () => message()) }),
    ).toThrow(/events: must hold at most/);
    expect(() => parseIngestRequest('nope')).toThrow(ValidationError);
  });

  it('requires a sentiment or score on feedback', () => {
    const parsed = parseIngestRequest({
      events: [{ id: newId(), type: 'feedback', timestamp: now, body: { conversationId: 'c1' } }],
    });
    expect(parsed.rejected[0]?.issues[0]).toEqual({
      path: 'events.0.body.sentiment',
      message: 'needs a sentiment or a score',
    });
  });

  it('lets feedback carry the conversation source, and says who gave it separately', () => {
    const feedback = (body: Record<string, unknown>) =>
      parseIngestRequest({
        events: [
          {
            id: newId(),
            type: 'feedback',
            timestamp: now,
            body: { conversationId: 'c1', sentiment: 'positive', ...body },
          },
        ],
      });
    const web = feedback({ source: 'web' });
    expect(web.rejected).toEqual([]);
    const body = web.events[0]?.body as Parameters<typeof feedbackSourceOf>[0];
    expect(feedbackSourceOf(body)).toBe('customer');
    expect(feedbackSourceOf({ source: 'platform' })).toBe('platform');
    expect(feedbackSourceOf({ source: 'web', feedbackSource: 'auto' })).toBe('auto');
    expect(feedback({ feedbackSource: 'someone' }).rejected[0]?.issues[0]?.path).toBe(
      'events.0.body.feedbackSource',
    );
  });

  it('takes a tracker report alone (events: []) but refuses an empty batch without one', () => {
    const client = { sdk: 'test', instanceId: 'i-1', dropped: { events: 1, reasons: { server_error: 1 } } };
    expect(parseIngestRequest({ events: [], client })).toMatchObject({ events: [], rejected: [], client });
    expect(() => parseIngestRequest({ events: [] })).toThrow(/events: must hold at least one event/);
  });
});
