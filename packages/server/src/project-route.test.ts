/**
 * `GET /v1/project` answers any live key of the project (read or ingest), as the README documents: a
 * tracker holding only an ingest key may learn which project it writes to. It tells the project's id,
 * name and creation time, none of its data; every other read route still refuses an ingest key.
 */
import { newId } from '@sightline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture, postEvents } from './test-fixture.ts';

describe('GET /v1/project', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
    const at = new Date().toISOString();
    const body = { conversationId: 'private-conv', role: 'human', content: 'private words' };
    expect((await postEvents(f, [{ id: newId(), type: 'message', timestamp: at, body }])).status).toBe(200);
  });
  afterAll(async () => {
    await f.close();
  });

  it('answers a read key and an ingest key with the key’s project and scope', async () => {
    for (const [key, scope] of [
      [f.readKey, 'read'],
      [f.ingestKey, 'ingest'],
    ] as const) {
      const res = await f.request('/v1/project', { key });
      expect(res.status, scope).toBe(200);
      const project = await res.json();
      expect(project).toEqual({ id: f.projectId, name: 'main', createdAt: expect.any(String), scope });
    }
    const other = await (await f.request('/v1/project', { key: f.otherIngestKey })).json();
    expect(other).toMatchObject({ id: f.otherProjectId, name: 'other', scope: 'ingest' });
  });

  it('refuses no key or an unknown key with 401, and leaks no data to an ingest key', async () => {
    expect((await f.request('/v1/project')).status).toBe(401);
    expect((await f.request('/v1/project', { key: 'sl_ingest_AAAAAAAAAAAAAAAAAAAAAA' })).status).toBe(401);
    expect((await f.request('/v1/project', { key: 'sl_read_AAAAAAAAAAAAAAAAAAAAAA' })).status).toBe(401);
    const text = await (await f.request('/v1/project', { key: f.ingestKey })).text();
    expect(text).not.toContain('private');
    for (const path of ['/v1/conversations', '/v1/conversations/private-conv', '/v1/customers']) {
      expect((await f.request(path, { key: f.ingestKey })).status, path).toBe(403);
    }
  });
});
