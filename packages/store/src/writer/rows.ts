/** Turns validated events into table rows (no I/O). */
import { DEFAULT_ENVIRONMENT, feedbackSourceOf, type ParsedEvent } from '@sightline/core';
import type { FeedbackTable, MessagesTable } from '../schema.ts';

type EventOf<T extends ParsedEvent['type']> = Extract<ParsedEvent, { type: T }>;

/**
 * The key of a step, message or feedback row within its project: client-chosen ids are unique only
 * per conversation. Ids never hold control characters, so U+0000 cannot occur inside either part.
 */
export function scopedKey(conversationId: string, id: string): string {
  return `${conversationId}\u0000${id}`;
}

/** Serializes a JSON value for a text column; undefined stays null. */
export function toJsonText(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** The message row of a `message` event (its id defaults to the event id). */
export function messageRow(projectId: string, event: EventOf<'message'>): MessagesTable {
  const body = event.body;
  return {
    project_id: projectId,
    id: body.messageId ?? event.id,
    conversation_id: body.conversationId,
    role: body.role,
    content: body.content,
    metadata: JSON.stringify(body.metadata ?? {}),
    attachments: JSON.stringify(body.attachments ?? []),
    timestamp: event.timestamp,
    agent_version: body.agentVersion ?? null,
  };
}

/** The feedback row of a `feedback` event (its id defaults to the event id). */
export function feedbackRow(projectId: string, event: EventOf<'feedback'>): FeedbackTable {
  const body = event.body;
  return {
    project_id: projectId,
    id: body.feedbackId ?? event.id,
    conversation_id: body.conversationId,
    message_id: body.messageId ?? null,
    sentiment: body.sentiment ?? null,
    score_name: body.score?.name ?? null,
    score_value: body.score?.value ?? null,
    comment: body.comment ?? null,
    source: feedbackSourceOf(body),
    metadata: JSON.stringify(body.metadata ?? {}),
    timestamp: event.timestamp,
  };
}

/** The environment an event names, or the default. */
export function eventEnvironment(event: ParsedEvent): string {
  return event.body.environment ?? DEFAULT_ENVIRONMENT;
}
