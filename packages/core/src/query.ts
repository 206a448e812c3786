import { z } from 'zod';
import {
  type AgentVersionMetrics,
  type ScoreFilter,
  type ScoreMetrics,
  type ScoreSummary,
  scoreFilterQuerySchema,
} from './evaluation-query.ts';
import { type FEEDBACK_SOURCES, SENTIMENTS } from './feedback.ts';
import type { Attachment, MESSAGE_ROLES } from './message.ts';
import { environment, idString, label, timestamp } from './primitives.ts';
import type { StoredScore } from './score.ts';
import type { StepError } from './step.ts';

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
  search?: string;
  metadata?: Array<{ key: string; value: string }>;
  limit: number;
  cursor?: string;
}

export interface FeedbackCounts {
  positive: number;
  neutral: number;
  negative: number;
}

/** One row of the conversation list, with totals kept as events arrive. */
export interface ConversationSummary {
  id: string;
  customerId: string | null;
  /** The name a person gave it (PATCH), else the name its tracker sent. */
  name: string | null;
  /** Marked by a person as important (PATCH `{ marked: true }`). */
  marked: boolean;
  source: string | null;
  device: string | null;
  language: string | null;
  environment: string;
  metadata: Record<string, unknown>;
  tags: string[];
  startedAt: string;
  lastActivityAt: string;
  endedAt: string | null;
  /** The first human message, shortened, for list previews. */
  firstMessage: string | null;
  messageCount: number;
  stepCount: number;
  toolCallCount: number;
  llmCallCount: number;
  errorCount: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: number;
  durationMs: number;
  /** Customer feedback (platform and automatic feedback are not counted here). */
  feedback: FeedbackCounts;
  /** The agent version of its latest stamped event (see `agentVersion` on events). */
  agentVersion: string | null;
}

export interface Page<T> {
  data: T[];
  /** Pass as `cursor` to read the next page; null on the last page. */
  nextCursor: string | null;
}

export interface StoredMessage {
  id: string;
  conversationId: string;
  role: (typeof MESSAGE_ROLES)[number];
  content: string;
  metadata: Record<string, unknown>;
  attachments: Attachment[];
  timestamp: string;
}

/** Token usage of a stored `llm` step, with the cost the server priced. */
export interface StoredUsage {
  model: string;
  provider: string | null;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: number | null;
  timeToFirstTokenMs: number | null;
}

export interface StoredStep {
  id: string;
  conversationId: string;
  parentId: string | null;
  type: string;
  name: string;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  input: unknown;
  output: unknown;
  error: StepError | null;
  toolsUsed: string[];
  usage: StoredUsage | null;
  metadata: Record<string, unknown>;
  /** The agent version that ran the step, when stamped. */
  agentVersion: string | null;
}

export interface StoredFeedback {
  id: string;
  conversationId: string;
  messageId: string | null;
  sentiment: (typeof SENTIMENTS)[number] | null;
  score: { name: string; value: number } | null;
  comment: string | null;
  source: (typeof FEEDBACK_SOURCES)[number];
  timestamp: string;
}

/** `GET /v1/conversations/:id`: the transcript, every step (flat, `parentId` links the tree), totals. */
export interface ConversationDetail {
  conversation: ConversationSummary;
  messages: StoredMessage[];
  steps: StoredStep[];
  feedback: StoredFeedback[];
  /** Scores on the conversation, its messages and its steps, oldest first. */
  scores: StoredScore[];
  totals: {
    inputTokens: number;
    outputTokens: number;
    totalTokens: number;
    costUsd: number;
    durationMs: number;
    toolCalls: number;
    llmCalls: number;
    errors: number;
    /** Median and 95th percentile of agent response latency (human message -> agent answer). */
    responseLatencyP50Ms: number | null;
    responseLatencyP95Ms: number | null;
  };
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

export interface MetricPoint {
  /** Start of the bucket (ISO). */
  t: string;
  conversations: number;
  messages: number;
  humanMessages: number;
  agentMessages: number;
  customers: number;
  toolCalls: number;
  toolErrors: number;
  llmCalls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  responseLatencyP50Ms: number | null;
  responseLatencyP95Ms: number | null;
  /** Customer feedback: what the conversations' customers said. */
  feedback: FeedbackCounts;
  /** Feedback from the platform's own people (reviewers, operators), kept apart from customers'. */
  platformFeedback: FeedbackCounts;
  /** Feedback given automatically (e.g. a sentiment classifier). */
  autoFeedback: FeedbackCounts;
}

export interface ToolMetrics {
  name: string;
  calls: number;
  errors: number;
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface ModelMetrics {
  model: string;
  provider: string | null;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** `GET /v1/metrics`: series per bucket, totals over the range, per-tool and per-model tables, peak hours. */
export interface MetricsResponse {
  from: string;
  to: string;
  bucket: MetricBucket;
  series: MetricPoint[];
  totals: Omit<MetricPoint, 't'>;
  tools: ToolMetrics[];
  models: ModelMetrics[];
  /** Conversations started per UTC weekday (0 = Sunday) and hour. */
  heatmap: Array<{ weekday: number; hour: number; conversations: number }>;
  /** Scores given in the range, per name, data type and source, with their series. */
  scores: ScoreMetrics[];
  /** Agent versions active in the range (most runs first, at most 20). */
  agentVersions: AgentVersionMetrics[];
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

export interface CustomerSummary {
  customerId: string;
  conversations: number;
  messages: number;
  toolCalls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  firstSeenAt: string;
  lastSeenAt: string;
  /** The customer's scores of all time (on their conversations), per name, data type and source. */
  scores: ScoreSummary[];
}

/** What `GET /v1/ingestion/health` shows: rejected events with reasons, and trackers' drop counters. */
export interface IngestionHealth {
  rejected: Array<{
    at: string;
    eventId: string | null;
    path: string;
    message: string;
    sample: string | null;
  }>;
  rejectedByReason: Array<{ path: string; message: string; count: number }>;
  clients: Array<{
    instanceId: string;
    sdk: string;
    version: string | null;
    lastSeenAt: string;
    droppedEvents: number;
    payloadsTruncated: number;
    reasons: Record<string, number>;
  }>;
  /**
   * What the collector changed in stored events, by kind: `text_replaced` counts fields whose
   * U+0000 or lone surrogates became U+FFFD.
   */
  counters: Array<{ name: string; count: number; lastAt: string }>;
}

export const feedbackSentimentSchema = z.enum(SENTIMENTS);
