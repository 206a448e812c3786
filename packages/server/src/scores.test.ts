/**
 * Scores over HTTP, on SQLite and PostgreSQL: POST /v1/scores (ingest, chat or admin keys; 400s naming
 * the field; 404 for another project's or an unknown conversation; the same scoreId replaces; hostile
 * text refused or made storable, never a 500), scores through /v1/ingest, the list's score and version
 * filters (400 naming the field for bad combinations), GET /v1/metrics/versions and the OpenAPI document.
 */
import { newId, type StoredScore, scoreReceiptSchema, versionComparisonSchema } from '@sightline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture, postEvents } from './test-fixture.ts';

const HOUR = 3_600_000;
const T0 = Date.now() - 6 * HOUR;
const iso = (at: number) => new Date(at).toISOString();

/** One answered turn: a question, a run (a model call, a tool call) stamped with `version`, an answer. */
function turn(
  conversationId: string,
  version: string,
  options: { at: number; runMs: number; toolError?: boolean },
) {
  const ctx = { conversationId, customerId: `cust-${conversationId}`, agentVersion: version };
  const runId = `${conversationId}-run`;
  const step = (body: Record<string, unknown>, at: number, ms: number) => ({
    id: newId(),
    type: 'step',
    timestamp: iso(at),
    body: { ...ctx, startedAt: iso(at), endedAt: iso(at + ms), durationMs: ms, ...body },
  });
  return [
    {
      id: newId(),
      type: 'message',
      timestamp: iso(options.at),
      body: { ...ctx, role: 'human', content: 'hi' },
    },
    step({ stepId: runId, type: 'run', name: 'Agent run' }, options.at, options.runMs),
    step(
      {
        stepId: `${conversationId}-llm`,
        parentId: runId,
        type: 'llm',
        name: 'demo',
        usage: { model: 'demo', inputTokens: 10, outputTokens: 5, costUsd: 0.25 },
      },
      options.at + 10,
      100,
    ),
    step(
      {
        stepId: `${conversationId}-tool`,
        parentId: runId,
        type: 'tool',
        name: 'lookup',
        ...(options.toolError ? { error: { message: 'lookup failed' } } : {}),
      },
      options.at + 200,
      20,
    ),
    {
      id: newId(),
      type: 'message',
      timestamp: iso(options.at + options.runMs),
      body: { ...ctx, role: 'agent', content: 'hello', messageId: `${conversationId}-answer` },
    },
  ];
}

interface ErrorBody {
  error: { code: string; message: string; issues?: Array<{ path: string; message: string }> };
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`scores over HTTP: ${dialect}`, () => {
    let f: Fixture;

    const score = (body: unknown, key = f.adminKey, contentType = 'application/json') =>
      f.request('/v1/scores', {
        method: 'POST',
        key,
        headers: { 'content-type': contentType },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const scoresOf = async (conversationId: string): Promise<StoredScore[]> => {
      const res = await f.request(`/v1/conversations/${conversationId}`, { key: f.readKey });
      expect(res.status).toBe(200);
      return ((await res.json()) as { scores: StoredScore[] }).scores;
    };
    const refused = async (res: Response, status = 400) => {
      expect(res.status).toBe(status);
      return ((await res.json()) as ErrorBody).error;
    };
    const list = async (query: string) => {
      const res = await f.request(`/v1/conversations?${query}`, { key: f.readKey });
      expect(res.status).toBe(200);
      return ((await res.json()) as { data: Array<{ id: string }> }).data.map((c) => c.id).sort();
    };

    beforeAll(async () => {
      f = await createFixture({ dialect, retention: false });
      const events = [
        ...turn('conv-a', 'support@aaaa', { at: T0, runMs: 1_000 }),
        ...turn('conv-b', 'support@bbbb', { at: T0 + HOUR, runMs: 3_000, toolError: true }),
        ...turn('conv-c', 'support@bbbb', { at: T0 + 2 * HOUR, runMs: 2_000 }),
      ];
      const posted = await postEvents(f, events);
      expect(posted.status, await posted.clone().text()).toBe(200);
      const other = [{ ...turn('conv-other', 'support@aaaa', { at: T0, runMs: 500 })[0] }];
      expect((await postEvents(f, other, f.otherIngestKey)).status).toBe(200);
    });
    afterAll(async () => {
      await f?.close();
    });

    it('takes ingest, chat and admin keys, not read keys or none', async () => {
      for (const [key, name] of [
        [f.ingestKey, 'from-ingest'],
        [f.chatKey, 'from-chat'],
        [f.adminKey, 'from-admin'],
      ] as const) {
        const res = await score({ conversationId: 'conv-a', name, value: 1 }, key);
        expect(res.status).toBe(201);
        const receipt = scoreReceiptSchema.parse(await res.json());
        expect(receipt.conversationId).toBe('conv-a');
      }
      const read = await refused(
        await score({ conversationId: 'conv-a', name: 'x', value: 1 }, f.readKey),
        403,
      );
      expect(read.message).toContain('ingest, chat or admin key');
      const none = await f.request('/v1/scores', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: 'conv-a', name: 'x', value: 1 }),
      });
      expect(none.status).toBe(401);
      const names = (await scoresOf('conv-a')).map((s) => s.name).sort();
      expect(names).toEqual(['from-admin', 'from-chat', 'from-ingest']);
    });

    it('records a thumb on a message as human, with its comment, and replaces it by scoreId', async () => {
      const first = await score({
        conversationId: 'conv-b',
        messageId: 'conv-b-answer',
        name: 'thumbs',
        value: true,
        comment: 'nice',
        scoreId: 'thumb-b',
      });
      expect(first.status).toBe(201);
      expect(await first.json()).toEqual({ id: 'thumb-b', conversationId: 'conv-b' });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await score({
        conversationId: 'conv-b',
        messageId: 'conv-b-answer',
        name: 'thumbs',
        value: false,
        comment: 'wrong after all',
        scoreId: 'thumb-b',
      });
      expect(second.status).toBe(201);
      const thumbs = (await scoresOf('conv-b')).filter((s) => s.name === 'thumbs');
      expect(thumbs).toEqual([
        expect.objectContaining({
          id: 'thumb-b',
          messageId: 'conv-b-answer',
          stepId: null,
          dataType: 'boolean',
          value: false,
          source: 'human',
          comment: 'wrong after all',
          agentVersion: 'support@bbbb',
        }),
      ]);
    });

    it('keeps a source given, on a step, and takes categorical values', async () => {
      const res = await score({
        conversationId: 'conv-c',
        stepId: 'conv-c-tool',
        name: 'topic',
        value: 'billing',
        dataType: 'categorical',
        source: 'model',
      });
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      const stored = (await scoresOf('conv-c')).find((s) => s.id === id);
      expect(stored).toMatchObject({ stepId: 'conv-c-tool', source: 'model', value: 'billing' });
    });

    it('answers 404 for an unknown conversation and for another project’s', async () => {
      for (const conversationId of ['nope', 'conv-other']) {
        const error = await refused(await score({ conversationId, name: 'x', value: 1 }), 404);
        expect(error.issues).toEqual([{ path: 'conversationId', message: 'no such conversation' }]);
      }
    });

    it('names the field of bad input', async () => {
      const cases: Array<[unknown, string]> = [
        [{ conversationId: 'conv-a', value: 1 }, 'name'],
        [{ conversationId: 'conv-a', name: 'n' }, 'value'],
        [{ name: 'n', value: 1 }, 'conversationId'],
        [{ conversationId: 'conv-a', name: 'n', value: 'x', dataType: 'numeric' }, 'value'],
        [{ conversationId: 'conv-a', name: 'n', value: 1, source: 'robot' }, 'source'],
        [{ conversationId: 'conv-a', name: 'n', value: 1, messageId: 'm', stepId: 's' }, 'stepId'],
        [{ conversationId: 'conv-a', name: 'n', value: Number.MAX_VALUE }, 'value'],
        [{ conversationId: 'conv-a', name: 'x'.repeat(201), value: 1 }, 'name'],
        [{ conversationId: 'conv-a', name: 'n', value: 1, comment: 'c'.repeat(10_001) }, 'comment'],
        [{ conversationId: 'conv-a', name: 'bad\u0000name', value: 1 }, 'name'],
        [{ conversationId: 'conv-a', name: 'lone\ud800', value: 1 }, 'name'],
        [{ conversationId: 'conv-a', name: 'n', value: 'cat\u0007' }, 'value'],
      ];
      for (const [body, field] of cases) {
        const error = await refused(await score(body));
        expect(error.issues?.map((issue) => issue.path)).toContain(field);
      }
      expect((await refused(await score([1, 2]))).code).toBe('invalid_request');
      expect((await refused(await score('{"conversationId":'))).code).toBe('invalid_json');
      expect(
        (await score({ conversationId: 'conv-a', name: 'n', value: 1 }, f.adminKey, 'text/plain')).status,
      ).toBe(415);
      const huge = { conversationId: 'conv-a', name: 'n', value: 1, comment: 'x'.repeat(70_000) };
      expect((await score(huge)).status).toBe(413);
    });

    it('stores NUL and lone surrogates in a comment as U+FFFD, never a 500', async () => {
      const raw = '{"conversationId":"conv-a","name":"noted","value":2,"comment":"a\\u0000b\\ud800c"}';
      const res = await score(raw);
      expect(res.status).toBe(201);
      const noted = (await scoresOf('conv-a')).find((s) => s.name === 'noted');
      expect(noted?.comment).toBe('a\ufffdb\ufffdc');
    });

    it('takes score events on /v1/ingest too (source code by default)', async () => {
      const event = {
        id: newId(),
        type: 'score',
        timestamp: iso(T0 + 3 * HOUR),
        body: { conversationId: 'conv-c', name: 'resolved', value: true, scoreId: 'resolved-c' },
      };
      expect((await postEvents(f, [event])).status).toBe(200);
      expect((await scoresOf('conv-c')).find((s) => s.id === 'resolved-c')).toMatchObject({
        source: 'code',
        value: true,
      });
    });

    it('filters the list by score and agent version', async () => {
      expect(await list('scoreName=thumbs')).toEqual(['conv-b']);
      expect(await list('scoreName=thumbs&scoreValue=false')).toEqual(['conv-b']);
      expect(await list('scoreName=thumbs&scoreValue=true')).toEqual([]);
      expect(await list('scoreName=topic&scoreValue=billing&scoreSource=model')).toEqual(['conv-c']);
      expect(await list('scoreName=from-admin&scoreMin=0.5&scoreMax=1')).toEqual(['conv-a']);
      expect(await list('scoreName=from-admin&scoreMin=2')).toEqual([]);
      expect(await list('agentVersion=support%40bbbb')).toEqual(['conv-b', 'conv-c']);
    });

    it('refuses bad score filter combinations naming the field', async () => {
      const cases: Array<[string, string]> = [
        ['scoreMin=1', 'scoreMin'],
        ['scoreSource=human', 'scoreSource'],
        ['scoreName=t&scoreValue=x&scoreMin=1', 'scoreValue'],
        ['scoreName=t&scoreMin=2&scoreMax=1', 'scoreMin'],
        ['scoreName=t&scoreSource=robot', 'scoreSource'],
        ['scoreName=t&scoreMin=abc', 'scoreMin'],
        ['scoreName=t%00', 'query.scoreName'],
      ];
      for (const [query, field] of cases) {
        const res = await f.request(`/v1/conversations?${query}`, { key: f.readKey });
        const error = await refused(res);
        expect(error.issues?.map((issue) => issue.path)).toContain(field);
      }
    });

    it('compares agent versions side by side', async () => {
      const range = `from=${iso(T0 - HOUR)}&to=${iso(T0 + 8 * HOUR)}`;
      const res = await f.request(`/v1/metrics/versions?${range}`, { key: f.readKey });
      expect(res.status).toBe(200);
      const raw = await res.json();
      const body = versionComparisonSchema.parse(raw);
      expect(body).toEqual(raw); // exactly the schema's fields
      const byName = new Map(body.versions.map((v) => [v.agentVersion, v]));
      expect([...byName.keys()].sort()).toEqual(['support@aaaa', 'support@bbbb']);
      expect(byName.get('support@aaaa')).toMatchObject({
        runs: 1,
        toolCalls: 1,
        toolErrors: 0,
        costUsd: 0.25,
      });
      expect(byName.get('support@bbbb')).toMatchObject({
        runs: 2,
        conversations: 2,
        toolCalls: 2,
        toolErrors: 1,
        toolErrorRate: 0.5,
        costUsd: 0.5,
        costPerRun: 0.25,
        runP95Ms: expect.any(Number),
      });
      const thumbs = byName.get('support@bbbb')?.scores.find((s) => s.name === 'thumbs');
      expect(thumbs).toMatchObject({ source: 'human', count: 1, average: 0 });

      const one = await f.request(`/v1/metrics/versions?${range}&version=support%40aaaa`, {
        key: f.adminKey,
      });
      expect(one.status).toBe(200);
      const only = versionComparisonSchema.parse(await one.json());
      expect(only.versions.map((v) => v.agentVersion)).toEqual(['support@aaaa']);
    });

    it('refuses bad version comparisons naming the field, and non-read keys', async () => {
      const range = `from=${iso(T0)}&to=${iso(T0 + HOUR)}`;
      const eleven = Array.from({ length: 11 }, (_, i) => `version=v${i}`).join('&');
      const cases: Array<[string, string]> = [
        [`${eleven}&${range}`, 'version'],
        [`from=${iso(T0)}`, 'to'],
        [`from=${iso(T0 + HOUR)}&to=${iso(T0)}`, 'from'],
        [`from=2020-01-01T00:00:00Z&to=2023-01-01T00:00:00Z`, 'to'],
        [`${range}&version=bad%00`, 'query.version'],
      ];
      for (const [query, field] of cases) {
        const error = await refused(await f.request(`/v1/metrics/versions?${query}`, { key: f.readKey }));
        expect(error.issues?.map((issue) => issue.path)).toContain(field);
      }
      for (const key of [f.ingestKey, f.chatKey]) {
        expect((await f.request(`/v1/metrics/versions?${range}`, { key })).status).toBe(403);
      }
      const other = await f.request(`/v1/metrics/versions?${range}`, { key: f.otherReadKey });
      expect(versionComparisonSchema.parse(await other.json()).versions).toEqual([]);
    });

    it('documents both routes in /openapi.json', async () => {
      const doc = (await (await f.request('/openapi.json')).json()) as {
        paths: Record<string, Record<string, unknown>>;
        components: { schemas: Record<string, unknown> };
      };
      expect(doc.paths['/v1/scores']?.post).toBeDefined();
      expect(doc.paths['/v1/metrics/versions']?.get).toBeDefined();
      expect(Object.keys(doc.components.schemas)).toEqual(
        expect.arrayContaining(['ScoreReceipt', 'VersionComparison', 'AgentVersionMetrics']),
      );
    });
  });
}
