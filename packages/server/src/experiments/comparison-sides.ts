/**
 * The pure part of a comparison: what one conversation shows on a side (answers per human turn, tool
 * calls, tool errors, cost, duration, conversation-level scores), one dataset item on both sides (what
 * changed, score deltas), and the totals of a side.
 */
import type {
  ComparisonItem,
  ComparisonSide,
  ComparisonSummary,
  ConversationDetail,
  DatasetItem,
} from '@sightline/core';
import { turnsOf } from '@sightline/core';
import { isToolCall } from '@sightline/store';

/** The score `sightline replay` tags conversations with before this API: not a measure of the answers. */
const TAG_SCORE = 'experiment';

/** One conversation as a side of a comparison; `status` says how its replay ended (or `source`). */
export function comparisonSideOf(detail: ConversationDetail, status: string): ComparisonSide {
  const scores: Record<string, number | string> = {};
  for (const score of detail.scores) {
    if (score.name === TAG_SCORE || score.messageId || score.stepId) continue;
    scores[score.name] = typeof score.value === 'boolean' ? Number(score.value) : score.value;
  }
  const tools = detail.steps.filter(isToolCall);
  return {
    conversationId: detail.conversation.id,
    status,
    agentVersion: detail.conversation.agentVersion,
    answers: turnsOf(detail).map((turn) => turn.expected),
    toolCalls: tools.map((step) => step.name),
    toolErrors: tools.filter((step) => step.error !== null).length,
    costUsd: detail.totals.costUsd,
    durationMs: detail.totals.durationMs,
    scores,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A dataset item on both sides: whether answers or tool calls changed, and each numeric score's delta. */
export function comparisonItemOf(
  item: DatasetItem,
  sides: { base: ComparisonSide | null; candidate: ComparisonSide | null },
): ComparisonItem {
  const { base, candidate } = sides;
  const scoreDeltas: Record<string, number> = {};
  if (base && candidate)
    for (const [name, value] of Object.entries(candidate.scores)) {
      const before = base.scores[name];
      if (typeof value === 'number' && typeof before === 'number') scoreDeltas[name] = value - before;
    }
  return {
    itemId: item.id,
    sourceConversationId: item.sourceConversationId,
    humanTurns: item.turns.map((turn) => turn.human),
    base,
    candidate,
    answersChanged: base !== null && candidate !== null && !same(base.answers, candidate.answers),
    toolCallsChanged: base !== null && candidate !== null && !same(base.toolCalls, candidate.toolCalls),
    scoreDeltas,
  };
}

/** The totals of one side: items with a conversation, each numeric score's mean, cost, p50 duration. */
export function comparisonSummaryOf(sides: ReadonlyArray<ComparisonSide | null>): ComparisonSummary {
  const present = sides.filter((side): side is ComparisonSide => side !== null);
  const sums = new Map<string, { sum: number; count: number }>();
  for (const side of present)
    for (const [name, value] of Object.entries(side.scores)) {
      if (typeof value !== 'number') continue;
      const total = sums.get(name) ?? { sum: 0, count: 0 };
      total.sum += value;
      total.count += 1;
      sums.set(name, total);
    }
  const meanScores = Object.fromEntries(
    [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([name, { sum, count }]) => [name, sum / count]),
  );
  const durations = present.flatMap((side) => (side.durationMs === null ? [] : [side.durationMs]));
  return {
    items: present.length,
    meanScores,
    costUsd: present.reduce((sum, side) => sum + (side.costUsd ?? 0), 0),
    durationMsP50: median(durations),
    toolErrors: present.reduce((sum, side) => sum + side.toolErrors, 0),
  };
}

/** The median (the mean of the middle two for an even count); null for none. */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}
