/**
 * At least 100 different bad requests per route of `serveAgents` (generated from families of mistakes in
 * test/bad-request-cases.ts): every one answers its 4xx with a JSON error whose message is not empty and
 * names the field at fault, nothing answers 5xx, and each route still serves a good request afterwards.
 * In process through `app.request()`, then a sample over a real listening server (with malformed HTTP).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyRouteCases } from '../../test/bad-history-requests.ts';
import { routesWithBody } from '../../test/bad-request-body-routes.ts';
import { ALICE, type BadRequest, JSON_TYPE, SSE } from '../../test/bad-request-cases.ts';
import { check, sendTo, signature } from '../../test/bad-request-check.ts';
import { ALICE_JSON, BOB, type RouteContext, routesWithoutBody } from '../../test/bad-request-routes.ts';
import { bearerUser, calculatorAgent, failingAgent, parseSse, weatherAgent } from '../../test/fixtures.ts';
import { type ListeningServer, listen } from '../../test/listening-server.ts';
import { serveAgents } from './agent-routes.ts';
import type { RunOutcome } from './live-run.ts';

/** Filled in by beforeAll; the cases read it when they are made. */
const ctx = { start } as RouteContext;
const ROUTES = { ...routesWithoutBody(ctx), ...routesWithBody(ctx), ...historyRouteCases(ctx) };

async function start(
  agent: string,
  input: string,
  headers: Record<string, string> = ALICE,
): Promise<RunOutcome> {
  const response = await ctx.router.request(`/agents/${agent}/runs`, {
    method: 'POST',
    headers: { ...headers, ...JSON_TYPE },
    body: JSON.stringify({ input }),
  });
  return (await response.json()) as RunOutcome;
}

/** A run of Alice's waiting for approval of `6 * 7`-like input. */
async function pausedRun(input: string): Promise<RouteContext['runs']['paused']> {
  const paused = await start('calculator', input);
  expect(paused.status).toBe('awaiting_approval');
  return { ...paused, approvalId: paused.approvals?.[0]?.approvalId as string };
}

beforeAll(async () => {
  ctx.router = serveAgents({
    agents: [calculatorAgent(), weatherAgent(), failingAgent()],
    getUser: bearerUser,
    tracker: false,
  });
  const sse = await ctx.router.request('/agents/calculator/runs', {
    method: 'POST',
    headers: { ...ALICE_JSON, ...SSE },
    body: JSON.stringify({ input: 'what is 2 + 3' }),
  });
  const frames = parseSse(await sse.text()).length;
  ctx.runs = {
    streamed: { runId: sse.headers.get('x-sightline-run-id') as string, frames },
    completed: await start('calculator', 'what is 1 + 1'),
    failed: await start('failing', 'hello'),
    paused: await pausedRun('what is 6 * 7'),
    bobCompleted: await start('calculator', 'what is 3 + 3', BOB),
    bobPaused: await start('calculator', 'what is 3 * 3', BOB),
  };
  expect(ctx.runs.bobPaused.status).toBe('awaiting_approval');
});

afterAll(async () => {
  await ctx.router?.close();
});

function inProcess(request: BadRequest): Promise<Response> {
  return sendTo(ctx.router)(request);
}

describe('100 bad requests per route, in process', () => {
  for (const [route, { cases, good }] of Object.entries(ROUTES)) {
    it(`${route}: each a clear 4xx, then a good request works`, async () => {
      const list = cases();
      expect(list.length).toBeGreaterThanOrEqual(100);
      // Different requests, not copies of one.
      expect(new Set(list.map(signature)).size).toBe(list.length);
      expect(await check(list, inProcess)).toEqual([]);
      await good();
    });
  }
});

describe('bad requests over a real server', () => {
  let server: ListeningServer;
  beforeAll(async () => {
    server = await listen(ctx.router);
    // The in-process approvals test answered the paused run: pause another.
    ctx.runs.paused = await pausedRun('what is 7 * 7');
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers a sample of every route’s bad requests, and malformed HTTP, and stays up', async () => {
    const sample = Object.values(ROUTES).flatMap(({ cases }) =>
      cases().filter((_, index) => index % 6 === 0),
    );
    const problems = await check(sample, (request) =>
      fetch(`${server.url}${request.path}`, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
      }),
    );
    expect(problems).toEqual([]);
    for (const raw of [
      'GARBAGE\r\n\r\n',
      'POST /agents/calculator/runs HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}',
      'POST /agents/calculator/runs HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nContent-Type: application/json\r\nAuthorization: Bearer alice-token\r\n\r\n{"input":',
      `GET /agents HTTP/1.1\r\nHost: x\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`,
    ]) {
      expect((await rawExchange(server.url, raw)).slice(0, 12), raw.slice(0, 40)).toMatch(
        /^(HTTP\/1\.1 4\d\d|)$/,
      );
    }
    const agents = await fetch(`${server.url}/agents`, { headers: ALICE });
    expect(agents.status).toBe(200);
    const run = await fetch(`${server.url}/agents/calculator/runs`, {
      method: 'POST',
      headers: ALICE_JSON,
      body: JSON.stringify({ input: 'what is 7 + 8' }),
    });
    expect(await run.json()).toMatchObject({ status: 'completed', output: '[demo model] The answer is 15.' });
  });
});

/** Writes raw bytes to the server, half-closes, and returns what it answered (maybe nothing). */
function rawExchange(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.end(request));
    socket.setEncoding('utf8');
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('error', () => resolve(answer));
    socket.on('close', () => resolve(answer));
  });
}
