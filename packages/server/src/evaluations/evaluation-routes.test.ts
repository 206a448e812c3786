/**
 * On-demand evaluations over HTTP, on SQLite and PostgreSQL: POST /v1/evaluations (admin key) over ids
 * and over a list filter answers 202 with a job whose counts GET /v1/evaluations/:jobId shows when done;
 * bad requests are 400s naming the field; other keys are refused, other projects' jobs not found; a
 * collector without evaluators answers 404; in the background, conversations sent through /v1/ingest
 * get their scores once idle.
 */
import { codeEvaluator, type Evaluator, newId, type StoredScore } from '@sightline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture, message, postEvents } from '../test-fixture.ts';
import type { EvaluationJob } from './evaluation-jobs.ts';

const agentLength = codeEvaluator({
  name: 'agent-length',
  evaluate: (conversation) => {
    const answer = conversation.messages.find((m) => m.role === 'agent');
    return answer ? { value: answer.content.length } : undefined;
  },
});
const alwaysOne = codeEvaluator({ name: 'one', evaluate: () => ({ value: 1 }) });

const exchange = (conversationId: string, answer: string, agoMs = 5_000) => {
  const at = (offset: number) => new Date(Date.now() - agoMs + offset).toISOString();
  return [
    { ...message(conversationId, 'hi'), timestamp: at(0) },
    { ...message(conversationId, answer, { role: 'agent' }), timestamp: at(10) },
  ];
};

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`POST /v1/evaluations (${dialect})`, () => {
    let f: Fixture;
    const post = (body: unknown, key = f.adminKey) =>
      f.request('/v1/evaluations', {
        method: 'POST',
        key,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const job = async (jobId: string, key = f.adminKey) =>
      until(
        async () => (await (await f.request(`/v1/evaluations/${jobId}`, { key })).json()) as EvaluationJob,
        (value) => value.status !== 'running',
      );
    const scores = async (id: string) =>
      (
        (await (await f.request(`/v1/conversations/${id}`, { key: f.readKey })).json()) as {
          scores: StoredScore[];
        }
      ).scores;

    beforeAll(async () => {
      f = await createFixture({
        dialect,
        evaluations: { evaluators: [agentLength, alwaysOne], background: false },
      });
      const events = [...exchange('e-refund', 'your refund is sent'), ...exchange('e-hello', 'hello')];
      const ingest = await f.request('/v1/ingest', {
        method: 'POST',
        key: f.ingestKey,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      });
      expect(ingest.status).toBe(200);
      await f.collector.queue.drain();
    });
    afterAll(() => f.close());

    it('runs over named conversations as a job and shows its counts', async () => {
      const res = await post({
        conversationIds: ['e-refund', 'e-hello', 'e-missing'],
        evaluators: ['agent-length'],
      });
      expect(res.status).toBe(202);
      const started = (await res.json()) as EvaluationJob;
      expect(started).toMatchObject({ evaluators: ['agent-length'], jobId: expect.any(String) });
      const finished = await job(started.jobId);
      expect(finished).toMatchObject({
        status: 'done',
        counts: { conversations: 3, scored: 2, skipped: 1, failed: 0, sampledOut: 0 },
        error: null,
      });
      expect(await scores('e-refund')).toMatchObject([{ name: 'agent-length', value: 19, source: 'code' }]);
    });

    it('runs over a list filter, every evaluator by default', async () => {
      const started = (await (await post({ filter: { search: 'refund' } })).json()) as EvaluationJob;
      expect(started.evaluators).toEqual(['agent-length', 'one']);
      expect((await job(started.jobId)).counts).toMatchObject({ conversations: 1, scored: 2 });
      expect((await scores('e-hello')).map((s) => s.name)).toEqual(['agent-length']);
      const all = (await (await post({ filter: {}, evaluators: ['one'] })).json()) as EvaluationJob;
      expect((await job(all.jobId)).counts).toMatchObject({ conversations: 2, scored: 2 });
    });

    it.each([
      [
        { conversationIds: ['x'], evaluators: ['nope'] },
        'evaluators.0',
        /not an evaluator of this collector \(it has agent-length, one\)/,
      ],
      [{}, 'conversationIds', /one of them/],
      [{ conversationIds: ['x'], filter: {} }, 'conversationIds', /one of them/],
      [{ conversationIds: ['x'], sampleRate: 2 }, 'sampleRate', /1/],
      [{ filter: {}, max: 10_001 }, 'max', /at most 10000/],
      [{ filter: { hasError: true } }, 'filter.hasError', /"true" or "false"/],
      [{ filter: { scoreMin: '1' } }, 'scoreMin', /needs scoreName/],
      [
        { conversationIds: Array.from({ length: 1_001 }, (_, i) => `c${i}`) },
        'conversationIds',
        /at most 1000/,
      ],
    ])('answers 400 naming the field for %j', async (body, path, text) => {
      const res = await post(body);
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as {
        error: { message: string; issues: Array<{ path: string; message: string }> };
      };
      const issue = error.issues.find((i) => i.path === path);
      expect(issue?.message).toMatch(text);
    });

    it('takes only admin keys, and shows a job to its own project only', async () => {
      expect((await post({ conversationIds: ['e-hello'] }, f.readKey)).status).toBe(403);
      expect((await post({ conversationIds: ['e-hello'] }, f.ingestKey)).status).toBe(403);
      expect((await f.request('/v1/evaluators', { key: f.readKey })).status).toBe(403);
      const started = (await (await post({ conversationIds: ['e-hello'] })).json()) as EvaluationJob;
      expect((await f.request(`/v1/evaluations/${started.jobId}`, { key: f.otherAdminKey })).status).toBe(
        404,
      );
      expect((await f.request(`/v1/evaluations/${newId()}`, { key: f.adminKey })).status).toBe(404);
      await job(started.jobId);
      const names = await (await f.request('/v1/evaluators', { key: f.adminKey })).json();
      expect(names).toEqual({ evaluators: ['agent-length', 'one'] });
    });
  });
}

describe('evaluations on a collector', () => {
  it('answer 404 when it has no evaluators', async () => {
    const f = await createFixture();
    try {
      const res = await f.request('/v1/evaluations', {
        method: 'POST',
        key: f.adminKey,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationIds: ['x'] }),
      });
      expect(res.status).toBe(404);
      expect(await (await f.request('/v1/evaluators', { key: f.adminKey })).json()).toEqual({
        evaluators: [],
      });
    } finally {
      await f.close();
    }
  });

  it('run in the background over conversations sent through ingest once idle', async () => {
    const f = await createFixture({
      evaluations: { evaluators: [agentLength], idleSeconds: 1, intervalMs: 50, since: Date.now() - 60_000 },
    });
    try {
      const ingest = await f.request('/v1/ingest', {
        method: 'POST',
        key: f.ingestKey,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          events: [...exchange('bg-1', 'four', 3_000), ...exchange('bg-2', 'fresh', 0)],
        }),
      });
      expect(ingest.status).toBe(200);
      const read = async (id: string) => (await f.store.getConversation(f.projectId, id))?.scores ?? [];
      expect(
        await until(
          () => read('bg-1'),
          (s) => s.length > 0,
        ),
      ).toMatchObject([{ value: 4, source: 'code' }]);
      // bg-2 is idle a second after it was sent, then scored too.
      expect(
        await until(
          () => read('bg-2'),
          (s) => s.length > 0,
        ),
      ).toMatchObject([{ value: 5 }]);
      expect(f.collector.evaluations?.stats()).toMatchObject({ scored: 2, failed: 0 });
    } finally {
      await f.close();
    }
  });
});

describe('verdicts and judge runs', () => {
  // A judge that quotes the customer's address back, as a model judge may: its comment, its prompt and its
  // answer are what the runner stores.
  const quotingJudge: Evaluator = {
    name: 'quoting-judge',
    source: 'model',
    evaluate: (conversation) => {
      const asked = conversation.messages[0]?.content ?? '';
      const now = Date.now();
      return {
        value: 0,
        comment: `the agent ignored ${asked}`,
        judgeRun: {
          conversationId: `judge-${conversation.conversation.id}`,
          model: 'demo-judge',
          instructions: 'Grade the answer.',
          prompt: `Customer: ${asked}`,
          answer: `Score 0: nobody wrote to ${asked}`,
          startedAt: now - 20,
          endedAt: now,
        },
      };
    },
  };

  it('are redacted by the project rules and counted, like ingested events', async () => {
    const f = await createFixture({ evaluations: { evaluators: [quotingJudge], background: false } });
    try {
      // Stored before the rule existed: the judge reads the raw address from the store.
      expect((await postEvents(f, [message('quoted', 'write to ada@example.com')])).status).toBe(200);
      await f.collector.queue.drain();
      const settings = await f.request('/v1/project/settings', {
        method: 'PATCH',
        key: f.adminKey,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redaction: { detectors: ['email'] } }),
      });
      expect(settings.status).toBe(200);
      const started = await f.request('/v1/evaluations', {
        method: 'POST',
        key: f.adminKey,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationIds: ['quoted'] }),
      });
      const { jobId } = (await started.json()) as EvaluationJob;
      const done = await until(
        async () =>
          (await (await f.request(`/v1/evaluations/${jobId}`, { key: f.adminKey })).json()) as EvaluationJob,
        (value) => value.status !== 'running',
      );
      expect(done.counts).toMatchObject({ scored: 1, failed: 0 });
      const scored = await f.store.getConversation(f.projectId, 'quoted');
      expect(scored?.scores).toMatchObject([
        { name: 'quoting-judge', comment: 'the agent ignored write to [REDACTED:email]' },
      ]);
      const judge = await f.store.getConversation(f.projectId, 'judge-quoted');
      const texts = judge?.messages.map((m) => m.content) ?? [];
      expect(texts.join('\n')).toContain('Customer: write to [REDACTED:email]');
      expect(texts.join('\n')).toContain('Score 0: nobody wrote to write to [REDACTED:email]');
      expect(JSON.stringify(judge)).not.toContain('ada@example.com');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const health = (await (await f.request('/v1/ingestion/health', { key: f.readKey })).json()) as {
        counters: Array<{ name: string; count: number }>;
      };
      expect(health.counters.find((c) => c.name === 'redacted:email')?.count).toBeGreaterThanOrEqual(3);
    } finally {
      await f.close();
    }
  });
});
