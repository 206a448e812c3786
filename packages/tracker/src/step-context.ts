import { AsyncLocalStorage } from 'node:async_hooks';
import type { ConversationHandle, StepHandle } from './tracking-options.ts';

/**
 * What the current async context is tracking: its conversation and its innermost step. A new
 * scope object is made per request (by the middleware or `runInConversation`), per `step()` and
 * per ambient `getOrCreateConversation`, so concurrent requests never see each other's
 * conversation: there is no process-global "current conversation".
 */
export interface TrackingScope {
  conversation: ConversationHandle | undefined;
  step: StepHandle | undefined;
  /**
   * `request` scopes (opened around a whole request) take `getOrCreateConversation` in place, so
   * the whole request sees it, even code that awaited before the call; other scopes are replaced.
   */
  readonly kind: 'request' | 'step' | 'ambient';
}

/** Shared by every tracker of the process, so integrations find the conversation of the request. */
export const scopeStorage = new AsyncLocalStorage<TrackingScope>();

/** The scope of the current async context, if any. */
export function currentScope(): TrackingScope | undefined {
  return scopeStorage.getStore();
}

/** Runs `fn` in a new request scope whose conversation is `conversation` (possibly set later). */
export function runWithConversation<T>(conversation: ConversationHandle | undefined, fn: () => T): T {
  return scopeStorage.run(requestScope(conversation), fn);
}

/** A new request scope, for middleware that needs to read the final conversation after the handler. */
export function requestScope(conversation: ConversationHandle | undefined): TrackingScope {
  return { conversation, step: undefined, kind: 'request' };
}

/** Runs `fn` with `step` as the current step: steps started inside nest under it. */
export function runWithStep<T>(conversation: ConversationHandle, step: StepHandle, fn: () => T): T {
  return scopeStorage.run({ conversation, step, kind: 'step' }, fn);
}

/**
 * Makes `conversation` the current one for the rest of this async context: updates the request
 * scope the middleware opened, or else enters a new scope (AsyncLocalStorage.enterWith), which
 * covers the rest of the calling function and what it awaits, and nothing that runs concurrently.
 */
export function bindConversation(conversation: ConversationHandle): void {
  const scope = scopeStorage.getStore();
  const sameConversation = scope?.conversation?.id === conversation.id;
  if (scope?.kind === 'request') {
    if (!sameConversation) scope.step = undefined;
    scope.conversation = conversation;
    return;
  }
  scopeStorage.enterWith({ conversation, step: sameConversation ? scope?.step : undefined, kind: 'ambient' });
}
