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
    /**
     * Who gave the feedback. For compatibility `source` may carry it too (`customer`, `platform` or
     * `auto`); any other `source` is the conversation's source, as on every other event.
     */
    feedbackSource: z.enum(FEEDBACK_SOURCES).optional(),
    metadata: metadataSchema.optional(),
  })
  .refine((body) => body.sentiment !== undefined || body.score !== undefined, {
    message: 'needs a sentiment or a score',
    path: ['sentiment'],
  });

export type FeedbackBody = z.infer<typeof feedbackBodySchema>;

/** Who gave a feedback event: `feedbackSource`, else a `source` naming one of FEEDBACK_SOURCES, else `customer`. */
export function feedbackSourceOf(body: Pick<FeedbackBody, 'feedbackSource' | 'source'>): FeedbackSource {
  if (body.feedbackSource) return body.feedbackSource;
  return (FEEDBACK_SOURCES as readonly string[]).includes(body.source ?? '')
    ? (body.source as FeedbackSource)
    : 'customer';
}

/**
 * The conversation source an event carries, which on feedback excludes a feedback-source value; a
 * score's `source` is the score's (human, code, model), never the conversation's.
 */
export function conversationSourceOf(type: string, source: string | undefined): string | undefined {
  if (type === 'score') return undefined;
  if (type === 'feedback' && (FEEDBACK_SOURCES as readonly string[]).includes(source ?? '')) return undefined;
  return source;
}
