import { z } from 'zod';
import { conversationContextSchema } from './conversation.ts';
import { metadataSchema } from './json-value.ts';
import { idString, label } from './primitives.ts';

export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export const FEEDBACK_SOURCES = ['customer', 'platform', 'auto'] as const;
export type FeedbackSource = (typeof FEEDBACK_SOURCES)[number];

/** Body of a `feedback` event: a sentiment, a named numeric score, or both, on a conversation or message. */
export const feedbackBodySchema = conversationContextSchema
  .extend({
    /** The feedback's own id; defaults to the event id. */
    feedbackId: idString.optional(),
    messageId: idString.optional(),
    sentiment: z.enum(SENTIMENTS).optional(),
    score: z.object({ name: label.min(1), value: z.number().finite() }).optional(),
    comment: z.string().max(10_000, 'must be at most 10000 characters').optional(),
    source: z.enum(FEEDBACK_SOURCES).default('customer'),
    metadata: metadataSchema.optional(),
  })
  .refine((body) => body.sentiment !== undefined || body.score !== undefined, {
    message: 'needs a sentiment or a score',
    path: ['sentiment'],
  });

export type FeedbackBody = z.infer<typeof feedbackBodySchema>;
