/**
 * One rule for text on both dialects (core's well-formed-text.ts): U+0000 and lone surrogates in
 * stored text become U+FFFD, reported in the answer and counted on the ingestion page; in ids, paths
 * and query parameters they are refused with a 400 naming the field. Never a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture, message, postEvents } from './test-fixture.ts';

describe.each(['sqlite', 'postgres'] as const)('hostile text on %s', (dialect) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ dialect });
  });
  afterAll(async () => {
    await f.close();
  });

  it('stores U+0000 and lone surrogates as U+FFFD, says which fields, and counts them', async () => {
    const res = await postEvents(f, [
      message('text-conv', 'nul\u0000 and \uD83D alone', { metadata: { 'key\u0000': 'v\uDC00' } }),
      message('text-conv', 'clean'),
    ]);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.results[0].sanitized).toEqual(
      expect.arrayContaining(['events.0.body.content', 'events.0.body.metadata.key\uFFFD']),
    );
    expect(body.results[1].sanitized).toBeUndefined();
    const detail = await (await f.request('/v1/conversations/text-conv', { key: f.readKey })).json();
    expect(detail.messages.map((m: { content: string }) => m.content)).toEqual([
      'nul\uFFFD and \uFFFD alone',
      'clean',
    ]);
    const health = await (await f.request('/v1/ingestion/health', { key: f.readKey })).json();
    expect(health.counters).toEqual([{ name: 'text_replaced', count: 3, lastAt: expect.any(String) }]);
  });

  it('refuses a lone surrogate or U+0000 in an id with a 4xx naming the field, and stores the rest', async () => {
    const res = await postEvents(f, [
      message('ok-conv', 'fine'),
      message('bad\uD800', 'x'),
      message('nul\u0000', 'y'),
    ]);
    expect(res.status).toBe(207);
    const body = await res.json();
    expect(body.results.map((r: { status: string }) => r.status)).toEqual([
      'accepted',
      'rejected',
      'rejected',
    ]);
    expect(body.results[1].issues[0]).toMatchObject({ path: 'events.1.body.conversationId' });
    expect(body.results[2].issues[0]).toMatchObject({ path: 'events.2.body.conversationId' });
  });

  it('answers U+0000 in any query parameter or path with a 400 naming it', async () => {
    for (const path of [
      '/v1/conversations?search=%00',
      '/v1/conversations?customerId=a%00b',
      '/v1/conversations?source=%00',
      '/v1/conversations?metadata=k%00%3Dv',
      '/v1/conversations?metadata=k%3Dv%00',
      '/v1/customers?search=%00',
      '/v1/conversations/%00',
      '/v1/conversations/a%00b',
      '/v1/tools/%00/calls',
    ]) {
      const res = await f.request(path, { key: f.readKey });
      expect(res.status, path).toBe(400);
      const { error } = await res.json();
      expect(error.message, path).toMatch(/^(query\.\w+|path): must not contain U\+0000/);
    }
  });

  it('answers searches with no words with an empty page, never a 5xx', async () => {
    for (const search of ['!!!', '🎉', '"', "'", '&', '|', ':*', '\\', '()']) {
      const res = await f.request(`/v1/conversations?search=${encodeURIComponent(search)}`, {
        key: f.readKey,
      });
      expect(res.status, search).toBe(200);
      expect((await res.json()).data, search).toEqual([]);
    }
  });

  it('answers malformed percent-encoding in any path with a 4xx, API or not', async () => {
    for (const path of [
      '/%E0%A4%A',
      '/assets/%',
      '/docs/assets/%C0',
      '/v1/conversations/%E0%A4%A',
      '/x%ZZ',
    ]) {
      const res = await f.request(path, { key: f.readKey });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });
});
