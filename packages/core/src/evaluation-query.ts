/**
 * The query API's shapes for scores and agent versions: score aggregates (per name, data type and
 * source; over time; per customer; per agent version), the metrics of agent versions side by side, and
 * the list filters on scores.
 */
import { z } from 'zod';
import { environment, idString, timestamp } from './primitives.ts';
import { SCORE_SOURCES, type ScoreDataType, type ScoreSource, scoreName } from './score.ts';

/** One category of a categorical score and how often it was given. */
export interface ScoreCategoryCount {
  value: string;
  count: number;
}

/**
 * Scores of one name, data type and source, aggregated: how many, their average (for booleans, the share
 * that is true), and for categorical scores the count of each category, most frequent first.
 */
export interface ScoreSummary {
  name: string;
  dataType: ScoreDataType;
  source: ScoreSource;
  count: number;
  /** Mean of the values (booleans count as 1 and 0); null for categorical scores. */
  average: number | null;
  categories: ScoreCategoryCount[];
}

/** A score summary over a range, with its series per time bucket. */
export interface ScoreMetrics extends ScoreSummary {
  series: Array<{ t: string; count: number; average: number | null }>;
}

/**
 * What one agent version did over a range: runs (the `run` steps stamped with it), their duration
 * percentiles, model calls, tokens and cost, tool calls and errors, and its scores. `conversations`
 * counts the conversations whose latest version it is and that were active in the range (the list's
 * `agentVersion` filter); it is null where not read (the overview).
 */
export interface AgentVersionMetrics {
  agentVersion: string;
  runs: number;
  runErrors: number;
  runP50Ms: number | null;
  runP95Ms: number | null;
  conversations: number | null;
  llmCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Cost per run; null without runs. */
  costPerRun: number | null;
  /** Cost per conversation (of `conversations`); null when not read or none. */
  costPerConversation: number | null;
  toolCalls: number;
  toolErrors: number;
  toolErrorRate: number;
  errors: number;
  scores: ScoreSummary[];
  /** First and last hour with activity of this version in the range (ISO). */
  firstSeenAt: string;
  lastSeenAt: string;
}

/** Query parameters of `GET /v1/metrics/versions`: a range and the versions to compare (all when none). */
export const versionComparisonQuerySchema = z.object({
  from: timestamp,
  to: timestamp,
  environment: environment.optional(),
  version: z.union([idString, z.array(idString).max(10, 'must name at most 10 versions')]).optional(),
});

export type VersionComparisonQuery = z.input<typeof versionComparisonQuerySchema>;

/** The store's view of a version comparison. */
export interface VersionComparisonFilter {
  from: number;
  to: number;
  environment?: string;
  /** The versions to read; when empty or absent, the 20 with the most runs in the range. */
  versions?: string[];
}

/** `GET /v1/metrics/versions`: each version's metrics, side by side. */
export interface VersionComparison {
  from: string;
  to: string;
  versions: AgentVersionMetrics[];
}

/**
 * List filters on scores (`GET /v1/conversations`): conversations with a score named `scoreName`
 * (of `scoreSource`, if given) whose value is within [`scoreMin`, `scoreMax`] (numeric and boolean
 * scores, booleans as 1/0) or equals `scoreValue` (`true`/`false` for booleans, a category, or a
 * number). Scores on the conversation, its messages and its steps all count.
 */
export const scoreFilterQuerySchema = z.object({
  scoreName: scoreName.optional(),
  scoreSource: z.enum(SCORE_SOURCES).optional(),
  scoreMin: z.coerce.number().finite().optional(),
  scoreMax: z.coerce.number().finite().optional(),
  scoreValue: z.string().min(1).max(200, 'must be at most 200 characters').optional(),
  agentVersion: idString.optional(),
});

/** The store's view of the score filters. */
export interface ScoreFilter {
  scoreName?: string;
  scoreSource?: ScoreSource;
  scoreMin?: number;
  scoreMax?: number;
  scoreValue?: string;
  /** Conversations whose latest agent version is this one. */
  agentVersion?: string;
}

/** Problems with score filters given together: a value or range needs a name. */
export function scoreFilterIssues(filter: ScoreFilter): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  for (const field of ['scoreSource', 'scoreMin', 'scoreMax', 'scoreValue'] as const) {
    if (filter[field] !== undefined && filter.scoreName === undefined)
      issues.push({ path: field, message: 'needs scoreName' });
  }
  if (filter.scoreValue !== undefined && (filter.scoreMin !== undefined || filter.scoreMax !== undefined))
    issues.push({ path: 'scoreValue', message: 'give scoreValue or scoreMin/scoreMax, not both' });
  if (filter.scoreMin !== undefined && filter.scoreMax !== undefined && filter.scoreMin > filter.scoreMax)
    issues.push({ path: 'scoreMin', message: 'must not be above scoreMax' });
  return issues;
}
