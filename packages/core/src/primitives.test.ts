import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';
import { parseIngestRequest } from './ingest.ts';
import { idString } from './primitives.ts';

describe('idString', () => {
  it('refuses "." and "..", which no URL path can name (the hostile-input suite stored ".." unreadably)', () => {
    for (const id of ['.', '..']) {
      const result = idString.safeParse(id);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toContain('URL path');
    }
    for (const id of ['...', '.a', 'a..', './', '..%2F', '. .'])
      expect(idString.safeParse(id).success).toBe(true);
  });

  it('rejects an event whose conversation id is ".." with a 4xx naming the field, keeping the others', () => {
    const event = (conversationId: string) => ({
      id: newId(),
      type: 'message',
      timestamp: '2026-01-01T00:00:00.000Z',
      body: { conversationId, role: 'human', content: 'hi' },
    });
    const parsed = parseIngestRequest({ events: [event('..'), event('fine')] });
    expect(parsed.events).toHaveLength(1);
    expect(parsed.rejected[0]?.issues[0]?.path).toBe('events.0.body.conversationId');
  });
});
