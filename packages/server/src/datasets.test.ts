/**
 * Datasets and experiments over HTTP, on SQLite and PostgreSQL: an admin key creates a dataset, adds
 * conversations by id and by the list's filters, records an experiment and its items; read keys read
 * them and the comparison (per-item answers, tool calls, scores and deltas, summaries), and cannot
 * write (403); every answer is exactly its core schema; bad input is a 400 naming the field; erasure
 * takes the items along and says so in the receipt.
 */
import {
  datasetDeletedSchema,
  datasetDetailSchema,
  datasetItemsAddedSchema,
  datasetListSchema,
  datasetSchema,
  type ExperimentComparison,
  erasureReceiptSchema,
  experimentComparisonSchema,
  experimentDetailSchema,
  experimentItemSchema,
  experimentSchema,
  newId,
} from '@sightline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createFixture, type Fixture, postEvents } from './test-fixture.ts';

const T0 = Date.now() - 3_600_000;
const at = (ms: number) => new Date(T0 + ms).toISOString();

/** A conversation: one question, an answer, a tool call (failed or not) and a conversation score. */
function exchange(
  conversationId: string,
  options: {
    customerId?: string;
    answer: string;
    tool: string;
    failed?: boolean;
    score: number | boolean;
    at: number;
  },
) {
  const context = {
    conversationId,
    agentVersion: `v-${options.answer.length}`,
    ...(options.customerId ? { customerId: options.customerId } : {}),
  };
  const event = (type: string, ms: number, body: Record<string, unknown>) => ({
    id: newId(),
    type,
    timestamp: at(options.at + ms),
    body: { ...context, ...body },
  });
  return [
    event('message', 0, { role: 'human', content: `question of ${conversationId.replace(/-.*$/, '')}` }),
    event('step', 1, {
      stepId: `tool-${conversationId}`,
      type: 'tool',
      name: options.tool,
      startedAt: at(options.at + 1),
      durationMs: 10,
      ...(options.failed ? { error: { message: 'failed' } } : {}),
    }),
    event('message', 20, { role: 'agent', content: options.answer }),
    event('score', 30, { name: 'correct', value: options.score, source: 'code' }),
    event('score', 31, { name: 'experiment', value: 'tag', dataType: 'categorical', source: 'code' }),
  ];
}

function expectExactly(schema: z.ZodType, body: unknown): void {
  const parsed = schema.safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  expect(parsed.data).toEqual(body);
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`datasets and experiments over HTTP (${dialect})`, () => {
    let f: Fixture;
    const send = (method: string, path: string, body?: unknown, key = f.adminKey) =>
      f.request(path, {
        method,
        key,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
    const ok = async (response: Response | Promise<Response>, status = 200) => {
      const answer = await response;
      const body = await answer.json();
      expect(answer.status, JSON.stringify(body)).toBe(status);
      return body;
    };
    const refused = async (response: Promise<Response>, status: number, path?: string) => {
      const answer = await response;
      const body = await answer.json();
      expect(answer.status, JSON.stringify(body)).toBe(status);
      if (path) expect(body.error.issues?.map((issue: { path: string }) => issue.path)).toContain(path);
      return body;
    };

    beforeAll(async () => {
      f = await createFixture({ dialect });
      const events = [
        ...exchange('alpha-src', { customerId: 'ada', answer: 'alpha one', tool: 'lookup', score: 1, at: 0 }),
        ...exchange('beta-src', { customerId: 'ada', answer: 'beta', tool: 'lookup', score: true, at: 100 }),
        ...exchange('gamma-src', { customerId: 'bob', answer: 'gamma', tool: 'search', score: 0.5, at: 200 }),
        ...exchange('alpha-new', { answer: 'alpha two', tool: 'create', failed: true, score: 0, at: 1000 }),
        ...exchange('beta-new', { answer: 'beta', tool: 'lookup', score: false, at: 1100 }),
        ...exchange('alpha-v3', { answer: 'alpha three', tool: 'lookup', score: 0.5, at: 2000 }),
      ];
      expect((await postEvents(f, events)).status).toBe(200);
    });
    afterAll(async () => {
      await f.close();
    });

    it('takes keys by scope: read keys read and cannot write (403), no key 401, other projects 404', async () => {
      await ok(send('POST', '/v1/datasets', { name: 'scoped' }), 201);
      await refused(send('POST', '/v1/datasets', { name: 'by-reader' }, f.readKey), 403);
      await refused(
        send('POST', '/v1/datasets/scoped/items', { conversationIds: ['alpha-src'] }, f.readKey),
        403,
      );
      await refused(send('DELETE', '/v1/datasets/scoped', undefined, f.readKey), 403);
      await refused(send('POST', '/v1/experiments', { datasetId: 'scoped', name: 'e' }, f.readKey), 403);
      await refused(send('GET', '/v1/datasets', undefined, f.ingestKey), 403);
      await refused(send('GET', '/v1/datasets', undefined, ''), 401);
      expect(
        (await ok(send('GET', '/v1/datasets', undefined, f.readKey))).items.map(
          (d: { name: string }) => d.name,
        ),
      ).toContain('scoped');
      await refused(send('GET', '/v1/datasets/scoped', undefined, f.otherReadKey), 404);
      expect(await ok(send('GET', '/v1/datasets', undefined, f.otherReadKey))).toEqual({ items: [] });
    });

    it('creates a dataset, adds conversations by id and by filter, records and compares experiments', async () => {
      const dataset = await ok(send('POST', '/v1/datasets', { name: 'notes', description: 'three' }), 201);
      expectExactly(datasetSchema, dataset);
      await refused(send('POST', '/v1/datasets', { name: 'notes' }), 409, 'name');
      const byId = await ok(
        send('POST', '/v1/datasets/notes/items', { conversationIds: ['alpha-src', 'nope'] }),
      );
      expectExactly(datasetItemsAddedSchema, byId);
      expect(byId.added.map((item: { turns: unknown }) => item.turns)).toEqual([
        [{ human: 'question of alpha', expected: 'alpha one' }],
      ]);
      expect(byId.skipped).toEqual([{ conversationId: 'nope', reason: 'not_found' }]);
      const byFilter = await ok(
        send('POST', `/v1/datasets/${dataset.id}/items`, { filter: { customerId: 'ada' }, max: 10 }),
      );
      expect(
        byFilter.added.map((item: { sourceConversationId: string }) => item.sourceConversationId),
      ).toEqual(['beta-src']);
      expect(byFilter.skipped).toEqual([{ conversationId: 'alpha-src', reason: 'already_in_dataset' }]);
      const detail = await ok(send('GET', '/v1/datasets/notes', undefined, f.readKey));
      expectExactly(datasetDetailSchema, detail);
      expect(detail.dataset.itemCount).toBe(2);
      const [alpha, beta] = detail.items as Array<{ id: string }>;
      if (!alpha || !beta) throw new Error('items missing');

      const experiment = await ok(
        send('POST', '/v1/experiments', {
          datasetId: 'notes',
          name: 'B',
          agent: 'notes',
          agentVersion: 'v-b',
        }),
        201,
      );
      expectExactly(experimentSchema, experiment);
      await refused(send('POST', '/v1/experiments', { datasetId: dataset.id, name: 'B' }), 409, 'name');
      const put = (experimentId: string, itemId: string, conversationId: string, status = 'completed') =>
        send('PUT', `/v1/experiments/${experimentId}/items/${itemId}`, { conversationId, status });
      expectExactly(
        experimentItemSchema,
        await ok(put(experiment.id, alpha.id, 'beta-new', 'turn 1: awaiting_approval')),
      );
      expect(await ok(put(experiment.id, alpha.id, 'alpha-new'))).toEqual({
        itemId: alpha.id,
        conversationId: 'alpha-new',
        status: 'completed',
      });
      await ok(put(experiment.id, beta.id, 'beta-new'));
      await refused(put(experiment.id, 'no-item', 'beta-new'), 404, 'itemId');
      await refused(put(experiment.id, beta.id, 'no-conversation'), 404, 'conversationId');
      await refused(put('no-experiment', beta.id, 'beta-new'), 404, 'experimentId');
      const read = await ok(send('GET', `/v1/experiments/${experiment.id}`, undefined, f.readKey));
      expectExactly(experimentDetailSchema, read);
      expect(read.experiment.itemCount).toBe(2);

      const comparison = (await ok(
        send('GET', `/v1/experiments/compare?candidate=${experiment.id}`, undefined, f.readKey),
      )) as ExperimentComparison;
      expectExactly(experimentComparisonSchema, comparison);
      expect(comparison.base).toBeNull();
      expect(comparison.changedItems).toBe(1);
      const [first, second] = comparison.items;
      expect(first).toMatchObject({
        itemId: alpha.id,
        sourceConversationId: 'alpha-src',
        humanTurns: ['question of alpha'],
        answersChanged: true,
        toolCallsChanged: true,
        scoreDeltas: { correct: -1 },
        base: {
          conversationId: 'alpha-src',
          status: 'source',
          answers: ['alpha one'],
          toolCalls: ['lookup'],
          toolErrors: 0,
          scores: { correct: 1 },
        },
        candidate: {
          conversationId: 'alpha-new',
          status: 'completed',
          agentVersion: 'v-9',
          answers: ['alpha two'],
          toolCalls: ['create'],
          toolErrors: 1,
          scores: { correct: 0 },
        },
      });
      expect(second).toMatchObject({
        answersChanged: false,
        toolCallsChanged: false,
        scoreDeltas: { correct: -1 },
      });
      expect(comparison.summary).toMatchObject({
        base: { items: 2, meanScores: { correct: 1 }, toolErrors: 0 },
        candidate: { items: 2, meanScores: { correct: 0 }, toolErrors: 1 },
      });
      expect(comparison.summary.candidate.durationMsP50).toBeGreaterThan(0);

      // A second experiment compared with the first: the first is the base.
      const third = await ok(send('POST', '/v1/experiments', { datasetId: dataset.id, name: 'C' }), 201);
      await ok(put(third.id, alpha.id, 'alpha-v3'));
      const versus = (await ok(
        send(
          'GET',
          `/v1/experiments/compare?candidate=${third.id}&base=${experiment.id}`,
          undefined,
          f.readKey,
        ),
      )) as ExperimentComparison;
      expect(versus.base?.id).toBe(experiment.id);
      expect(versus.items[0]).toMatchObject({ scoreDeltas: { correct: 0.5 }, answersChanged: true });
      expect(versus.items[1]).toMatchObject({ candidate: null, answersChanged: false, scoreDeltas: {} });
      expect(versus.summary.candidate.items).toBe(1);

      const elsewhere = await ok(send('POST', '/v1/datasets', { name: 'elsewhere' }), 201);
      const foreign = await ok(send('POST', '/v1/experiments', { datasetId: elsewhere.id, name: 'X' }), 201);
      await refused(
        send('GET', `/v1/experiments/compare?candidate=${third.id}&base=${foreign.id}`, undefined, f.readKey),
        400,
        'base',
      );
      await refused(
        send('GET', '/v1/experiments/compare?candidate=nope', undefined, f.readKey),
        404,
        'candidate',
      );
      await refused(
        send('GET', `/v1/experiments/compare?candidate=${third.id}&base=nope`, undefined, f.readKey),
        404,
        'base',
      );
      await refused(send('GET', '/v1/experiments/compare', undefined, f.readKey), 400, 'candidate');
      await refused(send('GET', '/v1/experiments/nope', undefined, f.readKey), 404);
    });

    it('deletes an item and a dataset with what is in it; erasure takes items along and counts them', async () => {
      await ok(send('POST', '/v1/datasets', { name: 'to-delete' }), 201);
      const { added } = await ok(
        send('POST', '/v1/datasets/to-delete/items', { conversationIds: ['gamma-src', 'beta-src'] }),
      );
      const experiment = await ok(
        send('POST', '/v1/experiments', { datasetId: 'to-delete', name: 'E' }),
        201,
      );
      await ok(
        send('PUT', `/v1/experiments/${experiment.id}/items/${added[1].id}`, {
          conversationId: 'beta-new',
          status: 'completed',
        }),
      );
      expect(await ok(send('DELETE', `/v1/datasets/to-delete/items/${added[0].id}`))).toEqual({
        deleted: true,
      });
      await refused(send('DELETE', `/v1/datasets/to-delete/items/${added[0].id}`), 404);

      const receipt = await ok(send('DELETE', '/v1/conversations/beta-new'));
      expectExactly(erasureReceiptSchema, receipt);
      // beta-new was recorded in 'notes' (experiment B) and in 'to-delete' (experiment E).
      expect(receipt.datasets).toEqual({ datasetItems: 0, experimentItems: 2, replayConversations: 0 });
      const customer = await ok(send('DELETE', '/v1/customers/ada'));
      // alpha-src and beta-src: in 'notes', beta-src in 'to-delete' too; experiment C's item of alpha.
      // The replays of alpha-src's item (alpha-new, alpha-v3) held ada's turns: they go too.
      expect(customer.datasets).toEqual({ datasetItems: 3, experimentItems: 2, replayConversations: 2 });
      for (const id of ['alpha-new', 'alpha-v3'])
        await refused(send('GET', `/v1/conversations/${id}`, undefined, f.readKey), 404);
      const left = await ok(send('GET', '/v1/datasets/to-delete', undefined, f.readKey));
      expect(left.items).toEqual([]);

      const deleted = await ok(send('DELETE', '/v1/datasets/to-delete'));
      expectExactly(datasetDeletedSchema, deleted);
      expect(deleted).toEqual({ deleted: { items: 0, experiments: 1 } });
      await refused(send('DELETE', '/v1/datasets/to-delete'), 404);
      expectExactly(datasetListSchema, await ok(send('GET', '/v1/datasets', undefined, f.readKey)));
    });

    it('refuses bad input with a 400 naming the field, and never stores it', async () => {
      await ok(send('POST', '/v1/datasets', { name: 'strict' }), 201);
      const cases: Array<[string, string, unknown, string]> = [
        ['POST', '/v1/datasets', {}, 'name'],
        ['POST', '/v1/datasets', { name: '' }, 'name'],
        ['POST', '/v1/datasets', { name: 'x'.repeat(201) }, 'name'],
        ['POST', '/v1/datasets', '{"name":"a\\u0000b"}', 'name'],
        ['POST', '/v1/datasets', '{"name":"lone \\ud800"}', 'name'],
        ['POST', '/v1/datasets', { name: 'ok', description: 7 }, 'description'],
        ['POST', '/v1/datasets/strict/items', {}, 'conversationIds'],
        ['POST', '/v1/datasets/strict/items', { conversationIds: [], filter: {} }, 'conversationIds'],
        ['POST', '/v1/datasets/strict/items', { conversationIds: ['a'], filter: {} }, 'conversationIds'],
        ['POST', '/v1/datasets/strict/items', { conversationIds: Array(1001).fill('a') }, 'conversationIds'],
        ['POST', '/v1/datasets/strict/items', '{"conversationIds":["a\\u0000"]}', 'conversationIds.0'],
        ['POST', '/v1/datasets/strict/items', { filter: {}, max: 1001 }, 'max'],
        ['POST', '/v1/datasets/strict/items', { filter: { hasError: 'perhaps' } }, 'filter.hasError'],
        ['POST', '/v1/experiments', { name: 'e' }, 'datasetId'],
        ['POST', '/v1/experiments', { datasetId: 'strict', name: 'e', agentVersion: '' }, 'agentVersion'],
        ['PUT', '/v1/experiments/x/items/y', { conversationId: 'c' }, 'status'],
        ['PUT', '/v1/experiments/x/items/y', { conversationId: 'c', status: 's'.repeat(201) }, 'status'],
      ];
      for (const [method, path, body, field] of cases) await refused(send(method, path, body), 400, field);
      const extra = await refused(send('POST', '/v1/datasets', { name: 'ok', extra: 1 }), 400);
      expect(extra.error.message).toContain('extra');
      await refused(send('POST', '/v1/datasets', 'not json'), 400);
      await refused(
        f.request('/v1/datasets', { method: 'POST', key: f.adminKey, body: '{"name":"t"}' }),
        415,
        'content-type',
      );
      for (const path of ['/v1/datasets/a%00b', '/v1/experiments/a%ED%A0%80', '/v1/datasets/%0A/items/x']) {
        const answer = await send(path.endsWith('/x') ? 'DELETE' : 'GET', path);
        expect(answer.status, path).toBeGreaterThanOrEqual(400);
        expect(answer.status, path).toBeLessThan(500);
        await answer.body?.cancel();
      }
      await refused(send('GET', '/v1/datasets/a%00b'), 400, 'path'); // the request guard, before routing
      await refused(send('POST', '/v1/experiments', { datasetId: 'nope', name: 'e' }), 404, 'datasetId');
      await refused(send('POST', '/v1/datasets/nope/items', { conversationIds: ['a'] }), 404);
      const names = (await ok(send('GET', '/v1/datasets', undefined, f.readKey))).items.map(
        (d: { name: string }) => d.name,
      );
      expect(names).not.toContain('ok');
    });
  });
}
