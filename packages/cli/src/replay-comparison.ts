/**
 * What `sightline replay` prints for an experiment recorded in the collector: the comparison the
 * collector answers (`GET /v1/experiments/compare`), per item what changed (answers, tool calls, cost,
 * latency, scores with their deltas), each score's mean on both sides with the verdict of each
 * `--min-score`, and the URL of the comparison page.
 */
import type { ComparisonItem, ComparisonSide, ExperimentComparison } from '@sightline/core';

/** Prints the comparison; resolves to 1 when a threshold fails (or has no score to judge), else 0. */
export function printComparison(report: {
  comparison: ExperimentComparison;
  minScores: Map<string, number>;
  url: string;
  out: (line: string) => void;
}): number {
  const { comparison: c, out } = report;
  const baseName = c.base ? `experiment ${c.base.name}` : 'the source conversations';
  out(
    `experiment ${c.candidate.name}: ${c.items.length} items of dataset ${c.dataset.name}, against ${baseName}`,
  );
  out(
    `agent versions: ${versions(c.items.map((item) => item.base?.agentVersion))} -> ${versions(c.items.map((item) => item.candidate?.agentVersion))}`,
  );
  for (const item of c.items) printItem(item, out);
  out(`changed: ${c.changedItems} of ${c.items.length} items`);
  const { base, candidate } = c.summary;
  out(
    `cost ${usd(base.costUsd)} -> ${usd(candidate.costUsd)}; p50 latency ${ms(base.durationMsP50)} -> ${ms(candidate.durationMsP50)}; tool errors ${base.toolErrors} -> ${candidate.toolErrors}`,
  );
  const names = new Set([...Object.keys(candidate.meanScores), ...report.minScores.keys()]);
  let failed = false;
  for (const name of [...names].sort()) {
    const after = candidate.meanScores[name] ?? null;
    const threshold = report.minScores.get(name);
    const passed = threshold === undefined || (after !== null && after >= threshold);
    if (!passed) failed = true;
    const verdict =
      threshold === undefined ? '' : passed ? ` >= ${threshold}: pass` : ` < ${threshold}: FAIL`;
    out(`score ${name}: mean ${format(after)} (was ${format(base.meanScores[name] ?? null)})${verdict}`);
  }
  out(`comparison: ${report.url}`);
  return failed ? 1 : 0;
}

function printItem(item: ComparisonItem, out: (line: string) => void): void {
  const { base, candidate } = item;
  const stopped = candidate && candidate.status !== 'completed' ? `; stopped at ${candidate.status}` : '';
  out(
    `- ${item.itemId} ${candidate?.conversationId ?? '(not replayed)'}${base ? ` (from ${base.conversationId})` : ''}: answers ${item.answersChanged ? 'differ' : 'same'}${stopped}`,
  );
  if (item.answersChanged)
    item.humanTurns.forEach((human, index) => {
      out(`    human:    ${oneLine(human)}`);
      out(`    before:   ${oneLine(base?.answers[index] ?? null)}`);
      out(`    new:      ${oneLine(candidate?.answers[index] ?? null)}`);
    });
  out(`    tools: ${list(base)} -> ${list(candidate)}`);
  out(
    `    cost:  ${usd(base?.costUsd)} -> ${usd(candidate?.costUsd)}; latency ${ms(base?.durationMs)} -> ${ms(candidate?.durationMs)}`,
  );
  const names = new Set([...Object.keys(base?.scores ?? {}), ...Object.keys(candidate?.scores ?? {})]);
  for (const name of [...names].sort()) {
    const delta = item.scoreDeltas[name];
    const change = delta === undefined || delta === 0 ? '' : ` (${delta > 0 ? '+' : ''}${format(delta)})`;
    out(`    score ${name}: ${base?.scores[name] ?? '-'} -> ${candidate?.scores[name] ?? '-'}${change}`);
  }
}

/** The distinct versions, in order of first appearance. */
function versions(values: Array<string | null | undefined>): string {
  return [...new Set(values.map((value) => value ?? '?'))].join(', ') || '?';
}

const format = (value: number | null) => (value === null ? 'none' : String(Math.round(value * 1000) / 1000));
const oneLine = (text: string | null) =>
  text === null ? '(no answer)' : text.replace(/\s+/g, ' ').slice(0, 200);
const list = (side: ComparisonSide | null) =>
  side === null ? '?' : side.toolCalls.length ? side.toolCalls.join(',') : 'none';
const usd = (value: number | null | undefined) =>
  value === null || value === undefined ? '?' : `$${value.toFixed(6)}`;
const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? '?' : `${value} ms`;
