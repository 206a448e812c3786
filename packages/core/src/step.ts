import { z } from 'zod';
import { conversationContextSchema } from './conversation.ts';
import { jsonValue, metadataSchema } from './json-value.ts';
import { LIMITS } from './limits.ts';
import { idString, label, timestamp } from './primitives.ts';

/** Built-in step types; any other lowercase name is a custom type. */
export const STEP_TYPES = [
  'run',
  'agent',
  'turn',
  'tool',
  'llm',
  'retrieval',
  'guardrail',
  'handoff',
  'action',
  'mcp',
] as const;
export type BuiltInStepType = (typeof STEP_TYPES)[number];
export type StepType = BuiltInStepType | (string & {});

export const stepTypeSchema = z
  .string()
  .min(1)
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z][a-z0-9_.-]*$/, 'must be lowercase letters, digits, "_", "." or "-", starting with a letter');

const tokenCount = z
  .number()
  .int()
  .nonnegative()
  .max(LIMITS.maxTokens, `must be at most ${LIMITS.maxTokens} tokens`);

/**
 * Token usage of an `llm` step. Cost is priced by the server unless the caller sets `costUsd`. Tokens and
 * cost are bounded so the sums stores keep of them cannot overflow (PostgreSQL refused such a sum: a 500).
 */
export const usageSchema = z.object({
  model: label.min(1, 'must not be empty'),
  provider: label.optional(),
  inputTokens: tokenCount.optional(),
  outputTokens: tokenCount.optional(),
  totalTokens: tokenCount.optional(),
  costUsd: z
    .number()
    .nonnegative()
    .max(LIMITS.maxCostUsd, `must be at most ${LIMITS.maxCostUsd} USD`)
    .optional(),
  timeToFirstTokenMs: z.number().nonnegative().optional(),
});

export type Usage = z.infer<typeof usageSchema>;

export const stepErrorSchema = z.object({
  message: z.string().max(LIMITS.maxErrorLength, `must be at most ${LIMITS.maxErrorLength} characters`),
  type: label.optional(),
  stack: z
    .string()
    .max(LIMITS.maxErrorLength, `must be at most ${LIMITS.maxErrorLength} characters`)
    .optional(),
});

export type StepError = z.infer<typeof stepErrorSchema>;

/**
 * Body of a `step` event. A running step sends one event when it starts and another, with the same
 * `stepId`, when it ends; the server merges them (later fields win, none is erased).
 */
export const stepBodySchema = conversationContextSchema.extend({
  stepId: idString,
  parentId: idString.optional(),
  type: stepTypeSchema,
  name: label.min(1, 'must not be empty'),
  startedAt: timestamp.optional(),
  endedAt: timestamp.optional(),
  durationMs: z.number().nonnegative().optional(),
  input: jsonValue().optional(),
  output: jsonValue().optional(),
  error: stepErrorSchema.optional(),
  toolsUsed: z.array(label).max(100).optional(),
  usage: usageSchema.optional(),
  metadata: metadataSchema.optional(),
});

export type StepBody = z.infer<typeof stepBodySchema>;
