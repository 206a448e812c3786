/**
 * Key scopes fit what they allow: which scope reaches which collector route, and a refusal naming the
 * scopes the route accepts. `ingest` writes; `read` and `admin` read; `chat` reads nothing of the
 * collector's data (it runs served agents, see the cli's demo-serving test); any key asks `/v1/project`.
 */
import { newId } from '@sightline/core';
import type { KeyScope } from '@sightline/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeScopes, projectKeyChecker, SCOPES, scopeProblem } from './auth.ts';
import { createFixture, type Fixture, message, postEvents } from './test-fixture.ts';

let f: Fixture;
let keys: Record<KeyScope, string>;

beforeAll(async () => {
  f = await createFixture();
  keys = { ingest: f.ingestKey, read: f.readKey, chat: f.chatKey, admin: f.adminKey };
  expect((await postEvents(f, [message('scoped', 'hello')])).status).toBe(200);
});
afterAll(async () => {
  await f.close();
});

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Every collector route with a request that succeeds for an allowed key, and the scopes it accepts. */
const ROUTES: Array<{ route: string; path: string; init?: () => RequestInit; allowed: readonly KeyScope[] }> =
  [
    {
      route: 'POST /v1/ingest',
      path: '/v1/ingest',
      init: () => json({ events: [message('scoped', 'again')] }),
      allowed: ['ingest'],
    },
    {
      route: 'POST /v1/feedback',
      path: '/v1/feedback',
      init: () => json({ conversationId: 'scoped', sentiment: 'positive', feedbackId: newId() }),
      allowed: ['ingest'],
    },
    {
      route: 'POST /v1/scores',
      path: '/v1/scores',
      init: () => json({ conversationId: 'scoped', name: 'thumbs', value: true }),
      allowed: ['ingest', 'chat', 'admin'],
    },
    {
      route: 'POST /v1/otlp/v1/traces',
      path: '/v1/otlp/v1/traces',
      init: () => json({}),
      allowed: ['ingest'],
    },
    { route: 'GET /v1/conversations', path: '/v1/conversations', allowed: ['read', 'admin'] },
    { route: 'GET /v1/conversations/:id', path: '/v1/conversations/scoped', allowed: ['read', 'admin'] },
    {
      route: 'GET /v1/metrics',
      path: `/v1/metrics?from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date().toISOString()}`,
      allowed: ['read', 'admin'],
    },
    {
      route: 'GET /v1/metrics/versions',
      path: `/v1/metrics/versions?from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date().toISOString()}`,
      allowed: ['read', 'admin'],
    },
    { route: 'GET /v1/customers', path: '/v1/customers', allowed: ['read', 'admin'] },
    { route: 'GET /v1/tools/:name/calls', path: '/v1/tools/search/calls', allowed: ['read', 'admin'] },
    { route: 'GET /v1/ingestion/health', path: '/v1/ingestion/health', allowed: ['read', 'admin'] },
    { route: 'GET /v1/live', path: '/v1/live', allowed: ['read', 'admin'] },
    { route: 'GET /v1/datasets', path: '/v1/datasets', allowed: ['read', 'admin'] },
    {
      route: 'POST /v1/datasets',
      path: '/v1/datasets',
      init: () => json({ name: 'scoped' }),
      allowed: ['admin'],
    },
    { route: 'GET /v1/project', path: '/v1/project', allowed: ['ingest', 'read', 'chat', 'admin'] },
  ];

describe('key scopes on the collector routes', () => {
  for (const { route, path, init, allowed } of ROUTES) {
    it(`${route} accepts ${describeScopes(allowed)} and refuses the others with 403`, async () => {
      for (const scope of ['ingest', 'read', 'chat', 'admin'] as const) {
        const res = await f.request(path, { ...init?.(), key: keys[scope] });
        if (allowed.includes(scope)) {
          expect(res.status, `${route} with ${scope}`).toBeLessThan(300);
          await res.body?.cancel(); // the live feed streams until cancelled
          continue;
        }
        expect(res.status, `${route} with ${scope}`).toBe(403);
        expect(await res.json()).toEqual({
          error: {
            code: 'forbidden',
            message: `authorization: this is ${scope === 'ingest' || scope === 'admin' ? 'an' : 'a'} ${scope} key; this endpoint needs ${describeScopes(allowed)}`,
            issues: [{ path: 'authorization', message: `needs ${describeScopes(allowed)}` }],
          },
        });
      }
    });
  }

  it('lets the live feed take a read or admin key as ?access_token=, not a chat key', async () => {
    for (const key of [f.readKey, f.adminKey]) {
      const res = await f.request(`/v1/live?access_token=${key}`);
      expect(res.status).toBe(200);
      await res.body?.cancel();
    }
    const chat = await f.request(`/v1/live?access_token=${f.chatKey}`);
    expect(chat.status).toBe(403);
    expect((await chat.json()).error.message).toBe(
      'authorization: this is a chat key; this endpoint needs a read or admin key',
    );
  });

  it('tells each key its own scope at /v1/project', async () => {
    for (const scope of ['ingest', 'read', 'chat', 'admin'] as const) {
      const project = await (await f.request('/v1/project', { key: keys[scope] })).json();
      expect(project).toMatchObject({ id: f.projectId, scope });
    }
  });

  it('makes keys whose prefix names their scope, and refuses an unknown scope', async () => {
    for (const scope of ['chat', 'admin'] as const) {
      const { key, apiKey } = await f.store.createApiKey({ projectId: f.projectId, scope });
      expect(key).toMatch(new RegExp(`^sl_${scope}_[A-Za-z0-9_-]{32}$`));
      expect(apiKey).toMatchObject({ scope, name: `${scope} key`, prefix: key.slice(0, scope.length + 8) });
    }
    await expect(
      f.store.createApiKey({ projectId: f.projectId, scope: 'owner' as KeyScope }),
    ).rejects.toThrow('scope: must be one of ingest, read, chat, admin');
  });
});

describe('scope names in English', () => {
  it('names one scope or several, with the article the first one wants', () => {
    expect(describeScopes(['admin'])).toBe('an admin key');
    expect(describeScopes(SCOPES.read)).toBe('a read or admin key');
    expect(describeScopes(SCOPES.chat)).toBe('a chat or admin key');
    expect(describeScopes(SCOPES.any)).toBe('an ingest, read, chat or admin key');
  });

  it('says why a key may not use a route, or nothing when it may', () => {
    expect(scopeProblem('read', SCOPES.chat)).toBe(
      'this is a read key; this endpoint needs a chat or admin key',
    );
    expect(scopeProblem('ingest', SCOPES.admin)).toBe(
      'this is an ingest key; this endpoint needs an admin key',
    );
    expect(scopeProblem('admin', SCOPES.read)).toBeNull();
    expect(scopeProblem('admin', SCOPES.chat)).toBeNull();
  });
});

describe('projectKeyChecker (the served routes next to the collector)', () => {
  it('passes chat and admin keys of the project, refuses a read or ingest key with 403, ignores others', async () => {
    const check = projectKeyChecker(f.store, { projectId: f.projectId, scopes: SCOPES.chat });
    const bearer = (key: string) =>
      new Request('http://x/agents', { headers: { authorization: `Bearer ${key}` } });
    expect(await check(bearer(f.chatKey))).toMatchObject({ projectId: f.projectId, scope: 'chat' });
    expect(await check(bearer(f.adminKey))).toMatchObject({ scope: 'admin' });
    expect(await check(new Request(`http://x/workflows/w/ws?key=${f.chatKey}`))).toMatchObject({
      scope: 'chat',
    });
    for (const [key, scope] of [
      [f.readKey, 'a read'],
      [f.ingestKey, 'an ingest'],
    ]) {
      const refused = await check(bearer(key ?? '')).catch((error: unknown) => error);
      expect(refused).toMatchObject({
        code: 'forbidden',
        message: `authorization: this is ${scope} key; this endpoint needs a chat or admin key`,
        issues: [{ path: 'authorization', message: 'needs a chat or admin key' }],
      });
    }
    // No key, an unknown one, another project's: nobody (serve answers 401).
    expect(await check(new Request('http://x/agents'))).toBeUndefined();
    expect(await check(bearer('sl_chat_AAAAAAAAAAAAAAAAAAAAAAAA'))).toBeUndefined();
    expect(await check(bearer(f.otherAdminKey))).toBeUndefined();
  });
});
