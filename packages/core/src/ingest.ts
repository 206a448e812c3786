import { z } from 'zod';
import { type ConversationBody, conversationBodySchema } from './conversation.ts';
import { type FieldIssue, ValidationError } from './errors.ts';
import { type FeedbackBody, feedbackBodySchema } from './feedback.ts';
import { LIMITS } from './limits.ts';
import { type MessageBody, messageBodySchema } from './message.ts';
import { eventId, idString, label, timestamp, toEpochMs } from './primitives.ts';
import { type ScoreBody, scoreBodySchema } from './score.ts';
import { type StepBody, stepBodySchema } from './step.ts';
import { toStorableJson } from './well-formed-text.ts';

export const EVENT_TYPES = ['conversation', 'message', 'step', 'feedback', 'score'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const bodySchemas = {
  conversation: conversationBodySchema,
  message: messageBodySchema,
  step: stepBodySchema,
  feedback: feedbackBodySchema,
  score: scoreBodySchema,
} as const;

/** One event on the wire: `{ id, type, timestamp, body }`; `id` makes ingestion idempotent. */
export const ingestEventSchema = z.discriminatedUnion('type', [
  z.object({ id: eventId, type: z.literal('conversation'), timestamp, body: conversationBodySchema }),
  z.object({ id: eventId, type: z.literal('message'), timestamp, body: messageBodySchema }),
  z.object({ id: eventId, type: z.literal('step'), timestamp, body: stepBodySchema }),
  z.object({ id: eventId, type: z.literal('feedback'), timestamp, body: feedbackBodySchema }),
  z.object({ id: eventId, type: z.literal('score'), timestamp, body: scoreBodySchema }),
]);

export type IngestEvent = z.input<typeof ingestEventSchema>;

/** What a tracker reports about itself: who it is and what it had to drop (cumulative counts). */
export const clientReportSchema = z.object({
  sdk: label.min(1),
  version: label.optional(),
  instanceId: idString,
  dropped: z
    .object({
      events: z.number().int().nonnegative(),
      payloadsTruncated: z.number().int().nonnegative().optional(),
      reasons: z.record(label, z.number().int().nonnegative()).optional(),
    })
    .optional(),
});

export type ClientReport = z.infer<typeof clientReportSchema>;

/** The body of `POST /v1/ingest`. */
export const ingestRequestSchema = z
  .object({
    events: z
      .array(z.unknown())
      .max(LIMITS.maxBatchEvents, `must hold at most ${LIMITS.maxBatchEvents} events`),
    client: clientReportSchema.optional(),
  })
  // A tracker may send its counters alone (`events: []`), e.g. a drop decided after its last batch.
  .refine((request) => request.events.length > 0 || request.client !== undefined, {
    path: ['events'],
    message: 'must hold at least one event (or a `client` report)',
  });

export type IngestRequest = { events: IngestEvent[]; client?: ClientReport };

interface ParsedEventBase {
  /** Position in the request's `events` array. */
  index: number;
  id: string;
  /** Event time in epoch milliseconds. */
  timestamp: number;
  /** Fields whose U+0000 or lone surrogates were replaced by U+FFFD (see well-formed-text.ts). */
  sanitized?: string[];
}

/** A validated event, typed by its `type`. */
export type ParsedEvent =
  | (ParsedEventBase & { type: 'conversation'; body: ConversationBody })
  | (ParsedEventBase & { type: 'message'; body: MessageBody })
  | (ParsedEventBase & { type: 'step'; body: StepBody })
  | (ParsedEventBase & { type: 'feedback'; body: FeedbackBody })
  | (ParsedEventBase & { type: 'score'; body: ScoreBody });

/** An event that failed validation: its position, its id when it had a readable one, and why. */
export interface RejectedEvent {
  index: number;
  id: string | null;
  issues: FieldIssue[];
}

export interface ParsedIngestRequest {
  events: ParsedEvent[];
  rejected: RejectedEvent[];
  client?: ClientReport;
}

/**
 * Validates an ingest request event by event: a bad event is rejected on its own (with the field
 * and the reason) while the good ones go through. A malformed envelope throws a ValidationError.
 */
export function parseIngestRequest(raw: unknown): ParsedIngestRequest {
  const envelope = ingestRequestSchema.safeParse(raw);
  if (!envelope.success) throw new ValidationError(toFieldIssues(envelope.error.issues));
  const result: ParsedIngestRequest = { events: [], rejected: [] };
  if (envelope.data.client)
    result.client = toStorableJson(envelope.data.client, 'client', []) as ClientReport;
  const seen = new Set<string>();
  envelope.data.events.forEach((candidate, index) => {
    const parsed = parseIngestEvent(candidate, index);
    if ('issues' in parsed) {
      result.rejected.push(parsed);
    } else if (seen.has(parsed.id)) {
      result.rejected.push({
        index,
        id: parsed.id,
        issues: [{ path: `events.${index}.id`, message: 'repeats an earlier event id in this batch' }],
      });
    } else {
      seen.add(parsed.id);
      result.events.push(parsed);
    }
  });
  return result;
}

/** Validates one event of a batch; `index` is used to name fields (`events.3.body.content`). */
export function parseIngestEvent(candidate: unknown, index: number): ParsedEvent | RejectedEvent {
  const prefix = ['events', index];
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
    return { index, id: null, issues: [{ path: prefix.join('.'), message: 'must be an object' }] };
  }
  const record = candidate as Record<string, unknown>;
  const id = typeof record.id === 'string' ? record.id : null;
  const type = record.type;
  if (typeof type !== 'string' || !(type in bodySchemas)) {
    return {
      index,
      id,
      issues: [{ path: [...prefix, 'type'].join('.'), message: `must be one of ${EVENT_TYPES.join(', ')}` }],
    };
  }
  const parsed = ingestEventSchema.safeParse(candidate);
  if (!parsed.success) return { index, id, issues: toFieldIssues(parsed.error.issues, prefix) };
  const event = parsed.data;
  const sanitized: string[] = [];
  toStorableJson(event.body, [...prefix, 'body'].join('.'), sanitized);
  const result = { ...event, index, timestamp: toEpochMs(event.timestamp) } as ParsedEvent;
  if (sanitized.length > 0) result.sanitized = sanitized;
  return result;
}

/** Turns zod issues into Sightline field issues with dotted paths. */
export function toFieldIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: ReadonlyArray<string | number> = [],
): FieldIssue[] {
  return issues.map((issue) => ({
    path: [...prefix, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))].join(
      '.',
    ),
    message: issue.message,
  }));
}
