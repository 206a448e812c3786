/**
 * Why a conversation is in the review queue, read from it in full: negative customer feedback, a
 * failed step (a tool or model call, else the run), a guardrail that blocked a run. A blocked run
 * also ends in an error; that error is the block, so it is not named a second time.
 */
import type { ConversationDetail } from '../api/types.ts';
import { isTriggeredGuardrail } from './turn-outcome.ts';

export type ReviewReason =
  | { kind: 'negative-feedback'; count: number }
  | { kind: 'error'; step: string }
  | { kind: 'blocked'; guardrail: string };

const CONTAINERS = new Set(['run', 'agent', 'turn']);

/** The reasons a conversation is in the review queue, in that order. */
export function reviewReasons(detail: ConversationDetail): ReviewReason[] {
  const reasons: ReviewReason[] = [];
  const negative = detail.conversation.feedback.negative;
  if (negative > 0) reasons.push({ kind: 'negative-feedback', count: negative });
  const guardrail = detail.steps.find(isTriggeredGuardrail);
  if (guardrail) reasons.push({ kind: 'blocked', guardrail: guardrail.name });
  const failed =
    detail.steps.find((s) => s.error && !CONTAINERS.has(s.type) && s.type !== 'guardrail') ??
    (guardrail ? undefined : detail.steps.find((s) => s.error));
  if (failed) reasons.push({ kind: 'error', step: failed.name });
  return reasons;
}

/** A reason in a few words. */
export function describeReason(reason: ReviewReason): string {
  switch (reason.kind) {
    case 'negative-feedback':
      return reason.count === 1 ? 'Negative feedback' : `Negative feedback (${reason.count})`;
    case 'error':
      return `Error in ${reason.step}`;
    case 'blocked':
      return `Blocked by ${reason.guardrail}`;
  }
}
