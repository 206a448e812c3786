/**
 * What the live feed (`GET /v1/live`, Server-Sent Events) sends: one message per stored event, with its
 * body trimmed to what a list needs, and one per erasure. Schemas: the types are inferred from them;
 * the OpenAPI document names them `LiveEvent` and `LiveErasure`.
 */
import { z } from 'zod';
import { EVENT_TYPES } from './ingest.ts';

/** What a live subscriber receives about one stored event (its body trimmed to what a list needs). */
export const liveEventSchema = z
  .object({
    id: z.string().describe('The event id'),
    type: z.enum(EVENT_TYPES),
    timestamp: z.string(),
    conversationId: z.string(),
    customerId: z.string().nullable(),
    summary: z
      .record(z.string(), z.unknown())
      .describe(
        'A trimmed body: message `{ role, content }`, step `{ stepId, parentId, stepType, name, ended, error }`, feedback `{ sentiment, comment }`, conversation `{ name, source }`, score `{ name, value, scoreSource, messageId, comment }`',
      ),
  })
  .meta({ id: 'LiveEvent' });

export type LiveEvent = z.output<typeof liveEventSchema>;

/** What an erasure removed, as live subscribers are told: a conversation, or a customer and theirs. */
export const liveErasureSchema = z
  .object({
    kind: z.enum(['conversation', 'customer']),
    id: z.string().describe("The conversation's or the customer's id"),
    conversationIds: z
      .array(z.string())
      .describe('The erased conversations (for a customer, every one of theirs the collector had)'),
  })
  .meta({ id: 'LiveErasure' });

export type LiveErasure = z.output<typeof liveErasureSchema>;
