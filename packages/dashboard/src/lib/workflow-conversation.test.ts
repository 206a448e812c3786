import { describe, expect, it } from 'vitest';
import {
  appendEvents,
  describeConversation,
  isTerminal,
  type WorkflowEventRecord,
} from './workflow-conversation.ts';

const started: WorkflowEventRecord = {
  eventId: 1,
  type: 'started',
  runId: 'run-1',
  workflow: 'onboarding',
  conversationId: 'conv-1',
};
const ask: WorkflowEventRecord = {
  eventId: 3,
  type: 'ask',
  questionId: 'q1',
  prompt: 'Your name?',
  suggestions: ['Ada'],
  password: false,
};
const choose: WorkflowEventRecord = {
  eventId: 5,
  type: 'choose',
  questionId: 'q2',
  prompt: 'Plan?',
  choices: ['free', 'pro'],
  single: true,
};

describe('workflow conversation', () => {
  it('shows messages and questions in order, marking answered ones', () => {
    const conversation = describeConversation([
      started,
      { eventId: 2, type: 'message', text: 'Hello' },
      ask,
      { eventId: 4, type: 'answered', questionId: 'q1' },
      choose,
    ]);
    expect(conversation).toMatchObject({ runId: 'run-1', conversationId: 'conv-1', status: 'running' });
    expect(conversation.lastEventId).toBe(5);
    expect(conversation.items.map((item) => [item.kind, item.kind === 'question' ? item.state : ''])).toEqual(
      [
        ['message', ''],
        ['question', 'answered'],
        ['question', 'open'],
      ],
    );
  });

  it('closes the questions left open when the run ends, and says how it ended', () => {
    const interrupted = describeConversation([
      started,
      ask,
      { eventId: 4, type: 'interrupted', reason: 'node died' },
    ]);
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.items).toEqual([
      expect.objectContaining({ kind: 'question', state: 'closed' }),
      { kind: 'interrupted', eventId: 4, reason: 'node died' },
    ]);
    expect(isTerminal({ type: 'interrupted', reason: 'node died' })).toBe(true);
    const cancelled = describeConversation([started, ask, { eventId: 4, type: 'cancelled', reason: 'stop' }]);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.items[0]).toMatchObject({ kind: 'question', state: 'closed' });
    expect(cancelled.items[1]).toEqual({ kind: 'cancelled', eventId: 4, reason: 'stop' });
    const failed = describeConversation([
      started,
      { eventId: 2, type: 'error', code: 'internal', message: 'x' },
    ]);
    expect(failed.status).toBe('failed');
    const done = describeConversation([started, { eventId: 2, type: 'completed', result: 'ok' }]);
    expect(done.items).toEqual([{ kind: 'completed', eventId: 2, result: 'ok' }]);
  });

  it('appends only events after the last one received', () => {
    const events = appendEvents([started], [started, ask]);
    expect(events.map((event) => event.eventId)).toEqual([1, 3]);
    expect(appendEvents(events, [ask])).toBe(events);
  });
});
