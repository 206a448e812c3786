/**
 * Scores from the tracker: `conversation.score(...)` and `tracker.score({ conversationId, ... })` send
 * a `score` event through the background exporter (the fake collector parses it with core's rules);
 * bad input is a TrackerError naming the field, reported to onError and counted as dropped, never thrown.
 */
import { LIMITS } from '@sightline/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrackerError } from './errors.ts';
import { type FakeCollector, startFakeCollector } from './testing/fake-collector.ts';
import { createTracker, type Tracker } from './tracker.ts';
import type { ScoreOptions } from './tracking-options.ts';

let collector: FakeCollector;
let errors: TrackerError[];
let trackers: Tracker[];

function make(options: Parameters<typeof createTracker>[0] = {}): Tracker {
  const tracker = createTracker({
    endpoint: collector.url,
    apiKey: 'sl_ingest_test',
    onError: (error) => errors.push(error),
    flushIntervalMs: 50,
    ...options,
  });
  trackers.push(tracker);
  return tracker;
}

beforeEach(async () => {
  collector = await startFakeCollector({ apiKey: 'sl_ingest_test' });
  errors = [];
  trackers = [];
});

afterEach(async () => {
  await Promise.all(trackers.map((tracker) => tracker.shutdown({ timeoutMs: 1000 })));
  await collector.stop();
});

const scoresOf = (conversationId: string) =>
  collector
    .eventsOf(conversationId)
    .filter((event) => event.type === 'score')
    .map((event) => event.body);

describe('scores from the tracker', () => {
  it('scores a conversation, a message and a step on a handle, with the score source, not the conversation one', async () => {
    const tracker = make({ environment: 'staging' });
    const convo = tracker.conversation('scored', { customerId: 'cust-1', source: 'web' });
    const answer = convo.trackAgentMessage('hello');
    const stepId = convo.trackAction({ name: 'lookup', type: 'tool' });
    const at = new Date(Date.now() - 60_000);
    const thumb = convo.score({
      name: 'thumbs',
      value: true,
      source: 'human',
      messageId: answer,
      comment: 'spot on',
      scoreId: 'thumb-1',
      timestamp: at,
    });
    const grade = convo.score({ name: 'helpfulness', value: 0.75, source: 'model', judgeRunId: 'judge-7' });
    const label = convo.score({ name: 'tool-use', value: 'correct', dataType: 'categorical', stepId });
    expect(thumb).toBe('thumb-1');
    expect(typeof grade).toBe('string');

    const summary = await tracker.flush();
    expect(summary).toMatchObject({ ok: true, sent: 5, failed: 0, byType: { score: 3 } });
    expect(errors).toEqual([]);
    const events = collector.eventsOf('scored').filter((event) => event.type === 'score');
    expect(events[0]?.timestamp).toBe(at.getTime());
    expect(events.map((event) => event.body)).toEqual([
      {
        conversationId: 'scored',
        customerId: 'cust-1',
        environment: 'staging',
        scoreId: 'thumb-1',
        messageId: answer,
        name: 'thumbs',
        value: true,
        source: 'human',
        comment: 'spot on',
      },
      {
        conversationId: 'scored',
        customerId: 'cust-1',
        environment: 'staging',
        judgeRunId: 'judge-7',
        name: 'helpfulness',
        value: 0.75,
        source: 'model',
      },
      {
        conversationId: 'scored',
        customerId: 'cust-1',
        environment: 'staging',
        stepId,
        name: 'tool-use',
        value: 'correct',
        dataType: 'categorical',
        source: 'code', // core's default when the tracker sends none
      },
    ]);
    expect(events.map((event) => (event.body.scoreId as string | undefined) ?? event.id)).toEqual([
      'thumb-1',
      grade,
      label,
    ]);
  });

  it('scores by conversation id later (an evaluation job), or the current conversation', async () => {
    const tracker = make();
    const id = tracker.score({ conversationId: 'earlier', name: 'resolved', value: false });
    const handle = tracker.conversation('ambient');
    const ambient = tracker.runInConversation(handle, () => tracker.score({ name: 'csat', value: 4 }));
    expect(tracker.score({ name: 'orphan', value: 1 })).toBeUndefined();
    await tracker.flush();
    expect(scoresOf('earlier')).toMatchObject([{ name: 'resolved', value: false }]);
    expect(scoresOf('ambient')).toMatchObject([{ name: 'csat', value: 4 }]);
    expect(typeof id).toBe('string');
    expect(typeof ambient).toBe('string');
    expect(tracker.stats().dropped.reasons).toMatchObject({ no_conversation: 1 });
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringContaining('score: no conversation in the current async context'),
    ]);
  });

  it('reports bad scores by field to onError and drops them, without throwing', async () => {
    const tracker = make();
    const convo = tracker.conversation('bad-scores');
    const cases: Array<[unknown, string]> = [
      [{ value: 1 }, 'score.name'],
      [{ name: 'n' }, 'score.value'],
      [{ name: 'n', value: Number.NaN }, 'score.value'],
      [{ name: 'n', value: LIMITS.maxScoreMagnitude * 10 }, 'score.value'],
      [{ name: 'n', value: { nested: 1 } }, 'score.value'],
      [{ name: 'n', value: 'x', dataType: 'numeric' }, 'score.value'],
      [{ name: 'n', value: 1, source: 'robot' }, 'score.source'],
      [{ name: 'n', value: 1, messageId: 'm', stepId: 's' }, 'score.stepId'],
      [{ name: 'n', value: 1, comment: 'c'.repeat(LIMITS.maxCommentLength + 1) }, 'score.comment'],
      [{ name: 'bad\u0000name', value: 1 }, 'score.name'],
      [{ name: 'lone\ud800', value: 1 }, 'score.name'],
      [{ name: 'n', value: 1, scoreId: '' }, 'score.scoreId'],
      [null, 'score'],
    ];
    expect(() => {
      for (const [options] of cases) convo.score(options as ScoreOptions);
    }).not.toThrow();
    expect(errors).toHaveLength(cases.length);
    errors.forEach((error, index) => {
      expect(error).toMatchObject({ name: 'TrackerError', code: 'invalid_request' });
      expect(error.issues.map((issue) => issue.path)).toContain(cases[index]?.[1]);
      expect(error.message.startsWith(`${error.issues[0]?.path}: `)).toBe(true);
    });
    expect(tracker.stats().dropped.reasons).toMatchObject({ invalid_input: cases.length });
    convo.score({ name: 'fine', value: 1 });
    await tracker.flush();
    expect(scoresOf('bad-scores').map((body) => body.name)).toEqual(['fine']);
  });

  it('keeps a beforeSend change within the rules: an unknown source is left out (the collector says code)', async () => {
    const tracker = make({
      beforeSend: (event) => {
        if (event.type === 'score') (event.body as Record<string, unknown>).source = 'somebody';
        return event;
      },
    });
    tracker.conversation('rewritten', { source: 'web' }).score({ name: 'n', value: 2, source: 'human' });
    const summary = await tracker.flush();
    expect(summary).toMatchObject({ ok: true, failed: 0 });
    expect(scoresOf('rewritten')).toMatchObject([{ name: 'n', value: 2, source: 'code' }]);
  });
});
