/**
 * The review queue over HTTP, on SQLite and PostgreSQL: `GET /v1/conversations?needsReview=true` lists
 * conversations with negative customer feedback, a failed step or a tripped guardrail, until a `review`
 * score `done` is given (POST /v1/scores); `needsReview=false` lists the rest; a bad value is a 400.
 */
import { newId, REVIEW_DONE_VALUE, REVIEW_SCORE_ID, REVIEW_SCORE_NAME } from '@sightline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture, postEvents } from './test-fixture.ts';

const T0 = Date.now() - 3_600_000;
const iso = (at: number) => new Date(at).toISOString();

/** A question and its answer, then `extra` events (`kind` and body) of the same conversation. */
function conversation(conversationId: string, at: number, extra: Array<[string, object]> = []) {
  const event = (kind: string, body: object, offset: number) => ({
    id: newId(),
    type: kind,
    timestamp: iso(at + offset),
    body: { conversationId, customerId: 'ada', ...body },
  });
  return [
    event('message', { role: 'human', content: 'hi' }, 0),
    ...extra.map(([kind, body], i) => event(kind, body, 100 + i)),
    event('message', { role: 'agent', content: 'hello' }, 500),
  ];
}

/** A finished step of a kind at `at`, with more fields. */
const step = (stepId: string, type: string, at: number, more: object = {}): [string, object] => [
  'step',
  { stepId, type, name: `${type}-${stepId}`, startedAt: iso(at), durationMs: 10, ...more },
];

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`review queue: ${dialect}`, () => {
    let f: Fixture;
    const list = async (query: string) => {
      const res = await f.request(`/v1/conversations?${query}`, { key: f.readKey });
      expect(res.status).toBe(200);
      return ((await res.json()) as { data: Array<{ id: string }> }).data.map((c) => c.id).sort();
    };
    const review = (conversationId: string, value: string) =>
      f.request('/v1/scores', {
        method: 'POST',
        key: f.adminKey,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          conversationId,
          scoreId: REVIEW_SCORE_ID,
          name: REVIEW_SCORE_NAME,
          value,
          dataType: 'categorical',
          source: 'human',
        }),
      });

    beforeAll(async () => {
      f = await createFixture({ dialect, retention: false });
      const events = [
        ...conversation('negative', T0, [['feedback', { sentiment: 'negative', comment: 'wrong answer' }]]),
        ...conversation('positive', T0 + 1_000, [['feedback', { sentiment: 'positive' }]]),
        ...conversation('tool-error', T0 + 2_000, [
          step('t1', 'tool', T0 + 2_100, { error: { message: 'lookup failed' } }),
        ]),
        ...conversation('blocked', T0 + 3_000, [
          step('g1', 'guardrail', T0 + 3_100, { metadata: { triggered: true } }),
        ]),
        ...conversation('guard-passed', T0 + 4_000, [
          step('g2', 'guardrail', T0 + 4_100, { metadata: { triggered: false } }),
        ]),
      ];
      const posted = await postEvents(f, events);
      expect(posted.status, await posted.clone().text()).toBe(200);
      const other = conversation('other-negative', T0, [['feedback', { sentiment: 'negative' }]]);
      expect((await postEvents(f, other, f.otherIngestKey)).status).toBe(200);
    });
    afterAll(async () => {
      await f?.close();
    });

    it('lists negative feedback, failed steps and tripped guardrails, not the rest', async () => {
      expect(await list('needsReview=true')).toEqual(['blocked', 'negative', 'tool-error']);
      expect(await list('needsReview=false')).toEqual(['guard-passed', 'positive']);
      expect(await list('needsReview=true&hasError=true')).toEqual(['tool-error']);
    });

    it('takes a conversation out once reviewed done, and only by that value', async () => {
      expect((await review('negative', 'later')).status).toBe(201);
      expect(await list('needsReview=true')).toEqual(['blocked', 'negative', 'tool-error']);
      expect((await review('negative', REVIEW_DONE_VALUE)).status).toBe(201);
      expect(await list('needsReview=true')).toEqual(['blocked', 'tool-error']);
      expect(await list('needsReview=false')).toEqual(['guard-passed', 'negative', 'positive']);
      expect(await list(`scoreName=${REVIEW_SCORE_NAME}&scoreValue=${REVIEW_DONE_VALUE}`)).toEqual([
        'negative',
      ]);
    });

    it('refuses a bad value naming the field', async () => {
      const res = await f.request('/v1/conversations?needsReview=yes', { key: f.readKey });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('needsReview');
    });
  });
}
