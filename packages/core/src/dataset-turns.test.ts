/** Turns taken from a stored conversation's messages (dataset items, replay, the comparison). */
import { describe, expect, it } from 'vitest';
import { turnsOf } from './dataset-turns.ts';

const message = (role: 'human' | 'agent' | 'system', content: string, timestamp: string) =>
  ({ id: content, conversationId: 'c', role, content, metadata: {}, attachments: [], timestamp }) as const;

describe('turnsOf', () => {
  it('pairs each human message with the agent messages after it, the human first on a tie', () => {
    const messages = [
      message('system', 'be brief', '2026-01-01T00:00:00.000Z'),
      message('agent', 'one', '2026-01-01T00:00:01.000Z'),
      message('human', 'first?', '2026-01-01T00:00:01.000Z'),
      message('agent', 'two', '2026-01-01T00:00:02.000Z'),
      message('human', 'second?', '2026-01-01T00:00:03.000Z'),
    ];
    expect(turnsOf({ messages })).toEqual([
      { human: 'first?', expected: 'one\ntwo' },
      { human: 'second?', expected: null },
    ]);
  });

  it('has no turn before the first human message', () => {
    expect(turnsOf({ messages: [message('agent', 'hello', '2026-01-01T00:00:00.000Z')] })).toEqual([]);
  });
});
