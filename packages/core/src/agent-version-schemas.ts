/**
 * What the read API shows of agent versions: one version's metrics over a range, and versions side by
 * side (`GET /v1/metrics/versions`). Response schemas: the types are inferred from them.
 */
import { z } from 'zod';
import { scoreSummarySchema } from './score-schemas.ts';

/**
 * What one agent version did over a range: runs (the `run` steps stamped with it), their duration
 * percentiles, model calls, tokens and cost, tool calls and errors, and its scores. `conversations`
 * counts the conversations whose latest version it is and that were active in the range (the list's
 * `agentVersion` filter); it is null where not read (the overview).
 */
export const agentVersionMetricsSchema = z
  .object({
    agentVersion: z.string(),
    runs: z.number(),
    runErrors: z.number(),
    runP50Ms: z.number().nullable(),
    runP95Ms: z.number().nullable(),
    conversations: z.number().nullable(),
    llmCalls: z.number(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    costUsd: z.number(),
    costPerRun: z.number().nullable().describe('Cost per run; null without runs'),
    costPerConversation: z
      .number()
      .nullable()
      .describe('Cost per conversation (of `conversations`); null when not read or none'),
    toolCalls: z.number(),
    toolErrors: z.number(),
    toolErrorRate: z.number(),
    errors: z.number(),
    scores: z.array(scoreSummarySchema),
    firstSeenAt: z.string().describe('First hour with activity of this version in the range (ISO)'),
    lastSeenAt: z.string().describe('Last hour with activity of this version in the range (ISO)'),
  })
  .meta({ id: 'AgentVersionMetrics' });

export type AgentVersionMetrics = z.output<typeof agentVersionMetricsSchema>;

/** `GET /v1/metrics/versions`: each version's metrics, side by side. */
export const versionComparisonSchema = z
  .object({ from: z.string(), to: z.string(), versions: z.array(agentVersionMetricsSchema) })
  .meta({ id: 'VersionComparison' });

export type VersionComparison = z.output<typeof versionComparisonSchema>;
