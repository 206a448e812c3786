/** The pure part of a comparison: one side of a conversation, an item's deltas, a side's totals. */
import type { ComparisonSide, ConversationDetail, DatasetItem } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import { comparisonItemOf, comparisonSideOf, comparisonSummaryOf } from './comparison-sides.ts';

const side = (overrides: Partial<ComparisonSide>): ComparisonSide => ({
  conversationId: 'c',
  status: 'completed',
  agentVersion: null,
  answers: ['a'],
  toolCalls: [],
  toolErrors: 0,
  costUsd: 0.5,
  durationMs: 100,
  scores: {},
  ...overrides,
});
const item: DatasetItem = {
  id: 'i',
  datasetId: 'd',
  sourceConversationId: 's',
  turns: [{ human: 'q', expected: 'a' }],
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('comparison sides', () => {
  it('takes conversation-level scores (booleans as numbers), tool calls and errors, not the experiment tag', () => {
    const score = (name: string, value: number | boolean | string, level: Record<string, string> = {}) => ({
      name,
      value,
      messageId: null,
      stepId: null,
      ...level,
    });
    const step = (name: string, type: string, error: unknown = null) => ({ name, type, error });
    const detail = {
      conversation: { id: 'c', agentVersion: 'v1' },
      messages: [
        { role: 'human', content: 'q', timestamp: '2026-01-01T00:00:00.000Z' },
        { role: 'agent', content: 'a', timestamp: '2026-01-01T00:00:01.000Z' },
      ],
      steps: [step('lookup', 'tool'), step('answer', 'llm'), step('save', 'tool', { message: 'x' })],
      scores: [
        score('thumbs', true),
        score('experiment', 'run-1'),
        score('tone', 'kind'),
        score('per-message', 1, { messageId: 'm' }),
      ],
      totals: { costUsd: 0.25, durationMs: 1_000 },
    } as unknown as ConversationDetail;
    expect(comparisonSideOf(detail, 'source')).toEqual({
      conversationId: 'c',
      status: 'source',
      agentVersion: 'v1',
      answers: ['a'],
      toolCalls: ['lookup', 'save'],
      toolErrors: 1,
      costUsd: 0.25,
      durationMs: 1_000,
      scores: { thumbs: 1, tone: 'kind' },
    });
  });

  it('marks changes and gives deltas of numeric scores on both sides only', () => {
    const compared = comparisonItemOf(item, {
      base: side({ scores: { correct: 1, tone: 'kind', only: 3 } }),
      candidate: side({ answers: ['b'], scores: { correct: 0.25, tone: 'curt' } }),
    });
    expect(compared).toMatchObject({
      answersChanged: true,
      toolCallsChanged: false,
      scoreDeltas: { correct: -0.75 },
      humanTurns: ['q'],
    });
    expect(comparisonItemOf(item, { base: null, candidate: side({}) })).toMatchObject({
      answersChanged: false,
      scoreDeltas: {},
    });
  });

  it('sums a side: means of numeric scores, cost, median duration, tool errors; absent sides left out', () => {
    const summary = comparisonSummaryOf([
      side({ scores: { correct: 1, tone: 'kind' }, durationMs: 100, toolErrors: 1 }),
      null,
      side({ scores: { correct: 0 }, durationMs: 300, costUsd: null }),
      side({ scores: {}, durationMs: 200 }),
      side({ scores: { correct: 0.5 }, durationMs: 400 }),
    ]);
    expect(summary).toEqual({
      items: 4,
      meanScores: { correct: 0.5 },
      costUsd: 1.5,
      durationMsP50: 250,
      toolErrors: 1,
    });
    expect(comparisonSummaryOf([null])).toEqual({
      items: 0,
      meanScores: {},
      costUsd: 0,
      durationMsP50: null,
      toolErrors: 0,
    });
  });
});
