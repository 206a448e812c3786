/**
 * Which Sightline conversation an agent run belongs to. The SDK's traces do not carry the session id,
 * so the tracing processor learns it from (in order): the trace's `groupId`, this async scope (set by
 * `inConversation` and `withSessionTurn`), and durable sessions announcing themselves from inside a
 * run (`announceSession`). Bound to the async context, never to a process global.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { getCurrentTrace } from '@openai/agents-core';

/** A conversation id (the session id) and the customer (the session's user) it belongs to. */
export interface ConversationBinding {
  conversationId: string;
  customerId?: string | undefined;
}

type BindingListener = (traceId: string, binding: ConversationBinding) => void;

const scope = new AsyncLocalStorage<ConversationBinding>();
const listeners = new Set<BindingListener>();

/** Runs `fn` so that every agent run started inside it is recorded under `binding.conversationId`. */
export function inConversation<T>(binding: ConversationBinding, fn: () => T): T {
  return scope.run(binding, fn);
}

/** The conversation bound to the current async context by `inConversation`, if any. */
export function currentConversationBinding(): ConversationBinding | undefined {
  return scope.getStore();
}

/**
 * Called by durable sessions on every operation: when it happens inside a traced run, the run's trace
 * is announced as belonging to this session's conversation. A cheap no-op outside runs.
 */
export function announceSession(binding: ConversationBinding): void {
  if (listeners.size === 0) return;
  const trace = getCurrentTrace();
  if (!trace) return;
  for (const listener of listeners) listener(trace.traceId, binding);
}

/** Subscribes to session announcements (used by the tracing processor); returns the unsubscribe. */
export function onSessionAnnounced(listener: BindingListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
