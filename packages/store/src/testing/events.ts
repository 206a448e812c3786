/** Builders of valid ingest events for tests and benchmarks. */
import { type IngestEvent, newId, type ParsedEvent, parseIngestRequest } from '@sightline/core';

export interface EventContext {
  conversationId: string;
  customerId?: string;
  source?: string;
  environment?: string;
  agentVersion?: string;
}

const iso = (at: number) => new Date(at).toISOString();

/** A `message` event. */
export function messageEvent(
  ctx: EventContext,
  options: {
    role: 'human' | 'agent' | 'system';
    content: string;
    at: number;
    metadata?: Record<string, unknown>;
    messageId?: string;
  },
): IngestEvent {
  return {
    id: newId(),
    type: 'message',
    timestamp: iso(options.at),
    body: {
      ...ctx,
      role: options.role,
      content: options.content,
      ...(options.metadata ? { metadata: options.metadata } : {}),
      ...(options.messageId ? { messageId: options.messageId } : {}),
    },
  };
}

/** A finished `step` event (start and end in one). */
export function stepEvent(
  ctx: EventContext,
  options: {
    stepId?: string;
    parentId?: string;
    type: string;
    name: string;
    at: number;
    durationMs?: number;
    error?: string;
    input?: unknown;
    output?: unknown;
    usage?: {
      model: string;
      provider?: string;
      inputTokens?: number;
      outputTokens?: number;
      costUsd?: number;
    };
    open?: boolean;
    metadata?: Record<string, unknown>;
  },
): IngestEvent {
  const body: Record<string, unknown> = {
    ...ctx,
    stepId: options.stepId ?? newId(),
    type: options.type,
    name: options.name,
    startedAt: iso(options.at),
  };
  if (!options.open) body.endedAt = iso(options.at + (options.durationMs ?? 0));
  if (options.durationMs !== undefined && !options.open) body.durationMs = options.durationMs;
  if (options.parentId) body.parentId = options.parentId;
  if (options.error) body.error = { message: options.error };
  if (options.input !== undefined) body.input = options.input;
  if (options.output !== undefined) body.output = options.output;
  if (options.usage) body.usage = options.usage;
  if (options.metadata) body.metadata = options.metadata;
  return { id: newId(), type: 'step', timestamp: iso(options.at), body } as IngestEvent;
}

/** A `feedback` event. */
export function feedbackEvent(
  ctx: EventContext,
  options: {
    sentiment: 'positive' | 'neutral' | 'negative';
    at: number;
    comment?: string;
    source?: 'customer' | 'platform' | 'auto';
  },
): IngestEvent {
  return {
    id: newId(),
    type: 'feedback',
    timestamp: iso(options.at),
    body: {
      ...ctx,
      sentiment: options.sentiment,
      source: options.source ?? 'customer',
      ...(options.comment ? { comment: options.comment } : {}),
    },
  };
}

/** A `score` event on a conversation, or one of its messages or steps. */
export function scoreEvent(
  ctx: EventContext,
  options: {
    name: string;
    value: number | boolean | string;
    at: number;
    source?: 'human' | 'code' | 'model';
    scoreId?: string;
    messageId?: string;
    stepId?: string;
    comment?: string;
    eventId?: string;
  },
): IngestEvent {
  const { at, eventId, ...fields } = options;
  // A score's `source` is who scored (human, code, model), not the conversation's.
  const { source: _, ...context } = ctx;
  return { id: eventId ?? newId(), type: 'score', timestamp: iso(at), body: { ...context, ...fields } };
}

/** A `conversation` event setting conversation-level fields. */
export function conversationEvent(
  ctx: EventContext,
  options: {
    at: number;
    name?: string;
    metadata?: Record<string, unknown>;
    tags?: string[];
    device?: string;
  },
): IngestEvent {
  const { at, ...fields } = options;
  return { id: newId(), type: 'conversation', timestamp: iso(at), body: { ...ctx, ...fields } };
}

/** Validates wire events into the store's input, failing loudly if any is invalid. */
export function parseEvents(events: IngestEvent[]): ParsedEvent[] {
  const parsed = parseIngestRequest({ events });
  if (parsed.rejected.length > 0) throw new Error(`invalid test events: ${JSON.stringify(parsed.rejected)}`);
  return parsed.events;
}
