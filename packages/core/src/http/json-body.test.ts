import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorHandler } from './error-handler.ts';
import { readJsonBody, readValidJson } from './json-body.ts';

const app = new Hono();
app.onError(errorHandler());
app.post('/any', async (c) => c.json({ got: await readJsonBody(c, { maxBytes: 1000 }) }));
app.post('/flat', async (c) => c.json({ got: await readJsonBody(c, { maxBytes: 1000, maxDepth: false }) }));
app.post('/typed', async (c) =>
  c.json(await readValidJson(c, z.strictObject({ name: z.string().max(5) }), { maxBytes: 1000 })),
);

const JSON_TYPE = { 'content-type': 'application/json' };
const post = (path: string, body: BodyInit, headers: Record<string, string> = JSON_TYPE) =>
  app.request(path, { method: 'POST', headers, body });
const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string; issues?: unknown[] } }).error;

describe('readJsonBody', () => {
  it('reads JSON sent plain, gzip, zlib deflate and raw deflate', async () => {
    const text = '{"a":[1,2,{"b":"c"}]}';
    for (const [encoding, body] of [
      ['identity', Buffer.from(text)],
      ['gzip', gzipSync(text)],
      ['deflate', deflateSync(text)],
      ['deflate', deflateRawSync(text)],
    ] as const) {
      const response = await post('/any', body, { ...JSON_TYPE, 'content-encoding': encoding });
      expect(response.status, encoding).toBe(200);
      expect(await response.json()).toEqual({ got: JSON.parse(text) });
    }
    expect(
      (await post('/any', '{}', { 'content-type': 'application/problem+json; charset=utf-8' })).status,
    ).toBe(200);
  });

  it('refuses a body over the limit, as sent or once decoded (a gzip bomb), with 413 naming the limit', async () => {
    const big = await post('/any', JSON.stringify({ x: 'x'.repeat(2000) }));
    expect(big.status).toBe(413);
    expect(await errorOf(big)).toMatchObject({
      code: 'payload_too_large',
      message: 'body must be at most 1000 bytes',
      issues: [{ path: 'body', message: 'must be at most 1000 bytes' }],
    });
    const bomb = gzipSync(JSON.stringify({ x: '0'.repeat(500_000) }), { level: 9 });
    expect(bomb.byteLength).toBeLessThan(1000);
    const inflated = await post('/any', bomb, { ...JSON_TYPE, 'content-encoding': 'gzip' });
    expect(inflated.status).toBe(413);
  });

  it('answers 415 for a content type or encoding it does not read, naming the header', async () => {
    for (const type of ['text/plain', 'application/jsonx', 'text/json', '']) {
      const response = await post('/any', '{}', { 'content-type': type });
      expect(response.status, type).toBe(415);
      expect(await errorOf(response)).toMatchObject({ issues: [{ path: 'content-type' }] });
    }
    const noType = await app.request('/any', { method: 'POST', body: new Uint8Array([0x7b, 0x7d]) });
    expect(noType.status).toBe(415);
    const br = await post('/any', '{}', { ...JSON_TYPE, 'content-encoding': 'br' });
    expect(br.status).toBe(415);
    expect(await errorOf(br)).toMatchObject({ issues: [{ path: 'content-encoding' }] });
  });

  it('answers 400 for bad gzip, bad UTF-8, a byte order mark, an empty body and broken JSON', async () => {
    const cases: Array<[BodyInit, Record<string, string>, string, RegExp]> = [
      ['{}', { ...JSON_TYPE, 'content-encoding': 'gzip' }, 'invalid_request', /not valid gzip/],
      [new Uint8Array([0x7b, 0xff, 0x7d]), JSON_TYPE, 'invalid_json', /UTF-8/],
      [new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), JSON_TYPE, 'invalid_json', /not valid JSON/],
      ['', JSON_TYPE, 'invalid_json', /body is empty/],
      [' \n', JSON_TYPE, 'invalid_json', /body is empty/],
      ['{"a":', JSON_TYPE, 'invalid_json', /not valid JSON/],
    ];
    for (const [body, headers, code, message] of cases) {
      const response = await post('/any', body, headers);
      expect(response.status, String(message)).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    }
  });

  it('refuses deep nesting and prototype keys with a 400 naming the place, unless the caller checks them', async () => {
    const deep = `${'['.repeat(150)}${']'.repeat(150)}`;
    const nested = await post('/any', deep);
    expect(nested.status).toBe(400);
    expect(JSON.stringify(await errorOf(nested))).toContain('must nest at most 100 levels deep');
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const response = await post('/any', `{"a":[{"${key}":{"admin":true}}]}`);
      expect(response.status, key).toBe(400);
      expect(await errorOf(response)).toMatchObject({ issues: [{ path: `a.0.${key}` }] });
    }
    expect((await post('/flat', deep)).status).toBe(200);
    expect((await post('/flat', '{"__proto__":1}')).status).toBe(200);
  });

  it('validates with a schema, naming each field', async () => {
    expect(await (await post('/typed', '{"name":"ada"}')).json()).toEqual({ name: 'ada' });
    const bad = await post('/typed', '{"name":"adelaide","x":1}');
    expect(bad.status).toBe(400);
    const paths = ((await errorOf(bad)).issues as Array<{ path: string }>).map((issue) => issue.path);
    expect(paths.sort()).toEqual(['', 'name']);
  });
});
