import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveRun } from './live-run.ts';
import { LiveRuns } from './live-runs.ts';

function liveRun(runId: string, conversationId = `conversation-${runId}`): LiveRun {
  return new LiveRun({
    runId,
    agent: 'a',
    conversationId,
    userId: 'alice',
    customerId: 'alice',
    stream: false,
  });
}

function finish(runs: LiveRuns, run: LiveRun): void {
  const { runId, conversationId, trackedConversationId } = run;
  run.finish({ runId, conversationId, trackedConversationId, agent: 'a', status: 'completed' });
  runs.settledOne(run);
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('LiveRuns', () => {
  it('counts running runs and forgets each finished run keepFinishedMs after it ended', () => {
    const runs = new LiveRuns({ keepFinishedMs: 1000 });
    const first = liveRun('first');
    const second = liveRun('second');
    runs.add(first);
    runs.add(second);
    expect(runs.runningCount).toBe(2);
    finish(runs, first);
    expect(runs.runningCount).toBe(1);
    vi.advanceTimersByTime(500);
    finish(runs, second);
    expect(runs.runningCount).toBe(0);
    vi.advanceTimersByTime(600);
    expect(runs.get('first', 'alice')).toBeUndefined();
    expect(runs.latestOf('conversation-first', 'alice')).toBeUndefined();
    expect(runs.get('second', 'alice')).toBe(second);
    vi.advanceTimersByTime(500);
    expect(runs.get('second', 'alice')).toBeUndefined();
  });

  it('keeps a run that resumed before its time was up, and counts it running again', () => {
    const runs = new LiveRuns({ keepFinishedMs: 1000 });
    const paused = liveRun('paused');
    runs.add(paused);
    finish(runs, paused);
    vi.advanceTimersByTime(900);
    paused.resume();
    runs.add(paused);
    expect(runs.runningCount).toBe(1);
    vi.advanceTimersByTime(5000);
    expect(runs.get('paused', 'alice')).toBe(paused);
    finish(runs, paused);
    vi.advanceTimersByTime(999);
    expect(runs.get('paused', 'alice')).toBe(paused);
    vi.advanceTimersByTime(1);
    expect(runs.get('paused', 'alice')).toBeUndefined();
  });

  it('holds at most maxRuns, dropping the oldest finished ones, never a running one', () => {
    const runs = new LiveRuns({ keepFinishedMs: 60_000, maxRuns: 2 });
    const working = liveRun('working');
    runs.add(working);
    const done = liveRun('done');
    runs.add(done);
    finish(runs, done);
    runs.add(liveRun('third'));
    expect(runs.get('done', 'alice')).toBeUndefined();
    expect(runs.get('working', 'alice')).toBe(working);
    expect(runs.runningCount).toBe(2);
  });
});
