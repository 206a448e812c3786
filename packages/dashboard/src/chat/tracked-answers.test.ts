import type { UIMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../api/types.ts';
import { matchTrackedAnswers } from './tracked-answers.ts';

const stored = (id: string, role: StoredMessage['role'], content: string): StoredMessage => ({
  id,
  conversationId: 'tester:chat-1',
  role,
  content,
  metadata: {},
  attachments: [],
  timestamp: '2026-12-04T10:00:00.000Z',
});
const user = (id: string, text: string): UIMessage => ({ id, role: 'user', parts: [{ type: 'text', text }] });
const answer = (id: string, ...steps: string[]): UIMessage => ({
  id,
  role: 'assistant',
  parts: steps.flatMap((text) => [
    { type: 'step-start' as const },
    { type: 'text' as const, text, state: 'done' as const },
  ]),
});

describe('matchTrackedAnswers', () => {
  it('pairs each history answer with the tracked answer of its text, in order, repeated texts included', () => {
    const history = [
      user('item-0', 'hi'),
      answer('item-1', 'Same words.'),
      user('item-2', 'again'),
      answer('item-3', 'Same words.'),
    ];
    const tracked = [
      stored('h1', 'human', 'hi'),
      stored('a1', 'agent', 'Same words.'),
      stored('h2', 'human', 'again'),
      stored('a2', 'agent', 'Same words.'),
    ];
    expect(matchTrackedAnswers(history, tracked)).toEqual(
      new Map([
        ['item-1', 'a1'],
        ['item-3', 'a2'],
      ]),
    );
  });

  it("takes the last model response's text (a tool step's words before it are not the tracked answer)", () => {
    const history = [answer('run-1', 'Let me look that up.', '  It is 12 degrees.  ')];
    expect(matchTrackedAnswers(history, [stored('a1', 'agent', 'It is 12 degrees.')])).toEqual(
      new Map([['run-1', 'a1']]),
    );
  });

  it('skips a tracked answer whose turn is not in the history, and leaves an unmatched answer without an id', () => {
    const history = [answer('item-1', 'Second.'), answer('item-3', 'Redacted here: [email]')];
    const tracked = [
      stored('failed', 'agent', 'Blocked answer.'),
      stored('a2', 'agent', 'Second.'),
      stored('a3', 'agent', 'Redacted here: <EMAIL>'),
    ];
    expect(matchTrackedAnswers(history, tracked)).toEqual(new Map([['item-1', 'a2']]));
  });

  it('never pairs one tracked answer twice nor goes back in time', () => {
    const history = [answer('item-1', 'B'), answer('item-3', 'A')];
    const tracked = [stored('a', 'agent', 'A'), stored('b', 'agent', 'B')];
    expect(matchTrackedAnswers(history, tracked)).toEqual(new Map([['item-1', 'b']]));
  });
});
