/**
 * What the read API shows of conversations: a row of the list (with totals kept as events arrive), a
 * page of rows, and one conversation in full. Response schemas: the types are inferred from them, and
 * the server's OpenAPI document names them by their `id`.
 */
import { z } from 'zod';
import { storedScoreSchema } from './score-schemas.ts';
import {
  storedFeedbackSchema,
  storedMessageSchema,
  storedMetadataSchema,
  storedStepSchema,
} from './transcript-schemas.ts';

/** Feedback counted per sentiment. */
export const feedbackCountsSchema = z.object({
  positive: z.number(),
  neutral: z.number(),
  negative: z.number(),
});

export type FeedbackCounts = z.output<typeof feedbackCountsSchema>;

/** One row of the conversation list, with totals kept as events arrive. */
export const conversationSummarySchema = z
  .object({
    id: z.string(),
    customerId: z.string().nullable(),
    name: z.string().nullable().describe('The name a person gave it (PATCH), else the name its tracker sent'),
    marked: z.boolean().describe('Marked by a person as important (PATCH `{ marked: true }`)'),
    source: z.string().nullable(),
    device: z.string().nullable(),
    language: z.string().nullable(),
    environment: z.string(),
    metadata: storedMetadataSchema,
    tags: z.array(z.string()),
    startedAt: z.string(),
    lastActivityAt: z.string(),
    endedAt: z.string().nullable(),
    firstMessage: z.string().nullable().describe('The first human message, shortened, for list previews'),
    messageCount: z.number(),
    stepCount: z.number(),
    toolCallCount: z.number(),
    llmCallCount: z.number(),
    errorCount: z.number(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    totalTokens: z.number(),
    costUsd: z.number(),
    durationMs: z.number(),
    feedback: feedbackCountsSchema.describe(
      'Customer feedback (platform and automatic feedback are not counted here)',
    ),
    agentVersion: z
      .string()
      .nullable()
      .describe('The agent version of its latest stamped event (see `agentVersion` on events)'),
  })
  .meta({ id: 'ConversationSummary' });

export type ConversationSummary = z.output<typeof conversationSummarySchema>;

/** A page of a list: its rows and the cursor of the next page. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass as `cursor` to read the next page; null on the last page'),
  });
}

/** A page of a list of `T`. */
export type Page<T> = z.output<ReturnType<typeof pageSchema<z.ZodType<T>>>>;

/** `GET /v1/conversations`: a page of conversations, most recently active first. */
export const conversationPageSchema = pageSchema(conversationSummarySchema).meta({ id: 'ConversationPage' });

/** A conversation's totals over all its events. */
export const conversationTotalsSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  totalTokens: z.number(),
  costUsd: z.number(),
  durationMs: z.number(),
  toolCalls: z.number(),
  llmCalls: z.number(),
  errors: z.number(),
  responseLatencyP50Ms: z
    .number()
    .nullable()
    .describe('Median agent response latency (human message -> agent answer)'),
  responseLatencyP95Ms: z.number().nullable().describe('95th percentile of agent response latency'),
});

/** `GET /v1/conversations/:id`: the transcript, every step (flat, `parentId` links the tree), totals. */
export const conversationDetailSchema = z
  .object({
    conversation: conversationSummarySchema,
    messages: z.array(storedMessageSchema),
    steps: z.array(storedStepSchema),
    feedback: z.array(storedFeedbackSchema),
    scores: z
      .array(storedScoreSchema)
      .describe('Scores on the conversation, its messages and its steps, oldest first'),
    totals: conversationTotalsSchema,
  })
  .meta({ id: 'ConversationDetail' });

export type ConversationDetail = z.output<typeof conversationDetailSchema>;
