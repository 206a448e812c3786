/**
 * What the read API shows of scores: a stored score (on a conversation's detail), and scores
 * aggregated per name, data type and source (per customer, per agent version, and over time on the
 * metrics). Response schemas: the types are inferred from them; the OpenAPI document names them by
 * their `id`.
 */
import { z } from 'zod';
import { SCORE_DATA_TYPES, SCORE_SOURCES } from './score.ts';
import { storedMetadataSchema } from './transcript-schemas.ts';

/** A stored score, as the API shows it. */
export const storedScoreSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    messageId: z.string().nullable(),
    stepId: z.string().nullable(),
    name: z.string(),
    dataType: z.enum(SCORE_DATA_TYPES),
    value: z.union([z.number(), z.boolean(), z.string()]),
    source: z.enum(SCORE_SOURCES),
    comment: z.string().nullable(),
    metadata: storedMetadataSchema,
    judgeRunId: z.string().nullable(),
    agentVersion: z.string().nullable(),
    timestamp: z.string().describe('When it was given (the event time of the write that stands)'),
  })
  .meta({ id: 'Score' });

export type StoredScore = z.output<typeof storedScoreSchema>;

/** One category of a categorical score and how often it was given. */
export const scoreCategoryCountSchema = z.object({ value: z.string(), count: z.number() });

export type ScoreCategoryCount = z.output<typeof scoreCategoryCountSchema>;

const scoreSummaryShape = {
  name: z.string(),
  dataType: z.enum(SCORE_DATA_TYPES),
  source: z.enum(SCORE_SOURCES),
  count: z.number(),
  average: z
    .number()
    .nullable()
    .describe('Mean of the values (booleans count as 1 and 0); null for categorical scores'),
  categories: z
    .array(scoreCategoryCountSchema)
    .describe('Categorical scores: each category, most frequent first'),
};

/**
 * Scores of one name, data type and source, aggregated: how many, their average (for booleans, the share
 * that is true), and for categorical scores the count of each category, most frequent first.
 */
export const scoreSummarySchema = z.object(scoreSummaryShape).meta({ id: 'ScoreSummary' });

export type ScoreSummary = z.output<typeof scoreSummarySchema>;

/** A score summary over a range, with its series per time bucket. */
export const scoreMetricsSchema = z
  .object({
    ...scoreSummaryShape,
    series: z.array(z.object({ t: z.string(), count: z.number(), average: z.number().nullable() })),
  })
  .meta({ id: 'ScoreMetrics' });

export type ScoreMetrics = z.output<typeof scoreMetricsSchema>;

/** What `POST /v1/scores` answers: the score's id (its `scoreId`, else a new one) and its conversation. */
export const scoreReceiptSchema = z
  .object({
    id: z.string().describe('The score id within its conversation: send it again as scoreId to replace it'),
    conversationId: z.string(),
  })
  .meta({ id: 'ScoreReceipt' });

export type ScoreReceipt = z.output<typeof scoreReceiptSchema>;
