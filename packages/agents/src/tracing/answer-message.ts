/**
 * The message id a run's answer is tracked under, chosen by whoever starts the run. The tracing processor
 * gives tracked messages ids of its own, later and in the background; a caller that must point at the
 * tracked answer (a served chat's thumbs, scored as that message) picks the id up front instead and
 * runs the agent inside `withAnswerMessageId`. The first trace started inside claims it: its first
 * top-level agent message is tracked with that id (a later one of the same trace, or another trace,
 * gets the processor's own id, so the id stays unique).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

interface AnswerSlot {
  readonly messageId: string;
  claimed: boolean;
}

const scope = new AsyncLocalStorage<AnswerSlot>();

/** Runs `fn` so that the answer of the agent run started inside it is tracked with id `messageId`. */
export function withAnswerMessageId<T>(messageId: string, fn: () => T): T {
  return scope.run({ messageId, claimed: false }, fn);
}

/** Takes the answer id of the current async scope, once: later calls in that scope get undefined. */
export function claimAnswerMessageId(): string | undefined {
  const slot = scope.getStore();
  if (!slot || slot.claimed) return undefined;
  slot.claimed = true;
  return slot.messageId;
}
