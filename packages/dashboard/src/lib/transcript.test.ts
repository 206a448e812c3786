import { describe, expect, it } from 'vitest';
import type { StoredMessage, StoredStep } from '../api/types.ts';
import { buildTranscript, describeSteps } from './transcript.ts';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const message = (id: string, role: StoredMessage['role'], s: number): StoredMessage => ({
  id,
  conversationId: 'c',
  role,
  content: id,
  metadata: {},
  attachments: [],
  timestamp: at(s),
});
const step = (id: string, type: string, s: number, error = false): StoredStep => ({
  id,
  conversationId: 'c',
  parentId: null,
  type,
  name: id,
  startedAt: at(s),
  endedAt: at(s + 1),
  durationMs: 1000,
  input: null,
  output: null,
  error: error ? { message: 'failed' } : null,
  toolsUsed: [],
  usage: null,
  metadata: {},
  agentVersion: null,
});

describe('transcript', () => {
  it('puts each turn’s actions under the agent message that answered it, and leftovers in an in-flight entry', () => {
    const entries = buildTranscript(
      [
        message('q2', 'human', 10),
        message('q1', 'human', 0),
        message('a1', 'agent', 5),
        message('a2', 'agent', 20),
      ],
      [
        step('run', 'run', 1),
        step('llm1', 'llm', 1),
        step('t1', 'tool', 2, true),
        step('llm2', 'llm', 11),
        step('late', 'tool', 30),
      ],
    );
    expect(entries.map((e) => [e.message?.id ?? null, e.steps.map((s) => s.id)])).toEqual([
      ['q1', []],
      ['a1', ['llm1', 't1']],
      ['q2', []],
      ['a2', ['llm2']],
      [null, ['late']],
    ]);
    expect(describeSteps(entries[1]!.steps)).toBe('1 model call · 1 tool call · 1 failed');
  });

  it('keeps the steps that ran after an answer its run then failed (an output guardrail) under that answer', () => {
    const blocked = { ...message('a1', 'agent', 5), metadata: { runError: 'blocked' } };
    const entries = buildTranscript(
      [message('q1', 'human', 0), blocked],
      [step('llm1', 'llm', 1), step('no_leak', 'guardrail', 6, true)],
    );
    expect(entries.map((e) => [e.message?.id ?? null, e.steps.map((s) => s.id)])).toEqual([
      ['q1', []],
      ['a1', ['llm1', 'no_leak']],
    ]);
  });

  it('says what became of a turn with no answer: running, blocked by a guardrail, failed, or no answer', () => {
    const running = { ...step('agent', 'agent', 30), endedAt: null, durationMs: null };
    const outcome = (steps: StoredStep[]) =>
      buildTranscript([message('a', 'agent', 5)], steps).at(-1)?.outcome;
    expect(outcome([running, step('late', 'tool', 31)])).toEqual({ kind: 'running' });
    expect(outcome([running])).toEqual({ kind: 'running' }); // an agent started, nothing else yet
    expect(outcome([step('late', 'tool', 31)])).toEqual({ kind: 'unanswered' });
    expect(outcome([step('late', 'tool', 31, true)])).toEqual({ kind: 'failed', message: 'failed' });
    // As @sightline/agents records an input guardrail's tripwire, and @sightline/serve the failed run.
    const tripped = 'Error in agent run: InputGuardrailTripwireTriggered: Input guardrail triggered: ';
    const blocked = [
      {
        ...step('run', 'run', 30),
        error: { message: `${tripped}{"reason":"the message holds a password"}` },
      },
      { ...step('no_secrets', 'guardrail', 31), output: { triggered: true } },
      { ...step('run_failed', 'action', 32), error: { message: 'Request blocked by input guardrail' } },
    ];
    expect(outcome(blocked)).toEqual({
      kind: 'blocked',
      guardrail: 'no_secrets',
      reason: 'the message holds a password',
    });
    // Steps of the answered turn (before the agent message) are not a trailing turn.
    expect(
      buildTranscript([message('a', 'agent', 5)], [step('t', 'tool', 1)]).at(-1)?.outcome,
    ).toBeUndefined();
  });
});
