/** The conversations row a batch starts from for one of its conversations (new, or stored). Pure. */
import { conversationSourceOf, type ParsedEvent } from '@sightline/core';
import type { ConversationsTable } from '../schema.ts';
import { eventEnvironment } from './rows.ts';

/** The fields of a stored conversation the merge needs. */
export type ConversationState = Pick<
  ConversationsTable,
  | 'id'
  | 'environment'
  | 'customer_id'
  | 'started_at'
  | 'last_human_at'
  | 'last_agent_at'
  | 'agent_version'
  | 'agent_version_at'
>;

/**
 * The row the planner merges a conversation's events into: counters at zero (they are added to what is
 * stored), the stored fields the merge needs, and `isNew` when nothing is stored.
 */
export function conversationRow(options: {
  projectId: string;
  event: ParsedEvent;
  stored: ConversationState | undefined;
}): ConversationsTable & { isNew: boolean } {
  const { event, stored } = options;
  const row: ConversationsTable & { isNew: boolean } = {
    isNew: !stored,
    project_id: options.projectId,
    id: event.body.conversationId,
    customer_id: event.body.customerId ?? stored?.customer_id ?? null,
    name: null,
    source: null,
    device: null,
    language: null,
    environment: stored?.environment ?? eventEnvironment(event),
    metadata: '{}',
    tags: '[]',
    started_at: stored?.started_at ?? event.timestamp,
    // A score leaves an existing conversation's activity as it is (the upsert keeps the greatest).
    last_activity_at: stored && event.type === 'score' ? stored.started_at : event.timestamp,
    ended_at: null,
    first_message: null,
    first_message_at: null,
    last_human_at: stored?.last_human_at ?? null,
    last_agent_at: stored?.last_agent_at ?? null,
    message_count: 0,
    step_count: 0,
    tool_call_count: 0,
    llm_call_count: 0,
    error_count: 0,
    input_tokens: 0,
    output_tokens: 0,
    cost_usd: 0,
    fb_positive: 0,
    fb_neutral: 0,
    fb_negative: 0,
    agent_version: stored?.agent_version ?? null,
    agent_version_at: stored?.agent_version_at ?? null,
  };
  const source = conversationSourceOf(event.type, event.body.source);
  if (source) row.source = source;
  return row;
}
