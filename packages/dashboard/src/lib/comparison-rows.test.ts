import type { ComparisonItem, ComparisonSide } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import { formatDelta, formatScore, isChanged, itemRows, summaryRows, toneOf } from './comparison-rows.ts';

const side = (extra: Partial<ComparisonSide>): ComparisonSide => ({
  conversationId: 'c',
  status: 'completed',
  agentVersion: null,
  answers: ['Hello'],
  toolCalls: [],
  toolErrors: 0,
  costUsd: 0.004,
  durationMs: 1200,
  scores: {},
  ...extra,
});

describe('comparison figures', () => {
  it('formats changes in the format of their kind, with a sign, and "same" for none', () => {
    expect(formatDelta(0.5, 'score')).toBe('+0.50');
    expect(formatDelta(-1, 'score')).toBe('-1');
    expect(formatDelta(-0.002, 'cost')).toBe('-$0.0020');
    expect(formatDelta(0.02, 'cost')).toBe('+$0.02');
    expect(formatDelta(119_600, 'duration')).toBe('+2m 0s');
    expect(formatDelta(-1200, 'duration')).toBe('-1.20 s');
    expect(formatDelta(2, 'count')).toBe('+2');
    expect(formatDelta(0, 'cost')).toBe('same');
    expect(formatDelta(0.0001, 'score')).toBe('same');
    expect(formatDelta(0.2, 'duration')).toBe('same');
    expect(formatDelta(null, 'score')).toBe('');
  });

  it('marks a higher score better and a higher cost, latency or error count worse', () => {
    expect(toneOf(0.5, 'score')).toBe('better');
    expect(toneOf(-0.5, 'score')).toBe('worse');
    expect(toneOf(0.01, 'cost')).toBe('worse');
    expect(toneOf(-300, 'duration')).toBe('better');
    expect(toneOf(1, 'count')).toBe('worse');
    expect(toneOf(0, 'score')).toBe('same');
    expect(toneOf(null, 'score')).toBeNull();
  });

  it('shows scores as whole numbers, two decimals or their category', () => {
    expect(formatScore(1)).toBe('1');
    expect(formatScore(0.6667)).toBe('0.67');
    expect(formatScore('polite')).toBe('polite');
    expect(formatScore(undefined)).toBe('–');
  });

  it('reads the summary: items, each mean score, cost, p50 latency, tool errors', () => {
    const rows = summaryRows({
      base: {
        items: 3,
        meanScores: { quality: 0.9, thumbs: 1 },
        costUsd: 0.03,
        durationMsP50: 2400,
        toolErrors: 1,
      },
      candidate: {
        items: 3,
        meanScores: { quality: 0.6 },
        costUsd: 0.012,
        durationMsP50: 1200,
        toolErrors: 1,
      },
    });
    expect(rows).toEqual([
      { label: 'Items', base: '3', candidate: '3', delta: '', tone: null },
      { label: 'Mean quality', base: '0.90', candidate: '0.60', delta: '-0.30', tone: 'worse' },
      { label: 'Mean thumbs', base: '1', candidate: '–', delta: '', tone: null },
      { label: 'Cost', base: '$0.03', candidate: '$0.01', delta: '-$0.02', tone: 'better' },
      { label: 'Latency p50', base: '2.40 s', candidate: '1.20 s', delta: '-1.20 s', tone: 'better' },
      { label: 'Tool errors', base: '1', candidate: '1', delta: 'same', tone: 'same' },
    ]);
  });

  it('writes a row of costs with one precision: $0.0100 beside $0.0080, never $0.01', () => {
    const side = { items: 3, meanScores: {}, durationMsP50: 2400, toolErrors: 0 };
    const rows = summaryRows({ base: { ...side, costUsd: 0.01 }, candidate: { ...side, costUsd: 0.008 } });
    expect(rows.find((row) => row.label === 'Cost')).toEqual({
      label: 'Cost',
      base: '$0.0100',
      candidate: '$0.0080',
      delta: '-$0.0020',
      tone: 'better',
    });
  });

  it("reads an item's figures, its score changes from the comparison's deltas", () => {
    const item: ComparisonItem = {
      itemId: 'i1',
      sourceConversationId: 'c1',
      humanTurns: ['Hi'],
      base: side({ scores: { quality: 1, tone: 'polite' } }),
      candidate: side({
        costUsd: null,
        durationMs: 900,
        toolErrors: 2,
        scores: { quality: 0, tone: 'curt' },
      }),
      answersChanged: false,
      toolCallsChanged: true,
      scoreDeltas: { quality: -1 },
    };
    expect(itemRows(item)).toEqual([
      { label: 'Cost', base: '$0.0040', candidate: 'unpriced', delta: '', tone: null },
      { label: 'Latency', base: '1.20 s', candidate: '900 ms', delta: '-300 ms', tone: 'better' },
      { label: 'Tool errors', base: '0', candidate: '2', delta: '+2', tone: 'worse' },
      { label: 'quality', base: '1', candidate: '0', delta: '-1', tone: 'worse' },
      { label: 'tone', base: 'polite', candidate: 'curt', delta: '', tone: null },
    ]);
    expect(isChanged(item)).toBe(true);
    expect(isChanged({ ...item, toolCallsChanged: false })).toBe(false);
    expect(itemRows({ ...item, base: null })[0]).toEqual({
      label: 'Cost',
      base: '–',
      candidate: 'unpriced',
      delta: '',
      tone: null,
    });
  });
});
