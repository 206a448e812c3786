import { type AgentInputItem, MemorySession } from '@openai/agents';
import { describe, expect, it } from 'vitest';
import { NewConversationTurn } from './new-conversation-turn.ts';

const user = (text: string) => ({ role: 'user', content: text }) as AgentInputItem;

/** A MemorySession that counts reads of its history. */
class CountingSession extends MemorySession {
  reads = 0;

  override async getItems(limit?: number): Promise<AgentInputItem[]> {
    this.reads += 1;
    return super.getItems(limit);
  }
}

describe('NewConversationTurn', () => {
  it('answers the opening read of a new conversation without reading the session', async () => {
    const session = new CountingSession({ sessionId: 'new-conversation' });
    const turn = new NewConversationTurn(session);
    expect(await turn.getItems()).toEqual([]);
    expect(session.reads).toBe(0);
  });

  it('reads the session as usual once the turn changed anything, and commits like any turn', async () => {
    const session = new CountingSession({ sessionId: 'new-conversation' });
    const turn = new NewConversationTurn(session);
    await turn.addItems([user('hello')]);
    expect(await turn.getItems()).toEqual([user('hello')]);
    expect(session.reads).toBe(1);
    await turn.commit();
    expect(await session.getItems()).toEqual([user('hello')]);
  });
});
