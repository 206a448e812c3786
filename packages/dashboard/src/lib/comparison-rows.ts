/**
 * The figures of an experiment comparison as rows a person reads: base, candidate and the change
 * between them in one format per kind (`$0.0040`, `2m 0s`, `0.50`), the change marked better or worse
 * (cost, latency and tool errors are better lower; scores are better higher).
 */
import type { ComparisonItem, ComparisonSide, ComparisonSummary } from '@sightline/core';
import { costFormatFor, formatCost, formatCount, formatDuration } from './format.ts';

/** Whether a change is an improvement, a regression, or none. */
export type Tone = 'better' | 'worse' | 'same';

type Kind = 'score' | 'cost' | 'duration' | 'count';

/** One measure on both sides: the values as shown, the change as shown, and its tone (null: no change to show). */
export interface ComparisonRow {
  label: string;
  base: string;
  candidate: string;
  delta: string;
  tone: Tone | null;
}

const FORMAT: Record<Kind, (value: number | null) => string> = {
  score: formatScore,
  cost: formatCost,
  duration: formatDuration,
  count: formatCount,
};

/** A score as shown: whole numbers as they are, others with two decimals, categories as their value. */
export function formatScore(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return value;
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** A change as shown: `+0.50`, `-$0.0020`, `+1.20 s`, `same`; empty when there is none to show. */
export function formatDelta(delta: number | null, kind: Kind, format = FORMAT[kind]): string {
  if (delta === null || Number.isNaN(delta)) return '';
  if (delta === 0) return 'same';
  const magnitude = format(Math.abs(delta));
  // Rounded away (a $0.00001 change): the sign alone would mislead.
  if (/^\$?0(\.0+)?( ms)?$/.test(magnitude)) return 'same';
  return `${delta > 0 ? '+' : '-'}${magnitude}`;
}

/** The tone of a change: scores are better higher, cost, latency and errors lower. */
export function toneOf(delta: number | null, kind: Kind): Tone | null {
  if (delta === null || Number.isNaN(delta)) return null;
  if (delta === 0 || formatDelta(delta, kind) === 'same') return 'same';
  const up = delta > 0;
  return up === (kind === 'score') ? 'better' : 'worse';
}

/** A measure's row; a value is undefined when its side has no conversation, null when it has no figure. */
function row(
  label: string,
  kind: Kind,
  base: number | null | undefined,
  candidate: number | null | undefined,
): ComparisonRow {
  const change = base == null || candidate == null ? null : candidate - base;
  // One precision across the row's cost, the other side's and the change.
  const format = kind === 'cost' ? costFormatFor([base, candidate, change]) : FORMAT[kind];
  return {
    label,
    base: base === undefined ? '–' : format(base),
    candidate: candidate === undefined ? '–' : format(candidate),
    delta: formatDelta(change, kind, format),
    tone: toneOf(change, kind),
  };
}

/** The summary's rows: items, each score's mean, total cost, p50 latency, tool errors. */
export function summaryRows(summary: {
  base: ComparisonSummary;
  candidate: ComparisonSummary;
}): ComparisonRow[] {
  const { base, candidate } = summary;
  const names = [...new Set([...Object.keys(base.meanScores), ...Object.keys(candidate.meanScores)])].sort();
  const items = row('Items', 'count', base.items, candidate.items);
  return [
    { ...items, delta: '', tone: null },
    ...names.map((name) => row(`Mean ${name}`, 'score', base.meanScores[name], candidate.meanScores[name])),
    row('Cost', 'cost', base.costUsd, candidate.costUsd),
    row('Latency p50', 'duration', base.durationMsP50, candidate.durationMsP50),
    row('Tool errors', 'count', base.toolErrors, candidate.toolErrors),
  ];
}

/** An item's rows: cost, latency, tool errors, then each score (a category shows no change). */
export function itemRows(item: ComparisonItem): ComparisonRow[] {
  const { base, candidate } = item;
  const read = (side: ComparisonSide | null, pick: (s: ComparisonSide) => number | null) =>
    side ? pick(side) : undefined;
  const names = [
    ...new Set([...Object.keys(base?.scores ?? {}), ...Object.keys(candidate?.scores ?? {})]),
  ].sort();
  return [
    row(
      'Cost',
      'cost',
      read(base, (s) => s.costUsd),
      read(candidate, (s) => s.costUsd),
    ),
    row(
      'Latency',
      'duration',
      read(base, (s) => s.durationMs),
      read(candidate, (s) => s.durationMs),
    ),
    row(
      'Tool errors',
      'count',
      read(base, (s) => s.toolErrors),
      read(candidate, (s) => s.toolErrors),
    ),
    ...names.map((name) => scoreRow(name, item)),
  ];
}

function scoreRow(name: string, item: ComparisonItem): ComparisonRow {
  const delta = item.scoreDeltas[name];
  return {
    label: name,
    base: formatScore(item.base?.scores[name]),
    candidate: formatScore(item.candidate?.scores[name]),
    delta: formatDelta(delta ?? null, 'score'),
    tone: toneOf(delta ?? null, 'score'),
  };
}

/** Whether an item changed: its answers or its tool calls (as the comparison's `changedItems` counts). */
export function isChanged(item: ComparisonItem): boolean {
  return item.answersChanged || item.toolCallsChanged;
}
