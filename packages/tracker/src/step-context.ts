import { AsyncLocalStorage } from 'node:async_hooks';
import type { TrackedConversation } from './conversation-handle.ts';
import type { StepHandle } from './tracking-options.ts';

/**
 * What the current async context is tracking: its conversation and its innermost step. One scope
 * object per request (opened by the middleware or `runInConversation`) and per `step()`, so
 * concurrent requests never see each other's conversation: there is no process-global "current".
 */
export interface TrackingScope {
  conversation: TrackedConversation | undefined;
  step: StepHandle | undefined;
}

/** Shared by every tracker of the process, so integrations find the conversation of the request. */
export const scopeStorage = new AsyncLocalStorage<TrackingScope>();

/** The scope of the current async context, if any. */
export function currentScope(): TrackingScope | undefined {
  return scopeStorage.getStore();
}

/** Runs `fn` with `conversation` (and no current step) as its async context. */
export function runWithConversation<T>(conversation: TrackedConversation | undefined, fn: () => T): T {
  return scopeStorage.run({ conversation, step: undefined }, fn);
}

/** Runs `fn` with `step` as the current step: steps started inside nest under it. */
export function runWithStep<T>(conversation: TrackedConversation, step: StepHandle, fn: () => T): T {
  return scopeStorage.run({ conversation, step }, fn);
}

/**
 * Makes `conversation` the current one for the rest of this async context: mutates the scope the
 * middleware opened, or, outside any scope, enters a new one (AsyncLocalStorage.enterWith).
 */
export function bindConversation(conversation: TrackedConversation): void {
  const scope = scopeStorage.getStore();
  if (scope) {
    if (scope.conversation?.id !== conversation.id) scope.step = undefined;
    scope.conversation = conversation;
    return;
  }
  scopeStorage.enterWith({ conversation, step: undefined });
}
