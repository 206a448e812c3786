/**
 * The read API's query parameters (validated with zod) and the store's view of them after validation.
 * What the routes answer is declared in the response schemas: conversation-schemas.ts,
 * transcript-schemas.ts, metrics-schemas.ts, customer-schemas.ts, score-schemas.ts and others.
 */
import { z } from 'zod';
import { type ScoreFilter, scoreFilterQuerySchema } from './evaluation-query.ts';
import { SENTIMENTS } from './feedback.ts';
import { environment, idString, label, timestamp } from './primitives.ts';

const booleanParam = z
  .enum(['true', 'false'], { message: 'must be "true" or "false"' })
  .transform((value) => value === 'true');

/** `key=value` pairs matched against conversation metadata (string, number or boolean values). */
const metadataFilter = z
  .string()
  .regex(/^[^=]{1,256}=.{0,1024}$/s, 'must look like key=value')
  .transform((pair) => {
    const at = pair.indexOf('=');
    return { key: pair.slice(0, at), value: pair.slice(at + 1) };
  });

/** Query parameters of `GET /v1/conversations`. */
export const conversationListQuerySchema = z.object({
  from: timestamp.optional(),
  to: timestamp.optional(),
  customerId: idString.optional(),
  source: label.optional(),
  environment: environment.optional(),
  hasError: booleanParam.optional(),
  feedback: z.enum(SENTIMENTS).optional(),
  marked: booleanParam.optional(),
  needsReview: booleanParam
    .optional()
    .describe(
      'true: the review queue (negative feedback, a failed step or a tripped guardrail, and no `review` score `done`); false: the rest',
    ),
  search: z.string().min(1).max(200, 'must be at most 200 characters').optional(),
  metadata: z.union([metadataFilter, z.array(metadataFilter).max(10)]).optional(),
  limit: z.coerce.number().int().min(1).max(200, 'must be at most 200').default(50),
  cursor: z.string().max(512).optional(),
  ...scoreFilterQuerySchema.shape,
});

export type ConversationListQuery = z.input<typeof conversationListQuerySchema>;

/** The store's view of a list query, after validation. */
export interface ConversationFilter extends ScoreFilter {
  from?: number;
  to?: number;
  customerId?: string;
  source?: string;
  environment?: string;
  hasError?: boolean;
  feedback?: (typeof SENTIMENTS)[number];
  /** Only marked (true) or only unmarked (false) conversations. */
  marked?: boolean;
  /** In the review queue (true) or not (false); see review-queue.ts. */
  needsReview?: boolean;
  search?: string;
  metadata?: Array<{ key: string; value: string }>;
  limit: number;
  cursor?: string;
}

export const METRIC_BUCKETS = ['hour', 'day'] as const;
export type MetricBucket = (typeof METRIC_BUCKETS)[number];

/** Query parameters of `GET /v1/metrics`. */
export const metricsQuerySchema = z.object({
  from: timestamp,
  to: timestamp,
  bucket: z.enum(METRIC_BUCKETS).default('day'),
  environment: environment.optional(),
});

export type MetricsQuery = z.input<typeof metricsQuerySchema>;

export interface MetricsFilter {
  from: number;
  to: number;
  bucket: MetricBucket;
  environment?: string;
}

/** Query parameters of `GET /v1/customers`. */
export const customerListQuerySchema = z.object({
  from: timestamp.optional(),
  to: timestamp.optional(),
  search: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200, 'must be at most 200').default(50),
  cursor: z.string().max(512).optional(),
});

export type CustomerListQuery = z.input<typeof customerListQuerySchema>;

export interface CustomerFilter {
  from?: number;
  to?: number;
  search?: string;
  limit: number;
  cursor?: string;
}

export const feedbackSentimentSchema = z.enum(SENTIMENTS);
