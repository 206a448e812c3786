/**
 * What became of a turn that has no agent message: still running, blocked by a guardrail (the run
 * stopped on purpose: the reason is the guardrail's), failed (with the error that stopped it), or
 * ended without an answer. Read from the turn's steps, containers included.
 */
import type { StoredStep } from '../api/types.ts';

export type TurnOutcome =
  | { kind: 'running' }
  | { kind: 'blocked'; guardrail: string; reason: string | null }
  | { kind: 'failed'; message: string }
  | { kind: 'unanswered' };

const CONTAINERS = new Set(['run', 'agent', 'turn']);

/** A step still in flight: no end, no duration, no error. */
export function isUnfinished(step: StoredStep): boolean {
  return step.endedAt === null && step.durationMs === null && step.error === null;
}

/** A guardrail step whose tripwire fired (the agents integration records `triggered` in its output). */
export function isTriggeredGuardrail(step: StoredStep): boolean {
  if (step.type !== 'guardrail') return false;
  const output = step.output as { triggered?: unknown } | null;
  return output?.triggered === true || step.metadata.triggered === true;
}

/** The outcome of the steps of a turn no agent message answers. */
export function turnOutcome(steps: readonly StoredStep[]): TurnOutcome {
  const guardrail = steps.find(isTriggeredGuardrail);
  if (guardrail) return { kind: 'blocked', guardrail: guardrail.name, reason: blockReason(steps) };
  if (steps.some(isUnfinished)) return { kind: 'running' };
  // The root cause first: a failed action or model call, else the run that failed.
  const failed = steps.find((step) => step.error && !CONTAINERS.has(step.type)) ?? steps.find((s) => s.error);
  if (failed?.error) return { kind: 'failed', message: failed.error.message };
  return { kind: 'unanswered' };
}

/**
 * The guardrail's own words, from the error the run ended with: the SDK writes the guardrail's output
 * info as JSON (`Input guardrail triggered: {"reason":"…"}`); its `reason` or `message`, else null.
 */
export function guardrailReason(errorMessage: string): string | null {
  const json = /\{.*\}\s*$/s.exec(errorMessage)?.[0];
  if (!json) return null;
  try {
    const info = JSON.parse(json) as Record<string, unknown>;
    for (const key of ['reason', 'message']) if (typeof info[key] === 'string') return info[key] as string;
  } catch {
    // not JSON after all
  }
  return null;
}

function blockReason(steps: readonly StoredStep[]): string | null {
  for (const step of steps) {
    const reason = step.error ? guardrailReason(step.error.message) : null;
    if (reason !== null) return reason;
  }
  return null;
}
