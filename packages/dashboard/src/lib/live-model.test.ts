import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../api/types.ts';
import {
  applyLiveEvents,
  describeLiveEvent,
  emptyLiveState,
  forgetErased,
  isInFlight,
} from './live-model.ts';

const event = (
  type: LiveEvent['type'],
  conversationId: string,
  summary: Record<string, unknown>,
  s: number,
): LiveEvent => ({
  id: `${conversationId}-${s}`,
  type,
  timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString(),
  conversationId,
  customerId: 'acme',
  summary,
});

describe('live view state', () => {
  it('shows a new conversation at the top, in flight until the agent answers and running steps end', () => {
    let state = applyLiveEvents(emptyLiveState, [
      event('message', 'old', { role: 'human', content: 'hi' }, 1),
    ]);
    state = applyLiveEvents(state, [
      event('message', 'new', { role: 'human', content: 'help?' }, 2),
      event('step', 'new', { stepId: 's1', name: 'search', ended: false }, 3),
    ]);
    expect(state.conversations.map((c) => c.id)).toEqual(['new', 'old']);
    const fresh = state.conversations[0]!;
    expect(fresh.isNew).toBe(true);
    expect(fresh.running).toEqual({ s1: 'search' });
    state = applyLiveEvents(state, [
      event('step', 'new', { stepId: 's1', name: 'search', ended: true, error: 'timeout' }, 4),
      event('message', 'new', { role: 'agent', content: 'Sorry' }, 5),
    ]);
    const answered = state.conversations[0]!;
    expect(isInFlight(answered)).toBe(false);
    expect(answered.errors).toBe(1);
    expect(answered.messages).toBe(2);
    expect(state.log.map((e) => e.id)).toEqual(['new-5', 'new-4', 'new-3', 'new-2', 'old-1']);
  });

  it('drops an erased conversation, or every one of an erased customer, with their events', () => {
    const state = applyLiveEvents(emptyLiveState, [
      event('message', 'a', { role: 'human', content: 'hi' }, 1),
      event('message', 'b', { role: 'human', content: 'hi' }, 2),
      { ...event('message', 'c', { role: 'human', content: 'hi' }, 3), customerId: 'bob' },
    ]);
    const one = forgetErased(state, { kind: 'conversation', id: 'a', conversationIds: ['a'] });
    expect(one.conversations.map((c) => c.id)).toEqual(['c', 'b']);
    expect(one.log.map((e) => e.id)).toEqual(['c-3', 'b-2']);
    const acme = forgetErased(state, { kind: 'customer', id: 'acme', conversationIds: [] });
    expect(acme.conversations.map((c) => c.id)).toEqual(['c']);
    expect(acme.log.map((e) => e.id)).toEqual(['c-3']);
  });

  it('describes every type of event the feed sends, scores too', () => {
    expect(describeLiveEvent(event('message', 'c', { role: 'agent', content: 'Done' }, 1))).toBe(
      'Agent: Done',
    );
    expect(
      describeLiveEvent(event('score', 'c', { name: 'helpfulness', value: 0.8, scoreSource: 'model' }, 2)),
    ).toBe('Score: helpfulness 0.8 (model)');
    expect(
      describeLiveEvent(
        event('score', 'c', { name: 'thumbs', value: true, scoreSource: 'human', comment: 'great' }, 3),
      ),
    ).toBe('Score: thumbs true (human) “great”');
  });
});
