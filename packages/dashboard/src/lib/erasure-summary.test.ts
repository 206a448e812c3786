import { describe, expect, it } from 'vitest';
import { describeErasure } from './erasure-summary.ts';

const removed = {
  conversations: 2,
  messages: 7,
  steps: 1,
  feedback: 1,
  scores: 0,
  conversationAliases: 0,
  ingestRejections: 0,
  customers: 1,
  customerDays: 3,
  customerActivity: 4,
};

describe('describeErasure', () => {
  it('says what went, in the collector and beside it', () => {
    const receipt = {
      kind: 'customer' as const,
      id: 'ada',
      erasedAt: '2026-05-04T10:00:00.000Z',
      removed,
      datasets: { datasetItems: 0, experimentItems: 0, replayConversations: 0 },
      liveEvents: 0,
      elsewhere: { sessions: 1, sessionItems: 4, pausedRuns: 0, runs: 2, runEvents: 0 },
    };
    expect(describeErasure(receipt)).toBe(
      'Deleted 2 conversations: 7 messages, 1 step, 1 feedback; 1 served session, 4 session items, 2 run records.',
    );
  });

  it('counts scores when some went', () => {
    const receipt = {
      kind: 'conversation' as const,
      id: 'x',
      erasedAt: '',
      removed: { ...removed, scores: 2 },
      datasets: { datasetItems: 0, experimentItems: 0, replayConversations: 0 },
    };
    expect(describeErasure({ ...receipt, liveEvents: 0, elsewhere: {} })).toBe(
      'Deleted 2 conversations: 7 messages, 1 step, 1 feedback, 2 scores.',
    );
  });

  it('counts the dataset items and experiment results taken from the conversations', () => {
    const receipt = {
      kind: 'conversation' as const,
      id: 'x',
      erasedAt: '',
      removed,
      datasets: { datasetItems: 1, experimentItems: 3, replayConversations: 0 },
      liveEvents: 0,
      elsewhere: {},
    };
    expect(describeErasure(receipt)).toBe(
      'Deleted 2 conversations: 7 messages, 1 step, 1 feedback, 1 dataset item, 3 experiment results.',
    );
  });

  it('says how many of the conversations were replays of the erased ones', () => {
    const receipt = {
      kind: 'conversation' as const,
      id: 'x',
      erasedAt: '',
      removed: { ...removed, conversations: 3 },
      datasets: { datasetItems: 1, experimentItems: 2, replayConversations: 2 },
      liveEvents: 0,
      elsewhere: {},
    };
    expect(describeErasure(receipt)).toBe(
      'Deleted 3 conversations (2 of them replays): 7 messages, 1 step, 1 feedback, 1 dataset item, 2 experiment results.',
    );
    const one = { ...receipt, datasets: { ...receipt.datasets, replayConversations: 1 } };
    expect(describeErasure(one)).toMatch(/^Deleted 3 conversations \(1 of them a replay\): /);
  });

  it('says so when there was nothing left', () => {
    const none = Object.fromEntries(Object.keys(removed).map((key) => [key, 0])) as typeof removed;
    const receipt = {
      kind: 'conversation' as const,
      id: 'x',
      erasedAt: '',
      removed: none,
      datasets: { datasetItems: 0, experimentItems: 0, replayConversations: 0 },
      liveEvents: 0,
      elsewhere: {},
    };
    expect(describeErasure(receipt)).toBe('Nothing was left to delete.');
  });
});
