/** What `sightline replay` prints of a collector's comparison, and its exit code for --min-score. */
import type { ComparisonSide, ExperimentComparison } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import { filterObject } from './dataset-collector.ts';
import { printComparison } from './replay-comparison.ts';

const side = (overrides: Partial<ComparisonSide>): ComparisonSide => ({
  conversationId: 'c',
  status: 'completed',
  agentVersion: 'v1',
  answers: ['a'],
  toolCalls: ['create_note'],
  toolErrors: 0,
  costUsd: 0.001,
  durationMs: 120,
  scores: {},
  ...overrides,
});
const summary = (meanScores: Record<string, number>) => ({
  items: 1,
  meanScores,
  costUsd: 0.001,
  durationMsP50: 120,
  toolErrors: 0,
});
const dataset = {
  id: 'd1',
  name: 'notes',
  description: null,
  itemCount: 1,
  experimentCount: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const experiment = {
  id: 'e1',
  datasetId: 'd1',
  name: 'b-bad',
  agent: 'notes',
  agentVersion: 'v2',
  createdAt: '2026-01-01T00:00:00.000Z',
  itemCount: 1,
};
const comparison: ExperimentComparison = {
  dataset,
  base: null,
  candidate: experiment,
  summary: { base: summary({ correct: 1 }), candidate: summary({ correct: 0 }) },
  changedItems: 1,
  items: [
    {
      itemId: 'i1',
      sourceConversationId: 'src',
      humanTurns: ['make a note'],
      base: side({ conversationId: 'src', status: 'source', scores: { correct: 1, tone: 'kind' } }),
      candidate: side({
        conversationId: 'new',
        status: 'turn 1: awaiting_approval',
        agentVersion: 'v2',
        answers: ['no'],
        toolCalls: [],
        scores: { correct: 0 },
      }),
      answersChanged: true,
      toolCallsChanged: true,
      scoreDeltas: { correct: -1 },
    },
  ],
};

function print(minScores: Array<[string, number]>) {
  const lines: string[] = [];
  const code = printComparison({
    comparison,
    minScores: new Map(minScores),
    url: 'http://x/#/datasets/d1/compare?candidate=e1',
    out: (line) => lines.push(line),
  });
  return { code, lines };
}

describe('printComparison', () => {
  it('prints per item what changed, the means, and fails a threshold above the candidate mean', () => {
    const { code, lines } = print([['correct', 0.9]]);
    expect(code).toBe(1);
    expect(lines).toEqual([
      'experiment b-bad: 1 items of dataset notes, against the source conversations',
      'agent versions: v1 -> v2',
      '- i1 new (from src): answers differ; stopped at turn 1: awaiting_approval',
      '    human:    make a note',
      '    before:   a',
      '    new:      no',
      '    tools: create_note -> none',
      '    cost:  $0.001000 -> $0.001000; latency 120 ms -> 120 ms',
      '    score correct: 1 -> 0 (-1)',
      '    score tone: kind -> -',
      'changed: 1 of 1 items',
      'cost $0.001000 -> $0.001000; p50 latency 120 ms -> 120 ms; tool errors 0 -> 0',
      'score correct: mean 0 (was 1) < 0.9: FAIL',
      'comparison: http://x/#/datasets/d1/compare?candidate=e1',
    ]);
  });

  it('passes a threshold the mean meets, and fails one on a score no item has', () => {
    expect(print([['correct', 0]]).code).toBe(0);
    const missing = print([['helpful', 0.5]]);
    expect(missing.code).toBe(1);
    expect(missing.lines).toContain('score helpful: mean none (was none) < 0.5: FAIL');
  });
});

describe('filterObject', () => {
  it('turns name=value pairs into the API filter, a repeated name into a list', () => {
    expect(filterObject(['search=Errand', 'metadata=a=1', 'metadata=b=2'])).toEqual({
      search: 'Errand',
      metadata: ['a=1', 'b=2'],
    });
    expect(() => filterObject(['nothing'])).toThrow('--filter must be name=value, got "nothing"');
  });
});
