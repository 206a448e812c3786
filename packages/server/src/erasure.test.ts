/**
 * Erasure and curation over HTTP (issue 14 item 1), on SQLite and PostgreSQL: DELETE a conversation or
 * a customer with an admin key (receipts, reads and metrics afterwards, idempotence, hooks for data kept
 * beside the collector), PATCH to rename and mark, and the 403 every other scope gets.
 */
import { newId } from '@sightline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Erasure } from './erasure.ts';
import { createFixture, type Fixture, message, postEvents } from './test-fixture.ts';

const T0 = Date.UTC(2026, 4, 4, 10, 0, 0);

/** A turn of a conversation: question, tool call, answer; `at` in minutes after T0. */
function turn(conversationId: string, customerId: string, at: number) {
  const time = (ms: number) => new Date(T0 + at * 60_000 + ms).toISOString();
  const body = { conversationId, customerId };
  return [
    {
      id: newId(),
      type: 'message',
      timestamp: time(0),
      body: { ...body, role: 'human', content: 'where is my order?' },
    },
    {
      id: newId(),
      type: 'step',
      timestamp: time(10),
      body: {
        ...body,
        stepId: newId(),
        type: 'tool',
        name: 'lookup_order',
        startedAt: time(10),
        durationMs: 40,
      },
    },
    {
      id: newId(),
      type: 'message',
      timestamp: time(900),
      body: { ...body, role: 'agent', content: 'on its way' },
    },
  ];
}

const range = `from=${new Date(T0 - 3_600_000).toISOString()}&to=${new Date(T0 + 86_400_000).toISOString()}`;

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`erasure and curation over HTTP: ${dialect}`, () => {
    let f: Fixture;
    const hooked: Erasure[] = [];
    let failHook = false;

    beforeAll(async () => {
      f = await createFixture({
        dialect,
        onErase: async (erasure) => {
          hooked.push(erasure);
          if (failHook) throw new Error('sessions database unavailable');
          return { sessions: erasure.conversationIds.length };
        },
      });
      const events = [
        ...turn('ada-1', 'ada', 0),
        ...turn('ada-2', 'ada', 30),
        ...turn('bob-1', 'bob', 5),
        ...turn('bob-2', 'bob', 65),
      ];
      expect((await postEvents(f, events)).status).toBe(200);
    });
    afterAll(async () => {
      await f.close();
    });

    const metrics = async () =>
      (await (await f.request(`/v1/metrics?${range}&bucket=day`, { key: f.readKey })).json()).totals;
    const erase = (path: string, key = f.adminKey) => f.request(path, { method: 'DELETE', key });

    it('needs an admin key: read, ingest and chat keys get 403 naming it; no key 401', async () => {
      for (const key of [f.readKey, f.ingestKey, f.chatKey]) {
        for (const path of ['/v1/conversations/ada-1', '/v1/customers/ada']) {
          const res = await erase(path, key);
          expect(res.status).toBe(403);
          expect((await res.json()).error.message).toMatch(/this endpoint needs an admin key/);
        }
        const patch = await f.request('/v1/conversations/ada-1', {
          method: 'PATCH',
          key,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ marked: true }),
        });
        expect(patch.status).toBe(403);
      }
      expect((await f.request('/v1/conversations/ada-1', { method: 'DELETE' })).status).toBe(401);
      // Another project's admin key reaches only its own project: nothing here is erased.
      const other = await (await erase('/v1/customers/ada', f.otherAdminKey)).json();
      expect(other.removed.conversations).toBe(0);
      expect((await f.request('/v1/conversations/ada-1', { key: f.readKey })).status).toBe(200);
      expect(hooked.map((h) => h.projectId)).toEqual([f.otherProjectId]);
    });

    it('renames and marks a conversation; the list filters by mark; 404 and 400s', async () => {
      const patch = (id: string, body: unknown) =>
        f.request(`/v1/conversations/${encodeURIComponent(id)}`, {
          method: 'PATCH',
          key: f.adminKey,
          headers: { 'content-type': 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        });
      const renamed = await patch('bob-2', { name: 'Late order', marked: true });
      expect(renamed.status).toBe(200);
      expect(await renamed.json()).toMatchObject({ id: 'bob-2', name: 'Late order', marked: true });
      const marked = await (await f.request('/v1/conversations?marked=true', { key: f.readKey })).json();
      expect(marked.data.map((c: { id: string }) => c.id)).toEqual(['bob-2']);
      const detail = await (await f.request('/v1/conversations/bob-2', { key: f.readKey })).json();
      expect(detail.conversation).toMatchObject({ name: 'Late order', marked: true });
      expect((await patch('nobody', { marked: true })).status).toBe(404);
      for (const [body, path] of [
        [{}, ''],
        [{ name: '' }, 'name'],
        [{ marked: 'yes' }, 'marked'],
        [{ colour: 'red' }, ''],
      ] as const) {
        const res = await patch('bob-2', body);
        expect(res.status).toBe(400);
        expect((await res.json()).error.issues[0].path).toBe(path);
      }
      expect((await patch('bob-2', '{"name":')).status).toBe(400);
      expect(await (await patch('bob-2', { name: null, marked: false })).json()).toMatchObject({
        name: null,
        marked: false,
      });
    });

    it('erases a conversation: receipt counts, gone from reads and metrics, hooks told; again zeros', async () => {
      const before = await metrics();
      const res = await erase('/v1/conversations/ada-1');
      expect(res.status).toBe(200);
      const receipt = await res.json();
      expect(receipt).toMatchObject({
        kind: 'conversation',
        id: 'ada-1',
        removed: { conversations: 1, messages: 2, steps: 1, feedback: 0, customers: 0 },
        elsewhere: { sessions: 1 },
      });
      expect(Date.parse(receipt.erasedAt)).toBeGreaterThan(0);
      expect((await f.request('/v1/conversations/ada-1', { key: f.readKey })).status).toBe(404);
      expect(await metrics()).toMatchObject({
        conversations: before.conversations - 1,
        messages: before.messages - 2,
        toolCalls: before.toolCalls - 1,
      });
      expect(hooked.at(-1)).toEqual({
        projectId: f.projectId,
        kind: 'conversation',
        id: 'ada-1',
        conversationIds: ['ada-1'],
        replayConversationIds: [],
      });
      const again = await (await erase('/v1/conversations/ada-1')).json();
      expect(Object.values(again.removed).every((n) => n === 0)).toBe(true);
      expect(again.elsewhere).toEqual({ sessions: 0 });
    });

    it('erases a customer with all their conversations, from the list and the customers', async () => {
      const res = await erase('/v1/customers/bob');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        kind: 'customer',
        id: 'bob',
        removed: { conversations: 2, messages: 4, steps: 2, customers: 1 },
        elsewhere: { sessions: 2 },
      });
      const list = await (await f.request('/v1/conversations?customerId=bob', { key: f.readKey })).json();
      expect(list.data).toEqual([]);
      const customers = await (await f.request('/v1/customers', { key: f.readKey })).json();
      expect(customers.data.map((c: { customerId: string }) => c.customerId)).toEqual(['ada']);
      expect(hooked.at(-1)?.conversationIds).toEqual(['bob-1', 'bob-2']);
    });

    it('fails the request when a hook fails, saying so; a second delete finishes the job', async () => {
      expect((await postEvents(f, [message('carol-1', 'hello', { customerId: 'carol' })])).status).toBe(200);
      failHook = true;
      const failed = await erase('/v1/customers/carol');
      expect(failed.status).toBe(500);
      expect((await failed.json()).error.message).toMatch(
        /erased, but erasing what is kept beside it failed/,
      );
      expect((await f.request('/v1/conversations/carol-1', { key: f.readKey })).status).toBe(404);
      failHook = false;
      const retried = await erase('/v1/customers/carol');
      expect(retried.status).toBe(200);
      expect(hooked.at(-1)).toMatchObject({ kind: 'customer', id: 'carol', conversationIds: [] });
    });

    it('erases the replays of a dataset item taken from the conversation, and tells the hooks their ids', async () => {
      const replayed = [message('dan-1', 'my account is 4711', { customerId: 'dan' })];
      const replay = [message('dan-replay', 'my account is 4711', { customerId: 'served-user' })];
      expect((await postEvents(f, [...replayed, ...replay])).status).toBe(200);
      const send = async (method: string, path: string, body: unknown) => {
        const res = await f.request(path, {
          method,
          key: f.adminKey,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(res.status).toBeLessThan(300);
        return res.json();
      };
      const dataset = await send('POST', '/v1/datasets', { name: 'dan' });
      const { added } = await send('POST', `/v1/datasets/${dataset.id}/items`, {
        conversationIds: ['dan-1'],
      });
      const experiment = await send('POST', '/v1/experiments', { datasetId: dataset.id, name: 'v2' });
      const item = `/v1/experiments/${experiment.id}/items/${added[0].id}`;
      await send('PUT', item, { conversationId: 'dan-replay', status: 'completed' });
      const receipt = await (await erase('/v1/conversations/dan-1')).json();
      expect(receipt).toMatchObject({
        removed: { conversations: 2, messages: 2, customers: 2 },
        datasets: { datasetItems: 1, experimentItems: 1, replayConversations: 1 },
        elsewhere: { sessions: 2 },
      });
      expect(hooked.at(-1)).toMatchObject({
        kind: 'conversation',
        id: 'dan-1',
        conversationIds: ['dan-1', 'dan-replay'],
        replayConversationIds: ['dan-replay'],
      });
      expect((await f.request('/v1/conversations/dan-replay', { key: f.readKey })).status).toBe(404);
      const again = await (await erase('/v1/conversations/dan-1')).json();
      expect(again.datasets).toEqual({ datasetItems: 0, experimentItems: 0, replayConversations: 0 });
      expect(hooked.at(-1)).toMatchObject({ conversationIds: [], replayConversationIds: [] });
    });

    it('documents the routes in the OpenAPI document', async () => {
      const doc = await (await f.request('/openapi.json')).json();
      expect(Object.keys(doc.paths['/v1/conversations/{id}'])).toEqual(
        expect.arrayContaining(['get', 'patch', 'delete']),
      );
      expect(doc.paths['/v1/customers/{id}'].delete.summary).toMatch(/right to erasure/);
    });
  });
}
