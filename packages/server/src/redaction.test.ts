/**
 * Redaction through the collector: the settings API (read, change with an admin key, refuse bad
 * patterns), rules applied on this node as soon as they are saved and on another node within its cache
 * time, fail closed (an event on which a rule fails is refused on /v1/ingest, /v1/feedback and OTLP and
 * nothing of it is stored; unreadable settings refuse the batch), samples of rejected events redacted,
 * and counts per rule on the ingestion page.
 */
import type { Store } from '@sightline/store';
import { afterEach, describe, expect, it } from 'vitest';
import { createSightlineApp } from './app.ts';
import { createLogger } from './logger.ts';
import { jsonExport, jsonSpan, postExport } from './otlp/test-payloads.ts';
import { createFixture, type Fixture, message, postEvents } from './test-fixture.ts';

let f: Fixture;
afterEach(async () => {
  await f?.close();
});

const patch = (fixture: Fixture, body: unknown, key = fixture.adminKey) =>
  fixture.request('/v1/project/settings', {
    method: 'PATCH',
    key,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const contents = async (fixture: Fixture, id: string) => {
  const response = await fixture.request(`/v1/conversations/${id}`, { key: fixture.readKey });
  if (response.status !== 200) return null;
  return ((await response.json()) as { messages: Array<{ content: string }> }).messages.map((m) => m.content);
};

describe('settings API', () => {
  it('reads with a read or admin key, changes with an admin key only', async () => {
    f = await createFixture();
    expect(await (await f.request('/v1/project/settings', { key: f.readKey })).json()).toEqual({});
    expect((await f.request('/v1/project/settings', { key: f.ingestKey })).status).toBe(403);
    expect((await patch(f, { redaction: { detectors: ['email'] } }, f.readKey)).status).toBe(403);
    expect((await patch(f, { redaction: { detectors: ['email'] } }, f.ingestKey)).status).toBe(403);
    const saved = await patch(f, {
      redaction: { detectors: ['email', 'card'], patterns: [{ name: 'ticket', pattern: 'T-\\d{4}' }] },
    });
    expect(saved.status).toBe(200);
    const settings = {
      redaction: { detectors: ['email', 'card'], patterns: [{ name: 'ticket', pattern: 'T-\\d{4}' }] },
    };
    expect(await saved.json()).toEqual(settings);
    expect(await (await f.request('/v1/project/settings', { key: f.adminKey })).json()).toEqual(settings);
    expect(await (await f.request('/v1/project/settings', { key: f.otherAdminKey })).json()).toEqual({});
  });

  it('refuses bad patterns with a 400 naming each, and saves nothing', async () => {
    f = await createFixture();
    const response = await patch(f, {
      redaction: {
        detectors: ['email', 'ssn'],
        patterns: [
          { name: 'ok', pattern: 'ORD-\\d{6}' },
          { name: 'broken', pattern: '(unclosed' },
          { name: 'email', pattern: 'x+y' },
          { name: 'nested', pattern: '(a+)+$' },
        ],
      },
    });
    expect(response.status).toBe(400);
    const paths = (
      (await response.json()) as { error: { issues: Array<{ path: string }> } }
    ).error.issues.map((i) => i.path);
    expect(paths).toEqual(['redaction.detectors.1']);
    const second = await patch(f, {
      redaction: {
        patterns: [
          { name: 'ok', pattern: 'ORD-\\d{6}' },
          { name: 'broken', pattern: '(unclosed' },
          { name: 'email', pattern: 'x+y' },
          { name: 'nested', pattern: '(a+)+$' },
          { name: 'ok', pattern: 'z' },
        ],
      },
    });
    expect(second.status).toBe(400);
    const issues = ((await second.json()) as { error: { issues: Array<{ path: string; message: string }> } })
      .error.issues;
    expect(issues.map((i) => i.path)).toEqual([
      'redaction.patterns.1.pattern',
      'redaction.patterns.2.name',
      'redaction.patterns.3.pattern',
      'redaction.patterns.4.name',
    ]);
    const slow = await patch(f, { redaction: { patterns: [{ name: 'slow', pattern: '(a|a)*b' }] } });
    expect(slow.status).toBe(400);
    expect(JSON.stringify(await slow.json())).toContain('takes too long');
    expect(await f.store.getProjectSettings(f.projectId)).toEqual({});
  }, 20_000);
});

describe('rules at work', () => {
  it('apply on this node as soon as they are saved, and are counted per rule', async () => {
    f = await createFixture();
    await postEvents(f, [message('c1', 'mail me at jane@example.com')]);
    expect(await contents(f, 'c1')).toEqual(['mail me at jane@example.com']);
    expect(
      (
        await patch(f, {
          redaction: { detectors: ['email'], patterns: [{ name: 'ticket', pattern: 'T-\\d{4}' }] },
        })
      ).status,
    ).toBe(200);
    const response = await postEvents(f, [
      message('c2', 'mail jane@example.com or bob@example.org about T-1234'),
    ]);
    expect(response.status).toBe(200);
    expect(await contents(f, 'c2')).toEqual([
      'mail [REDACTED:email] or [REDACTED:email] about [REDACTED:ticket]',
    ]);
    await f.collector.queue.drain();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const health = (await (await f.request('/v1/ingestion/health', { key: f.readKey })).json()) as {
      counters: Array<{ name: string; count: number }>;
    };
    expect(health.counters.filter((c) => c.name.startsWith('redacted:'))).toEqual([
      expect.objectContaining({ name: 'redacted:email', count: 2 }),
      expect.objectContaining({ name: 'redacted:ticket', count: 1 }),
    ]);
  });

  it('reach another node sharing the database within its cache time', async () => {
    f = await createFixture();
    const other = createSightlineApp({
      store: f.store,
      logger: createLogger({ level: 'silent' }),
      redactionCacheMs: 300,
    });
    const post = (id: string, content: string) =>
      other.app.request('/v1/ingest', {
        method: 'POST',
        headers: { authorization: `Bearer ${f.ingestKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [message(id, content)] }),
      });
    try {
      await post('n1', 'a@example.com'); // the other node caches "no rules"
      await patch(f, { redaction: { detectors: ['email'] } });
      await post('n2', 'b@example.com');
      expect(await contents(f, 'n2')).toEqual(['b@example.com']); // still within its cache time
      await new Promise((resolve) => setTimeout(resolve, 350));
      await post('n3', 'c@example.com');
      expect(await contents(f, 'n3')).toEqual(['[REDACTED:email]']);
    } finally {
      await other.shutdown();
    }
  });
});

describe('fail closed', () => {
  /** A pattern that passes the checks on save but is quadratic on a long text without an `x`. */
  const slowRule = {
    redaction: { detectors: ['email'], patterns: [{ name: 'slow_rule', pattern: '[a-z]*x' }] },
  };
  const long = 'a'.repeat(60_000);

  it('refuses, on /v1/ingest, an event whose rule runs over its budget and stores nothing of it', async () => {
    f = await createFixture({ redactionBudgetMs: 5 });
    expect((await patch(f, slowRule)).status).toBe(200);
    const response = await postEvents(f, [
      message('ok', 'fine, jane@example.com'),
      message('slow', `${long} jane@example.com`),
    ]);
    expect(response.status).toBe(207);
    const body = (await response.json()) as {
      accepted: number;
      rejected: number;
      results: Array<{ status: string; issues?: Array<{ path: string; message: string }> }>;
    };
    expect(body.accepted).toBe(1);
    expect(body.rejected).toBe(1);
    expect(body.results[1]?.status).toBe('rejected');
    expect(body.results[1]?.issues?.[0]?.path).toBe('events.1.body');
    expect(body.results[1]?.issues?.[0]?.message).toMatch(
      /redaction rule "slow_rule" took over its budget.*not stored/,
    );
    expect(await contents(f, 'ok')).toEqual(['fine, [REDACTED:email]']);
    expect(await contents(f, 'slow')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const health = await f.store.getIngestionHealth(f.projectId);
    expect(health.rejected).toEqual([expect.objectContaining({ path: 'events.1.body', sample: null })]);
  });

  it('refuses such feedback (400) and such spans (OTLP partial success)', async () => {
    f = await createFixture({ redactionBudgetMs: 5 });
    await postEvents(f, [message('fb', 'hello')]);
    expect((await patch(f, slowRule)).status).toBe(200);
    const feedback = await f.request('/v1/feedback', {
      method: 'POST',
      key: f.ingestKey,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: 'fb', sentiment: 'negative', comment: 'a'.repeat(10_000) }),
    });
    expect(feedback.status).toBe(400);
    expect(JSON.stringify(await feedback.json())).toContain('slow_rule');
    const spans = await postExport(
      f,
      jsonExport([
        jsonSpan(1, {
          attributes: [
            { key: 'session.id', value: { stringValue: 'otlp-slow' } },
            { key: 'input.value', value: { stringValue: long } },
          ],
        }),
      ]),
    );
    expect(spans.status).toBe(200);
    const partial = (await spans.json()) as {
      partialSuccess?: { rejectedSpans: number; errorMessage: string };
    };
    expect(partial.partialSuccess?.rejectedSpans).toBe(1);
    expect(partial.partialSuccess?.errorMessage).toContain('slow_rule');
    const stored = await f.request('/v1/conversations/otlp-slow', { key: f.readKey });
    const detail =
      stored.status === 200 ? ((await stored.json()) as { steps: Array<{ input: unknown }> }) : null;
    expect(JSON.stringify(detail?.steps ?? [])).not.toContain('aaaaaaaaaa');
  });

  it('refuses the whole batch (503) when the settings cannot be read', async () => {
    f = await createFixture();
    const broken: Store = {
      ...f.store,
      getProjectSettings: () => Promise.reject(new Error('database down')),
    };
    const node = createSightlineApp({ store: broken, logger: createLogger({ level: 'silent' }) });
    try {
      const response = await node.app.request('/v1/ingest', {
        method: 'POST',
        headers: { authorization: `Bearer ${f.ingestKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [message('down', 'jane@example.com')] }),
      });
      expect(response.status).toBe(503);
      expect(await contents(f, 'down')).toBeNull();
    } finally {
      await node.shutdown();
    }
  });

  it('redacts the samples kept of events rejected for other reasons', async () => {
    f = await createFixture();
    await patch(f, { redaction: { detectors: ['email', 'api_key'] } });
    const bad = {
      ...message('bad', 'jane@example.com sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'),
      type: 'message',
    };
    (bad.body as Record<string, unknown>).role = 'robot';
    expect((await postEvents(f, [bad])).status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [rejection] = (await f.store.getIngestionHealth(f.projectId)).rejected;
    expect(rejection?.sample).toContain('[REDACTED:email] [REDACTED:api_key]');
    expect(rejection?.sample).not.toContain('jane@');
  });
});
