/**
 * The live view's state: conversations ordered by their latest event, each knowing whether a turn is
 * in flight (a human message not yet answered, or steps started and not ended), and a short event log.
 * Pure functions over `/v1/live` events, so the page only renders.
 */
import type { ConversationSummary, LiveErasure, LiveEvent } from '../api/types.ts';

export interface LiveConversation {
  id: string;
  customerId: string | null;
  name: string | null;
  source: string | null;
  lastEventAt: string;
  lastMessage: { role: string; content: string } | null;
  messages: number;
  errors: number;
  /** Steps started and not ended yet: id -> name. */
  running: Record<string, string>;
  /** True when the last message is a human one (the agent has not answered yet). */
  awaitingAgent: boolean;
  /** Seen first through the live feed (not in the list loaded when the page opened). */
  isNew: boolean;
  /** How many live events arrived for it since the page opened. */
  liveEvents: number;
}

export interface LiveState {
  conversations: LiveConversation[];
  log: LiveEvent[];
  dropped: number;
}

const MAX_CONVERSATIONS = 200;
const MAX_LOG = 100;

export const emptyLiveState: LiveState = { conversations: [], log: [], dropped: 0 };

/** Seeds the view with the most recently active conversations. */
export function seedLiveState(rows: ConversationSummary[]): LiveState {
  return {
    conversations: rows.map((row) => ({
      id: row.id,
      customerId: row.customerId,
      name: row.name,
      source: row.source,
      lastEventAt: row.lastActivityAt,
      lastMessage: row.firstMessage ? { role: 'human', content: row.firstMessage } : null,
      messages: row.messageCount,
      errors: row.errorCount,
      running: {},
      awaitingAgent: false,
      isNew: false,
      liveEvents: 0,
    })),
    log: [],
    dropped: 0,
  };
}

/** Applies a batch of live events. */
export function applyLiveEvents(state: LiveState, events: LiveEvent[]): LiveState {
  if (events.length === 0) return state;
  const byId = new Map(state.conversations.map((c) => [c.id, c]));
  for (const event of events) {
    const current = byId.get(event.conversationId) ?? {
      id: event.conversationId,
      customerId: event.customerId,
      name: null,
      source: null,
      lastEventAt: event.timestamp,
      lastMessage: null,
      messages: 0,
      errors: 0,
      running: {},
      awaitingAgent: false,
      isNew: true,
      liveEvents: 0,
    };
    byId.set(event.conversationId, applyOne(current, event));
  }
  const conversations = [...byId.values()]
    .sort((a, b) => Date.parse(b.lastEventAt) - Date.parse(a.lastEventAt))
    .slice(0, MAX_CONVERSATIONS);
  const log = [...events.slice().reverse(), ...state.log].slice(0, MAX_LOG);
  return { ...state, conversations, log };
}

function applyOne(conversation: LiveConversation, event: LiveEvent): LiveConversation {
  const s = event.summary;
  const next: LiveConversation = {
    ...conversation,
    customerId: conversation.customerId ?? event.customerId,
    lastEventAt:
      Date.parse(event.timestamp) > Date.parse(conversation.lastEventAt)
        ? event.timestamp
        : conversation.lastEventAt,
    liveEvents: conversation.liveEvents + 1,
  };
  if (event.type === 'message') {
    const role = String(s.role ?? 'human');
    next.messages += 1;
    next.lastMessage = { role, content: String(s.content ?? '') };
    next.awaitingAgent = role === 'human';
  } else if (event.type === 'step') {
    const stepId = String(s.stepId ?? event.id);
    const running = { ...conversation.running };
    if (s.ended) delete running[stepId];
    else running[stepId] = String(s.name ?? s.stepType ?? 'step');
    next.running = running;
    if (s.error) next.errors += 1;
  } else if (event.type === 'conversation') {
    if (typeof s.name === 'string') next.name = s.name;
    if (typeof s.source === 'string') next.source = s.source;
  }
  return next;
}

/** Drops what an erasure removed: its conversations (and, for a customer, any of theirs) and their events. */
export function forgetErased(state: LiveState, erasure: LiveErasure): LiveState {
  const ids = new Set(erasure.conversationIds);
  const byCustomer = (customerId: string | null) => erasure.kind === 'customer' && customerId === erasure.id;
  return {
    ...state,
    conversations: state.conversations.filter((c) => !ids.has(c.id) && !byCustomer(c.customerId)),
    log: state.log.filter((event) => !ids.has(event.conversationId) && !byCustomer(event.customerId)),
  };
}

/** Whether a turn is happening now in this conversation. */
export function isInFlight(conversation: LiveConversation): boolean {
  return conversation.awaitingAgent || Object.keys(conversation.running).length > 0;
}

/** A one-line description of a live event for the log. */
export function describeLiveEvent(event: LiveEvent): string {
  const s = event.summary;
  switch (event.type) {
    case 'message':
      return `${s.role === 'agent' ? 'Agent' : s.role === 'system' ? 'System' : 'Human'}: ${String(s.content ?? '')}`;
    case 'step':
      return `${String(s.stepType)} ${String(s.name)} ${s.error ? `failed: ${String(s.error)}` : s.ended ? 'ended' : 'started'}`;
    case 'feedback':
      return `Feedback: ${String(s.sentiment ?? 'score')}${s.comment ? ` “${String(s.comment)}”` : ''}`;
    case 'conversation':
      return `Conversation ${s.name ? `“${String(s.name)}”` : 'updated'}${s.source ? ` (${String(s.source)})` : ''}`;
    case 'score':
      return `Score: ${String(s.name)} ${String(s.value)}${s.scoreSource ? ` (${String(s.scoreSource)})` : ''}${s.comment ? ` “${String(s.comment)}”` : ''}`;
  }
}
