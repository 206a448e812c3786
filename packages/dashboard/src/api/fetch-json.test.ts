import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from './api-error.ts';
import { fetchJson } from './fetch-json.ts';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ok') return void res.writeHead(200).end('{"answer":42}');
    if (req.url === '/refused')
      return void res.writeHead(400, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          error: {
            code: 'invalid_request',
            message: 'days: too small',
            issues: [{ path: 'days', message: 'too small' }],
          },
        }),
      );
    if (req.url === '/html') return void res.writeHead(502, 'Bad Gateway').end('<html>proxy</html>');
    // /slow: never answers, so that the caller can give up
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** What fetchJson threw. */
async function failure(url: string, init: RequestInit = {}): Promise<unknown> {
  return fetchJson(url, init).then(
    () => expect.fail('resolved'),
    (error: unknown) => error,
  );
}

describe('fetchJson', () => {
  it('resolves to the JSON answer', async () => {
    expect(await fetchJson(`${base}/ok`, {})).toEqual({ answer: 42 });
  });

  it('turns an error answer into an ApiError with its code, message and issues', async () => {
    const error = await failure(`${base}/refused`);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_request',
      message: 'days: too small',
      issues: [{ path: 'days', message: 'too small' }],
    });
    expect(await failure(`${base}/html`)).toMatchObject({
      status: 502,
      code: 'http_502',
      message: '502 Bad Gateway',
    });
  });

  it('says the collector did not answer when nothing answers, and lets an abort through', async () => {
    const closed = await failure('http://127.0.0.1:1/v1/project');
    expect(closed).toMatchObject({
      status: 0,
      code: 'network',
      message: 'The collector did not answer (network error).',
    });
    const controller = new AbortController();
    const pending = failure(`${base}/slow`, { signal: controller.signal });
    controller.abort();
    const aborted = await pending;
    expect(aborted).not.toBeInstanceOf(ApiError);
    expect((aborted as Error).name).toBe('AbortError');
  });
});
