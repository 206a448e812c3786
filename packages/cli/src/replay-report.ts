/**
 * What `sightline replay` prints: per item, the expected and the new answer when they differ, the tool
 * calls, cost, latency and scores of the source conversation and of the replay; then each score's mean
 * before and after and the verdict of each `--min-score` threshold.
 */
import type { DatasetItem } from './dataset-file.ts';

/** One conversation as the report compares it. */
export interface ReplaySide {
  conversationId: string;
  /** The agent version that answered (the conversation's latest stamped one). */
  agentVersion: string | null;
  /** The agent's answer to each human turn (`null`: none). */
  answers: Array<string | null>;
  toolCalls: string[];
  costUsd: number | null;
  durationMs: number | null;
  /** Conversation scores by name (booleans as 1 and 0). */
  scores: Record<string, number | string>;
}

/** An item, its replay, and its source conversation when the collector still has it. */
export interface ItemResult {
  item: DatasetItem;
  replayed: ReplaySide;
  source: ReplaySide | null;
  /** Why the replay stopped before the item's last turn (`turn 1: awaiting_approval`), else null. */
  stopped: string | null;
}

/** Prints the report; resolves to 1 when a threshold fails (or has no score to judge), else 0. */
export function printReplay(report: {
  results: ItemResult[];
  minScores: Map<string, number>;
  experiment: string;
  out: (line: string) => void;
}): number {
  const { results, out } = report;
  out(`experiment ${report.experiment}: ${results.length} items`);
  out(
    `agent versions: ${versions(results.map((result) => result.source?.agentVersion))} -> ${versions(results.map((result) => result.replayed.agentVersion))}`,
  );
  for (const result of results) printItem(result, out);
  const names = new Set(results.flatMap((result) => Object.keys(result.replayed.scores)));
  for (const name of report.minScores.keys()) names.add(name);
  let failed = false;
  for (const name of [...names].sort()) {
    const after = mean(results.map((result) => result.replayed.scores[name]));
    const before = mean(results.map((result) => result.source?.scores[name]));
    const threshold = report.minScores.get(name);
    const verdict =
      threshold === undefined
        ? ''
        : after !== null && after >= threshold
          ? ` >= ${threshold}: pass`
          : ` < ${threshold}: FAIL`;
    if (threshold !== undefined && (after === null || after < threshold)) failed = true;
    out(`score ${name}: mean ${format(after)} (was ${format(before)})${verdict}`);
  }
  return failed ? 1 : 0;
}

function printItem(result: ItemResult, out: (line: string) => void): void {
  const { item, replayed, source } = result;
  const changed = item.turns.some((turn, index) => turn.expected !== (replayed.answers[index] ?? null));
  out(
    `- ${item.id} ${replayed.conversationId}${source ? ` (from ${source.conversationId})` : ''}: answers ${changed ? 'differ' : 'same'}${result.stopped ? `; stopped at ${result.stopped}` : ''}`,
  );
  if (changed)
    item.turns.forEach((turn, index) => {
      out(`    human:    ${oneLine(turn.human)}`);
      out(`    expected: ${oneLine(turn.expected)}`);
      out(`    new:      ${oneLine(replayed.answers[index] ?? null)}`);
    });
  out(`    tools: ${list(source?.toolCalls)} -> ${list(replayed.toolCalls)}`);
  out(
    `    cost:  ${usd(source?.costUsd)} -> ${usd(replayed.costUsd)}; latency ${ms(source?.durationMs)} -> ${ms(replayed.durationMs)}`,
  );
  const names = new Set([...Object.keys(source?.scores ?? {}), ...Object.keys(replayed.scores)]);
  for (const name of [...names].sort())
    out(`    score ${name}: ${source?.scores[name] ?? '-'} -> ${replayed.scores[name] ?? '-'}`);
}

/** The distinct versions, in order of first appearance. */
function versions(values: Array<string | null | undefined>): string {
  const seen = [...new Set(values.map((value) => value ?? '?'))];
  return seen.join(', ') || '?';
}

/** The mean of the numeric values (categorical ones are left out); `null` when there is none. */
function mean(values: Array<number | string | undefined>): number | null {
  const numbers = values.filter((value): value is number => typeof value === 'number');
  return numbers.length ? numbers.reduce((sum, value) => sum + value, 0) / numbers.length : null;
}

const format = (value: number | null) => (value === null ? 'none' : String(Math.round(value * 1000) / 1000));
const oneLine = (text: string | null) =>
  text === null ? '(no answer)' : text.replace(/\s+/g, ' ').slice(0, 200);
const list = (names: string[] | undefined) =>
  names === undefined ? '?' : names.length ? names.join(',') : 'none';
const usd = (value: number | null | undefined) =>
  value === null || value === undefined ? '?' : `$${value.toFixed(6)}`;
const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? '?' : `${value} ms`;
