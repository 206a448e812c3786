/**
 * The query API's inputs for scores and agent versions: the version comparison's query and the list
 * filters on scores. What they answer is in score-schemas.ts and agent-version-schemas.ts.
 */
import { z } from 'zod';
import { environment, idString, timestamp } from './primitives.ts';
import { SCORE_SOURCES, type ScoreSource, scoreName } from './score.ts';

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
