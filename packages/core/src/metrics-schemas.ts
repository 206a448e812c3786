/**
 * What `GET /v1/metrics` answers: series per time bucket, totals over the range, per-tool and
 * per-model tables, conversations per weekday and hour, scores and agent versions. Response schemas:
 * the types are inferred from them; the OpenAPI document names the response `Metrics`.
 */
import { z } from 'zod';
import { agentVersionMetricsSchema } from './agent-version-schemas.ts';
import { feedbackCountsSchema } from './conversation-schemas.ts';
import { METRIC_BUCKETS } from './query.ts';
import { scoreMetricsSchema } from './score-schemas.ts';

const metricValues = {
  conversations: z.number(),
  messages: z.number(),
  humanMessages: z.number(),
  agentMessages: z.number(),
  customers: z.number(),
  toolCalls: z.number(),
  toolErrors: z.number(),
  llmCalls: z.number(),
  errors: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
  responseLatencyP50Ms: z.number().nullable(),
  responseLatencyP95Ms: z.number().nullable(),
  feedback: feedbackCountsSchema.describe("Customer feedback: what the conversations' customers said"),
  platformFeedback: feedbackCountsSchema.describe(
    "Feedback from the platform's own people (reviewers, operators), kept apart from customers'",
  ),
  autoFeedback: feedbackCountsSchema.describe('Feedback given automatically (e.g. a sentiment classifier)'),
};

/** The metrics of one time bucket; `t` is the bucket's start (ISO). */
export const metricPointSchema = z.object({
  t: z.string().describe('Start of the bucket (ISO)'),
  ...metricValues,
});

export type MetricPoint = z.output<typeof metricPointSchema>;

/** One tool's calls, errors and latency percentiles over the range. */
export const toolMetricsSchema = z.object({
  name: z.string(),
  calls: z.number(),
  errors: z.number(),
  errorRate: z.number(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
});

export type ToolMetrics = z.output<typeof toolMetricsSchema>;

/** One model's calls, tokens and cost over the range. */
export const modelMetricsSchema = z.object({
  model: z.string(),
  provider: z.string().nullable(),
  calls: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
});

export type ModelMetrics = z.output<typeof modelMetricsSchema>;

/** `GET /v1/metrics`: series per bucket, totals over the range, per-tool and per-model tables, peak hours. */
export const metricsResponseSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    bucket: z.enum(METRIC_BUCKETS),
    series: z.array(metricPointSchema),
    totals: z.object(metricValues),
    tools: z.array(toolMetricsSchema),
    models: z.array(modelMetricsSchema),
    heatmap: z
      .array(z.object({ weekday: z.number(), hour: z.number(), conversations: z.number() }))
      .describe('Conversations started per UTC weekday (0 = Sunday) and hour'),
    scores: z
      .array(scoreMetricsSchema)
      .describe('Scores given in the range, per name, data type and source, with their series'),
    agentVersions: z
      .array(agentVersionMetricsSchema)
      .describe('Agent versions active in the range (most runs first, at most 20)'),
  })
  .meta({ id: 'Metrics' });

export type MetricsResponse = z.output<typeof metricsResponseSchema>;
