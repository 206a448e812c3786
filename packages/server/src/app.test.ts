import { gzipSync } from 'node:zlib';
import { LIMITS } from '@sightline/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSightlineApp } from './app.ts';
import { createLogger } from './logger.ts';
import { createFixture, type Fixture, message, postEvents } from './test-fixture.ts';

describe('collector HTTP API', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await createFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('ingests a batch, answers per event, and serves it back', async () => {
    const res = await postEvents(f, [message('c1', 'hello'), message('c1', 'again', { role: 'agent' })]);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 0 });
    const detail = await (await f.request('/v1/conversations/c1', { key: f.readKey })).json();
    expect(detail.messages.map((m: { content: string }) => m.content)).toEqual(['hello', 'again']);
    const list = await (await f.request('/v1/conversations', { key: f.readKey })).json();
    expect(list.data.map((c: { id: string }) => c.id)).toEqual(['c1']);
  });

  it('stores each event once when the same batch is sent three times', async () => {
    const events = [message('idem', 'a'), message('idem', 'b')];
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await (await postEvents(f, events)).json());
    expect(answers.map((a) => [a.accepted, a.duplicates])).toEqual([
      [2, 0],
      [0, 2],
      [0, 2],
    ]);
    const detail = await (await f.request('/v1/conversations/idem', { key: f.readKey })).json();
    expect(detail.messages).toHaveLength(2);
  });

  it('answers 207 naming the field when some events are rejected, 400 when all are', async () => {
    const res = await postEvents(f, [message('p', 'ok'), message('p', 'bad', { role: 'robot' })]);
    expect(res.status).toBe(207);
    const body = await res.json();
    expect(body.results[1]).toMatchObject({ status: 'rejected', issues: [{ path: 'events.1.body.role' }] });
    const all = await postEvents(f, [message('p', 'x'.repeat(LIMITS.maxContentLength + 1))]);
    expect(all.status).toBe(400);
    expect((await all.json()).results[0].issues[0].message).toContain(String(LIMITS.maxContentLength));
    const health = await (await f.request('/v1/ingestion/health', { key: f.readKey })).json();
    expect(health.rejected.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses bodies over the byte limit (413), non-JSON types (415), bad UTF-8 and bad JSON (400)', async () => {
    const big = await f.request('/v1/ingest', {
      method: 'POST',
      key: f.ingestKey,
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(LIMITS.maxBatchBytes + 1),
    });
    expect(big.status).toBe(413);
    const text = await f.request('/v1/ingest', {
      method: 'POST',
      key: f.ingestKey,
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(text.status).toBe(415);
    const utf = await f.request('/v1/ingest', {
      method: 'POST',
      key: f.ingestKey,
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    });
    expect(utf.status).toBe(400);
    expect((await utf.json()).error.message).toContain('UTF-8');
    const bad = await f.request('/v1/ingest', {
      method: 'POST',
      key: f.ingestKey,
      headers: { 'content-type': 'application/json' },
      body: '{"events": [',
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('invalid_json');
  });

  it('accepts gzip bodies and refuses a gzip bomb over the limit', async () => {
    const ok = await f.request('/v1/ingest', {
      method: 'POST',
      key: f.ingestKey,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ events: [message('gz', 'zipped')] })),
    });
    expect(ok.status).toBe(200);
    const bomb = await f.request('/v1/ingest', {
      method: 'POST',
      key: f.ingestKey,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(Buffer.alloc(LIMITS.maxBatchBytes + 10, 32)),
    });
    expect(bomb.status).toBe(413);
  });

  it('checks keys: missing or unknown 401, wrong scope 403', async () => {
    expect((await postEvents(f, [message('a', 'b')], '')).status).toBe(401);
    expect((await postEvents(f, [message('a', 'b')], 'sl_ingest_unknownunknownunknown')).status).toBe(401);
    expect((await postEvents(f, [message('a', 'b')], f.readKey)).status).toBe(403);
    expect((await f.request('/v1/conversations', { key: f.ingestKey })).status).toBe(403);
    const revoked = await f.store.createApiKey({ projectId: f.projectId, scope: 'read' });
    await f.store.revokeApiKey({ projectId: f.projectId, keyId: revoked.apiKey.id });
    expect((await f.request('/v1/conversations', { key: revoked.key })).status).toBe(401);
  });

  it('validates query parameters and names the field', async () => {
    const res = await f.request('/v1/conversations?limit=5000&hasError=maybe', { key: f.readKey });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['hasError', 'limit']);
    const metrics = await f.request('/v1/metrics?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', {
      key: f.readKey,
    });
    expect(metrics.status).toBe(400);
    expect((await metrics.json()).error.message).toContain('from');
  });

  it('records feedback on a known conversation and refuses unknown ones', async () => {
    await postEvents(f, [message('fb', 'hi')]);
    const post = (body: unknown) =>
      f.request('/v1/feedback', {
        method: 'POST',
        key: f.ingestKey,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect(
      (await post({ conversationId: 'fb', sentiment: 'negative', comment: 'wrong answer' })).status,
    ).toBe(201);
    expect((await post({ conversationId: 'nope', sentiment: 'negative' })).status).toBe(404);
    const invalid = await post({ conversationId: 'fb', sentiment: 'angry' });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error.issues[0].path).toBe('sentiment');
    const detail = await (await f.request('/v1/conversations/fb', { key: f.readKey })).json();
    expect(detail.conversation.feedback.negative).toBe(1);
  });

  it('streams committed events on /v1/live', async () => {
    const res = await f.request(`/v1/live?access_token=${f.readKey}`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { done, value } = await reader.read();
        if (done) throw new Error(`stream ended before "${needle}": ${text}`);
        text += decoder.decode(value);
      }
    };
    await readUntil('event: ready');
    await postEvents(f, [message('live-1', 'streamed hello')]);
    await readUntil('streamed hello');
    expect(text).toContain('event: message');
    expect(text).toContain('"conversationId":"live-1"');
    await reader.cancel();
  });

  it('answers 503 with Retry-After when the write queue is full', async () => {
    await f.close();
    f = await createFixture({ maxQueuedEvents: 1 });
    const answers = await Promise.all([
      postEvents(f, [message('q', '1')]),
      postEvents(f, [message('q', '2')]),
      postEvents(f, [message('q', '3')]),
    ]);
    const statuses = answers.map((a) => a.status);
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    const refused = answers.find((a) => a.status === 503);
    expect(refused?.headers.get('retry-after')).toBe('1');
  });

  it('publishes an OpenAPI document and an API reference', async () => {
    const doc = await (await f.request('/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/ingest',
        '/v1/conversations',
        '/v1/conversations/{id}',
        '/v1/metrics',
        '/v1/customers',
        '/v1/feedback',
        '/v1/live',
      ]),
    );
    const docs = await f.request('/docs');
    expect(await docs.text()).toContain('/docs/assets/standalone.js');
    expect((await f.request('/docs/assets/standalone.js')).status).toBe(200);
    expect((await f.request('/docs/assets/../../package.json')).status).toBe(404);
  });

  it('reports health and readiness', async () => {
    expect((await f.request('/healthz')).status).toBe(200);
    expect(await (await f.request('/readyz')).json()).toMatchObject({ status: 'ready' });
  });
});

describe('live feed across collector nodes (PostgreSQL)', () => {
  it('shows on one node the events another node stored', async () => {
    const nodeA = await createFixture({ dialect: 'postgres' });
    const nodeB = createSightlineApp({ store: nodeA.store, logger: createLogger({ level: 'silent' }) });
    await nodeB.ready();
    try {
      const res = await nodeB.app.request(`/v1/live?access_token=${nodeA.readKey}`);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) {
          const { done, value } = await reader.read();
          if (done) throw new Error(`stream ended before "${needle}": ${text}`);
          text += decoder.decode(value);
        }
      };
      await readUntil('event: ready');
      await postEvents(nodeA, [message('cross-node', 'stored by node A')]);
      await readUntil('stored by node A');
      expect(text).toContain('"conversationId":"cross-node"');
      await reader.cancel();
    } finally {
      await nodeB.shutdown();
      await nodeA.close();
    }
  });
});
