/**
 * Retention over HTTP, on SQLite and PostgreSQL: the project's retentionDays (PATCH
 * /v1/project/settings), a customer's override (PUT/PATCH /v1/customers/:id/retention), a run now
 * (POST /v1/retention/run) and the status (GET /v1/retention); admin keys only for changes, 400s
 * naming the field; the background worker expires on its own and stops on shutdown.
 */
import { newId } from '@sightline/core';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture, postEvents } from './test-fixture.ts';

const DAY = 86_400_000;

/** A question and an answer of a conversation, `daysAgo` days ago. */
function exchange(conversationId: string, customerId: string, daysAgo: number) {
  const at = Date.now() - daysAgo * DAY;
  const body = { conversationId, customerId };
  return [
    {
      id: newId(),
      type: 'message',
      timestamp: new Date(at).toISOString(),
      body: { ...body, role: 'human', content: 'hi' },
    },
    {
      id: newId(),
      type: 'message',
      timestamp: new Date(at + 900).toISOString(),
      body: { ...body, role: 'agent', content: 'hello' },
    },
  ];
}

const json = (key: string, method: string, body: unknown) => ({
  method,
  key,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`retention over HTTP: ${dialect}`, () => {
    let f: Fixture;

    beforeAll(async () => {
      f = await createFixture({ dialect, retention: false });
      const events = [
        ...exchange('old-1', 'cust-a', 40),
        ...exchange('new-1', 'cust-a', 3),
        ...exchange('old-vip', 'cust-vip', 40),
        ...exchange('mid-short', 'cust-short', 10),
      ];
      expect((await postEvents(f, events)).status).toBe(200);
    });
    afterAll(async () => {
      await f?.close();
    });

    it('shows no retention at first', async () => {
      const res = await f.request('/v1/retention', { key: f.readKey });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ retentionDays: null, customers: [], lastRun: null });
    });

    it('sets the project days and customers overrides with an admin key only, refusing bad values by field', async () => {
      for (const key of [f.readKey, f.ingestKey, f.chatKey]) {
        expect(
          (await f.request('/v1/customers/cust-vip/retention', json(key, 'PUT', { days: 90 }))).status,
        ).toBe(403);
        expect(
          (await f.request('/v1/project/settings', json(key, 'PATCH', { retentionDays: 30 }))).status,
        ).toBe(403);
        expect((await f.request('/v1/retention/run', { method: 'POST', key })).status).toBe(403);
      }
      const bad = async (path: string, method: string, body: unknown) => {
        const res = await f.request(path, json(f.adminKey, method, body));
        expect(res.status).toBe(400);
        return ((await res.json()) as { error: { issues: Array<{ path: string; message: string }> } }).error
          .issues;
      };
      expect(await bad('/v1/customers/cust-vip/retention', 'PUT', { days: 0 })).toEqual([
        { path: 'days', message: 'must be at least 1 day' },
      ]);
      expect(await bad('/v1/customers/cust-vip/retention', 'PATCH', { days: 36_501 })).toEqual([
        { path: 'days', message: 'must be at most 36500 days' },
      ]);
      expect((await bad('/v1/customers/cust-vip/retention', 'PUT', { days: 'ten' }))[0]?.path).toBe('days');
      const unknown = await bad('/v1/customers/cust-vip/retention', 'PUT', { day: 5 });
      expect(unknown.map((issue) => issue.path)).toContain('days');
      expect(await bad('/v1/project/settings', 'PATCH', { retentionDays: 2.5 })).toEqual([
        { path: 'retentionDays', message: 'must be a whole number of days' },
      ]);

      const vip = await f.request('/v1/customers/cust-vip/retention', json(f.adminKey, 'PUT', { days: 90 }));
      expect(vip.status).toBe(200);
      expect(await vip.json()).toMatchObject({ customerId: 'cust-vip', days: 90 });
      const short = await f.request(
        '/v1/customers/cust-short/retention',
        json(f.adminKey, 'PATCH', { days: 7 }),
      );
      expect(await short.json()).toMatchObject({ customerId: 'cust-short', days: 7 });
      const gone = await f.request('/v1/customers/cust-x/retention', json(f.adminKey, 'PUT', { days: null }));
      expect(await gone.json()).toEqual({ customerId: 'cust-x', days: null, updatedAt: null });
      const settings = await f.request(
        '/v1/project/settings',
        json(f.adminKey, 'PATCH', { retentionDays: 30 }),
      );
      expect(await settings.json()).toEqual({ retentionDays: 30 });
    });

    it('runs expiry now: conversations past their window go, the status tells what went', async () => {
      const res = await f.request('/v1/retention/run', { method: 'POST', key: f.adminKey });
      expect(res.status).toBe(200);
      const status = (await res.json()) as Record<string, unknown>;
      expect(status).toMatchObject({
        retentionDays: 30,
        customers: [
          { customerId: 'cust-short', days: 7 },
          { customerId: 'cust-vip', days: 90 },
        ],
        lastRun: { caughtUp: true, removed: { conversations: 2, messages: 4, customers: 1 } },
      });
      const list = await f.request('/v1/conversations?limit=50', { key: f.readKey });
      const ids = ((await list.json()) as { data: Array<{ id: string }> }).data.map((c) => c.id).sort();
      expect(ids).toEqual(['new-1', 'old-vip']);
      const read = await f.request('/v1/retention', { key: f.readKey });
      expect(await read.json()).toEqual(status);
      // The other project is untouched by this one's policy and run.
      const other = await f.request('/v1/retention', { key: f.otherReadKey });
      expect(await other.json()).toEqual({ retentionDays: null, customers: [], lastRun: null });
    });

    it('lists the routes in the OpenAPI document', async () => {
      const doc = (await (await f.request('/openapi.json')).json()) as { paths: Record<string, object> };
      expect(Object.keys(doc.paths['/v1/customers/{id}/retention'] ?? {}).sort()).toEqual(['patch', 'put']);
      expect(Object.keys(doc.paths['/v1/retention'] ?? {})).toEqual(['get']);
      expect(Object.keys(doc.paths['/v1/retention/run'] ?? {})).toEqual(['post']);
    });
  });
}

describe('the retention worker', () => {
  it('expires on its own schedule, logs what it removed, and stops on shutdown', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const f = await createFixture({
      logger,
      retention: { firstRunMs: 10, intervalMs: 20, batchSize: 1, pauseMs: 0 },
    });
    let closed = false;
    try {
      const events = [
        ...exchange('old', 'c1', 5),
        ...exchange('older', 'c2', 6),
        ...exchange('new', 'c1', 0),
      ];
      expect((await postEvents(f, events)).status).toBe(200);
      await f.store.updateProjectSettings(f.projectId, { retentionDays: 1 });
      await expect
        .poll(
          async () => (await f.store.getRetentionStatus(f.projectId)).lastRun?.removedTotal.conversations,
          {
            timeout: 5_000,
          },
        )
        .toBe(2);
      const removed = lines.filter((line) => line.msg === 'retention: expired data removed');
      expect(removed.length).toBeGreaterThan(0);
      expect(removed[0]).toMatchObject({
        projectId: f.projectId,
        removed: { conversations: 2, messages: 4 },
      });
      expect((await f.store.getConversation(f.projectId, 'new'))?.messages).toHaveLength(2);
      await f.close();
      closed = true;
      // Stopped: no run after the store closed (it would log a failure), none left pending.
      const before = lines.length;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(lines.slice(before)).toEqual([]);
      expect(lines.filter((line) => line.msg === 'retention run failed')).toEqual([]);
    } finally {
      if (!closed) await f.close();
    }
  });
});
