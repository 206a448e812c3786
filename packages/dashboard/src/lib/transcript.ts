/**
 * The transcript view's model: messages in time order, each agent message carrying what the agent
 * did to produce it (tool actions, model calls, retrievals… since the previous agent message).
 * Container steps (run, agent, turn) are left to the step tree.
 */
import type { StoredMessage, StoredStep } from '../api/types.ts';
import { stepStart } from './step-tree.ts';
import { isUnfinished, type TurnOutcome, turnOutcome } from './turn-outcome.ts';

const CONTAINER_TYPES = new Set(['run', 'agent', 'turn']);

export interface TranscriptEntry {
  /** The message, or null for activity after the last agent message (an in-flight turn). */
  message: StoredMessage | null;
  /** Steps of the turn this agent message answers, in start order. */
  steps: StoredStep[];
  /** For the trailing entry (no message): whether that turn is running, was blocked, failed… */
  outcome?: TurnOutcome;
}

/** Whether a step is an action worth showing inline (not a container of other steps). */
export function isActionStep(step: StoredStep): boolean {
  return !CONTAINER_TYPES.has(step.type);
}

/** Pairs messages with the action steps that led to each agent message. */
export function buildTranscript(
  messages: readonly StoredMessage[],
  steps: readonly StoredStep[],
): TranscriptEntry[] {
  const sortedMessages = [...messages].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  const actions = steps.filter(isActionStep).sort((a, b) => stepStart(a) - stepStart(b));
  const entries: TranscriptEntry[] = [];
  let next = 0;
  for (const message of sortedMessages) {
    const entry: TranscriptEntry = { message, steps: [] };
    if (message.role === 'agent') {
      const at = Date.parse(message.timestamp);
      while (next < actions.length && stepStart(actions[next]!) <= at) entry.steps.push(actions[next++]!);
    }
    entries.push(entry);
  }
  // Steps after the last agent message (containers too: they say whether the turn is still running).
  const lastAnswer = sortedMessages.findLast((message) => message.role === 'agent');
  // An answer its run failed after (an output guardrail's tripwire): what ran after it checked that answer, in
  // the same turn, even when its clock reads a millisecond later than the message's.
  const lastEntry = entries.at(-1);
  if (lastEntry && lastEntry.message === lastAnswer && typeof lastAnswer?.metadata.runError === 'string') {
    lastEntry.steps.push(...actions.slice(next));
    return entries;
  }
  const answeredAt = lastAnswer ? Date.parse(lastAnswer.timestamp) : Number.NEGATIVE_INFINITY;
  const turn = steps.filter((step) => stepStart(step) > answeredAt);
  if (next < actions.length || turn.some((step) => isUnfinished(step) || step.error))
    entries.push({ message: null, steps: actions.slice(next), outcome: turnOutcome(turn) });
  return entries;
}

/** "2 tool calls · 1 model call · 1 failed" for a collapsed group. */
export function describeSteps(steps: readonly StoredStep[]): string {
  const counts = new Map<string, number>();
  let failed = 0;
  for (const step of steps) {
    const kind =
      step.type === 'llm'
        ? 'model call'
        : step.type === 'tool' || step.type === 'mcp'
          ? 'tool call'
          : step.type;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    if (step.error) failed++;
  }
  const parts = [...counts].map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`);
  if (failed > 0) parts.push(`${failed} failed`);
  return parts.join(' · ');
}
