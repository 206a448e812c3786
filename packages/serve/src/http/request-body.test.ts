import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerUser, calculatorAgent } from '../../test/fixtures.ts';
import { type ListeningServer, listen } from '../../test/listening-server.ts';
import { type AgentsRouter, serveAgents } from '../agents/agent-routes.ts';
import type { RunOutcome } from '../agents/live-run.ts';

// Over real HTTP on Node the router reads the request stream itself (no web Request): the same limits apply.
let router: AgentsRouter;
let server: ListeningServer;
beforeAll(async () => {
  router = serveAgents({
    agents: [calculatorAgent()],
    getUser: bearerUser,
    tracker: false,
    maxBodyBytes: 1000,
  });
  server = await listen(router);
});
afterAll(async () => {
  await router.close();
  await server.close();
});

/** A POST with the body written in `chunks` (chunked transfer encoding: no content-length). */
function postChunked(path: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${server.url}${path}`,
      {
        method: 'POST',
        headers: { authorization: 'Bearer alice-token', 'content-type': 'application/json' },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}

const post = (body: string) =>
  fetch(`${server.url}/agents/calculator/runs`, {
    method: 'POST',
    headers: { authorization: 'Bearer alice-token', 'content-type': 'application/json' },
    body,
  });

describe('request bodies over Node HTTP', () => {
  it('runs with a body sent whole or in chunks', async () => {
    const whole = await post(JSON.stringify({ input: 'what is 2 + 2' }));
    expect(((await whole.json()) as RunOutcome).output).toBe('[demo model] The answer is 4.');
    const chunked = await postChunked('/agents/calculator/runs', ['{"input": "what', ' is 3 + 3"}']);
    expect(chunked.status).toBe(200);
    expect((JSON.parse(chunked.body) as RunOutcome).output).toBe('[demo model] The answer is 6.');
  });

  it('refuses a body over the limit with 413, declared or streamed, and keeps serving', async () => {
    const declared = await post(JSON.stringify({ input: 'x'.repeat(2000) }));
    expect(declared.status).toBe(413);
    expect(await declared.text()).toContain('body must be at most 1000 bytes');
    const streamed = await postChunked('/agents/calculator/runs', [
      '{"input": "',
      'x'.repeat(800),
      'x'.repeat(800),
      '"}',
    ]);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    const after = await post(JSON.stringify({ input: 'hello' }));
    expect(after.status).toBe(200);
  });

  it('answers 400 for an empty body and for JSON that does not parse', async () => {
    const empty = await postChunked('/agents/calculator/runs', []);
    expect(empty.status).toBe(400);
    expect(empty.body).toContain('body is empty');
    const broken = await post('{"input": ');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
  });
});
