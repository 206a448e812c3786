import type {
  Attachment,
  EventType,
  FeedbackSource,
  ScoreDataType,
  ScoreSource,
  ScoreValue,
  Sentiment,
  Usage,
} from '@sightline/core';

/**
 * The conversation fields every event carries. Immutable: a conversation update makes a new
 * scope, so events already buffered keep the values they were tracked with.
 */
export interface ConversationScope {
  readonly conversationId: string;
  readonly customerId: string | undefined;
  readonly source: string | undefined;
  readonly environment: string;
  /** The agent version the events are tracked under (a label and/or fingerprint, at most 256 characters). */
  readonly agentVersion: string | undefined;
}

export interface RawMessageBody {
  role: 'human' | 'agent' | 'system';
  content: string;
  messageId: string | undefined;
  metadata: Record<string, unknown> | undefined;
  attachments: Attachment[] | undefined;
}

export interface RawStepBody {
  stepId: string;
  parentId: string | undefined;
  type: string;
  name: string;
  /** Epoch milliseconds. */
  startedAt: number | undefined;
  endedAt: number | undefined;
  durationMs: number | undefined;
  input: unknown;
  output: unknown;
  error: unknown;
  toolsUsed: unknown;
  usage: Usage | undefined;
  metadata: Record<string, unknown> | undefined;
}

export interface RawConversationBody {
  name: string | undefined;
  device: string | undefined;
  language: string | undefined;
  metadata: Record<string, unknown> | undefined;
  tags: string[] | undefined;
  startedAt: number | undefined;
  endedAt: number | undefined;
}

export interface RawFeedbackBody {
  feedbackId: string | undefined;
  messageId: string | undefined;
  sentiment: Sentiment | undefined;
  score: { name: string; value: number } | undefined;
  comment: string | undefined;
  source: FeedbackSource | undefined;
  metadata: Record<string, unknown> | undefined;
}

export interface RawScoreBody {
  scoreId: string | undefined;
  messageId: string | undefined;
  stepId: string | undefined;
  name: string;
  value: ScoreValue;
  dataType: ScoreDataType | undefined;
  source: ScoreSource | undefined;
  comment: string | undefined;
  judgeRunId: string | undefined;
  metadata: Record<string, unknown> | undefined;
}

export type RawBody = RawMessageBody | RawStepBody | RawConversationBody | RawFeedbackBody | RawScoreBody;

/** Bookkeeping fields of a hot-path record (none of them collides with a body field). */
export interface RawEventHeader {
  seq: number;
  id: string;
  /** The event type (`type` is taken by the step type). */
  kind: EventType;
  /** Event time, epoch milliseconds. */
  ts: number;
  ctx: ConversationScope;
  /** Estimated bytes, corrected when the event is encoded. */
  size: number;
}

/**
 * An event as the hot path records it: one flat object holding the bookkeeping fields and the
 * body's fields, with references to the caller's values and no serialization. The encoder turns
 * it into wire JSON in the background.
 */
export type RawEvent = RawEventHeader & RawBody;

/** An event serialized for the wire, as it waits in the buffer or the spool. */
export interface EncodedEvent {
  seq: number;
  id: string;
  type: EventType;
  json: string;
  /** UTF-8 bytes of `json`. */
  bytes: number;
  /** Characters of step input + output, the part truncated first under memory pressure; 0 if none. */
  payload: number;
}

/** Base estimate of an event's buffered bytes, before encoding measures it. */
export const BASE_EVENT_BYTES = 320;
/** Estimate for a non-string value (object, array) the hot path does not walk. */
export const OPAQUE_VALUE_BYTES = 512;

/** Cheap size guess for a value the hot path does not serialize. */
export function estimateValueBytes(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'string') return value.length;
  return OPAQUE_VALUE_BYTES;
}
