import { z } from 'zod';
import { metadataSchema } from './json-value.ts';
import { LIMITS } from './limits.ts';
import { environment, idString, label, source, timestamp } from './primitives.ts';

/**
 * Conversation-level fields that ride on every event, so reads can filter by them without a join
 * and a conversation exists as soon as any of its events arrives.
 */
export const conversationContextSchema = z.object({
  conversationId: idString,
  customerId: idString.optional(),
  source: source.optional(),
  environment: environment.optional(),
  /**
   * The version of the agent that produced the event (`@sightline/agents` stamps it: a fingerprint of
   * instructions, tools, model and settings, with an optional label). The conversation keeps the latest.
   */
  agentVersion: idString.optional(),
});

export type ConversationContext = z.infer<typeof conversationContextSchema>;

/** Body of a `conversation` event: creates the conversation or merges these fields into it. */
export const conversationBodySchema = conversationContextSchema.extend({
  name: label.optional(),
  device: label.optional(),
  language: label.optional(),
  metadata: metadataSchema.optional(),
  tags: z
    .array(z.string().min(1).max(64, 'must be at most 64 characters'))
    .max(LIMITS.maxTags, `must hold at most ${LIMITS.maxTags} tags`)
    .optional(),
  startedAt: timestamp.optional(),
  endedAt: timestamp.optional(),
});

export type ConversationBody = z.infer<typeof conversationBodySchema>;

/** The environment a conversation has when its events name none. */
export const DEFAULT_ENVIRONMENT = 'production';
