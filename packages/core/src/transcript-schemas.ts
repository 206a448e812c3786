/**
 * What the read API shows of a conversation's stored records: its messages, its steps (with their
 * token usage) and its feedback. Response schemas: the types are inferred from them, and the server's
 * OpenAPI document names them by their `id` (`Message`, `Step`, `Feedback`).
 */
import { z } from 'zod';
import { FEEDBACK_SOURCES, SENTIMENTS } from './feedback.ts';
import { attachmentSchema, MESSAGE_ROLES } from './message.ts';
import { stepErrorSchema } from './step.ts';

/** Metadata as stored: a JSON object. */
export const storedMetadataSchema = z.record(z.string(), z.unknown());

/** A stored message of a conversation's transcript. */
export const storedMessageSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    role: z.enum(MESSAGE_ROLES),
    content: z.string(),
    metadata: storedMetadataSchema,
    attachments: z.array(attachmentSchema),
    timestamp: z.string(),
  })
  .meta({ id: 'Message' });

export type StoredMessage = z.output<typeof storedMessageSchema>;

/** Token usage of a stored `llm` step, with the cost the server priced. */
export const storedUsageSchema = z.object({
  model: z.string(),
  provider: z.string().nullable(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  totalTokens: z.number(),
  costUsd: z.number().nullable(),
  timeToFirstTokenMs: z.number().nullable(),
});

export type StoredUsage = z.output<typeof storedUsageSchema>;

/** A stored step: start and end events merged; `parentId` links the tree. */
export const storedStepSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    parentId: z.string().nullable(),
    type: z.string(),
    name: z.string(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    durationMs: z.number().nullable(),
    input: z.unknown(),
    output: z.unknown(),
    error: stepErrorSchema.nullable(),
    toolsUsed: z.array(z.string()),
    usage: storedUsageSchema.nullable(),
    metadata: storedMetadataSchema,
    agentVersion: z.string().nullable().describe('The agent version that ran the step, when stamped'),
  })
  .meta({ id: 'Step' });

export type StoredStep = z.output<typeof storedStepSchema>;

/** A stored feedback: a sentiment, a named numeric score, or both, with who gave it. */
export const storedFeedbackSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    messageId: z.string().nullable(),
    sentiment: z.enum(SENTIMENTS).nullable(),
    score: z.object({ name: z.string(), value: z.number() }).nullable(),
    comment: z.string().nullable(),
    source: z.enum(FEEDBACK_SOURCES),
    timestamp: z.string(),
  })
  .meta({ id: 'Feedback' });

export type StoredFeedback = z.output<typeof storedFeedbackSchema>;
