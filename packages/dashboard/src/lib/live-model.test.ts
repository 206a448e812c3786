import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../api/types.ts';
import { applyLiveEvents, emptyLiveState, isInFlight } from './live-model.ts';

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
});
