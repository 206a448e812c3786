import { describe, expect, it } from 'vitest';
import type { ConversationDetail, StoredStep } from '../api/types.ts';
import { describeReason, reviewReasons } from './review-reasons.ts';

const step = (name: string, type: string, more: Partial<StoredStep> = {}): StoredStep => ({
  id: name,
  conversationId: 'c',
  parentId: null,
  type,
  name,
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: null,
  durationMs: 10,
  input: null,
  output: null,
  error: null,
  toolsUsed: [],
  usage: null,
  metadata: {},
  agentVersion: null,
  ...more,
});

/** A conversation with `negative` negative feedback and these steps (the rest is not read). */
const detail = (negative: number, steps: StoredStep[]) =>
  ({
    conversation: { feedback: { positive: 0, neutral: 0, negative } },
    steps,
  }) as unknown as ConversationDetail;

const failed = { error: { message: 'boom' } };
const reasons = (d: ConversationDetail) => reviewReasons(d).map(describeReason);

describe('review reasons', () => {
  it('names negative feedback, with a count above one', () => {
    expect(reasons(detail(1, []))).toEqual(['Negative feedback']);
    expect(reasons(detail(3, []))).toEqual(['Negative feedback (3)']);
  });

  it('names the failed action, not the run it failed', () => {
    const steps = [step('Support', 'run', failed), step('lookup_order', 'tool', failed)];
    expect(reasons(detail(0, steps))).toEqual(['Error in lookup_order']);
    expect(reasons(detail(0, [step('Support', 'run', failed)]))).toEqual(['Error in Support']);
  });

  it('names a block once: the run’s error is the block', () => {
    const guard = step('topic_guard', 'guardrail', { metadata: { triggered: true } });
    expect(reasons(detail(0, [step('Support', 'run', failed), guard]))).toEqual(['Blocked by topic_guard']);
    const passed = step('topic_guard', 'guardrail', { output: { triggered: false } });
    expect(reasons(detail(0, [passed]))).toEqual([]);
  });

  it('gives every reason, feedback first', () => {
    const steps = [step('Support', 'run', failed), step('lookup_order', 'tool', failed)];
    expect(reasons(detail(1, steps))).toEqual(['Negative feedback', 'Error in lookup_order']);
  });
});
