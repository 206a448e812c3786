import type { MemorySession } from '@openai/agents';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bearerUser,
  calculatorAgent,
  chunksOf,
  failingAgent,
  guardedAgent,
  parseSse,
  weatherAgent,
} from '../../test/fixtures.ts';
import { memorySessions, type SessionStore } from '../sessions/session-store.ts';
import { type AgentsRouter, serveAgents } from './agent-routes.ts';

const alice = { authorization: 'Bearer alice-token', 'content-type': 'application/json' };
const bob = { authorization: 'Bearer bob-token', 'content-type': 'application/json' };

let router: AgentsRouter | undefined;
afterEach(async () => {
  await router?.close();
  router = undefined;
});

function serve(sessions: SessionStore = memorySessions(), maxTurns?: number): AgentsRouter {
  router = serveAgents({
    agents: [calculatorAgent(), weatherAgent(), guardedAgent(), failingAgent()],
    sessions,
    getUser: bearerUser,
    tracker: false,
    ...(maxTurns ? { maxTurns } : {}),
  });
  return router;
}

/** An error body's message and issues as one line, for matching. */
function errorText(body: unknown): string {
  const error = (body as { error: { message: string; issues?: Array<{ path: string; message: string }> } })
    .error;
  return [error.message, ...(error.issues ?? []).map((issue) => `${issue.path}: ${issue.message}`)].join(
    ' | ',
  );
}

async function post(app: AgentsRouter, path: string, body: unknown, headers: Record<string, string> = alice) {
  return app.request(path, { method: 'POST', headers, body: JSON.stringify(body) });
}

describe('agent discovery', () => {
  it('lists every served agent with its tools', async () => {
    const app = serve();
    const response = await app.request('/agents', { headers: alice });
    expect(response.status).toBe(200);
    const { agents } = (await response.json()) as {
      agents: Array<{ name: string; tools: Array<{ name: string }> }>;
    };
    expect(agents.map((agent) => agent.name)).toEqual(['calculator', 'weather', 'guarded', 'failing']);
    expect(agents[0]?.tools.map((tool) => tool.name)).toEqual(['calculate']);
  });

  it('runs getUser once per request, on the listing too', async () => {
    const seen: string[] = [];
    router = serveAgents({
      agents: [calculatorAgent()],
      getUser: (request) => {
        seen.push(new URL(request.url).pathname);
        return bearerUser(request);
      },
      tracker: false,
    });
    expect((await router.request('/agents', { headers: alice })).status).toBe(200);
    const one = await router.request('/agents/calculator', { headers: alice });
    expect(((await one.json()) as { name: string }).name).toBe('calculator');
    expect((await router.request('/agents/nope', { headers: alice })).status).toBe(404);
    expect(seen).toEqual(['/agents', '/agents/calculator', '/agents/nope']);
  });

  it('needs a user on every route', async () => {
    const app = serve();
    for (const [method, path] of [
      ['GET', '/agents'],
      ['GET', '/agents/calculator'],
      ['POST', '/agents/calculator/runs'],
      ['GET', '/agents/calculator/runs/x/stream'],
      ['POST', '/agents/calculator/runs/x/cancel'],
      ['POST', '/agents/calculator/runs/x/approvals'],
      ['POST', '/v1/chat/completions'],
    ] as const) {
      const response = await app.request(path, { method, headers: { authorization: 'Bearer nope' } });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
  });
});

describe('POST /agents/:name/runs (JSON)', () => {
  it('answers the final output, the conversation id and usage, and keeps the conversation', async () => {
    const sessions = memorySessions();
    const app = serve(sessions);
    const first = await post(app, '/agents/calculator/runs', { input: 'what is 2 + 3' });
    expect(first.status).toBe(200);
    const body = (await first.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 'completed',
      agent: 'calculator',
      output: '[demo model] The answer is 5.',
    });
    expect(body.usage).toMatchObject({ requests: 2 });
    const conversationId = body.conversationId as string;
    const second = await post(app, '/agents/calculator/runs', { input: 'and 10 - 4', conversationId });
    expect(((await second.json()) as { output: string }).output).toContain('6');
    const items = await (sessions.session(conversationId, 'alice') as MemorySession).getItems();
    expect(items.filter((item) => 'role' in item && item.role === 'user')).toHaveLength(2);
  });

  it('passes the user as the run context (tools and instructions see it)', async () => {
    const app = serve();
    const response = await post(app, '/agents/weather/runs', { input: 'weather in Paris?' });
    expect(((await response.json()) as { output: string }).output).toContain(
      'Sunny in Paris (asked by Alice)',
    );
  });

  it('keeps users apart: the same conversation id is another history for another user', async () => {
    const sessions = memorySessions();
    const app = serve(sessions);
    await post(app, '/agents/calculator/runs', { input: 'what is 1 + 1', conversationId: 'shared' });
    await post(app, '/agents/calculator/runs', { input: 'what is 2 + 2', conversationId: 'shared' }, bob);
    const aliceItems = await (sessions.session('shared', 'alice') as MemorySession).getItems();
    const bobItems = await (sessions.session('shared', 'bob') as MemorySession).getItems();
    expect(JSON.stringify(aliceItems)).toContain('1 + 1');
    expect(JSON.stringify(aliceItems)).not.toContain('2 + 2');
    expect(JSON.stringify(bobItems)).not.toContain('1 + 1');
  });

  it('answers a guardrail tripwire with 400 and the guardrail reason', async () => {
    const app = serve();
    const response = await post(app, '/agents/guarded/runs', { input: 'my password is hunter2' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string; issues: unknown[] } };
    expect(body.error.code).toBe('invalid_request');
    expect(JSON.stringify(body.error)).toContain('the message contains a password');
  });

  it('answers a model failure with 502 and max turns with 502, naming the run', async () => {
    const app = serve(memorySessions(), 1);
    const failing = await post(app, '/agents/failing/runs', { input: 'hello' });
    expect(failing.status).toBe(502);
    expect(((await failing.json()) as { error: { message: string } }).error.message).toMatch(
      /agent "failing" \(run .+\): the model provider failed: upstream said 503/,
    );
    const looping = await post(app, '/agents/weather/runs', { input: 'weather in Oslo' });
    expect(looping.status).toBe(502);
    expect(((await looping.json()) as { error: { message: string } }).error.message).toMatch(
      /Max turns \(1\) exceeded/,
    );
  });

  it('refuses bad requests with a 4xx naming the problem', async () => {
    const app = serve();
    const cases: Array<[string, RequestInit, number, RegExp]> = [
      ['/agents/nobody/runs', { body: JSON.stringify({ input: 'hi' }) }, 404, /no agent named "nobody"/],
      ['/agents/calculator/runs', { body: '{"input":' }, 400, /not valid JSON/],
      ['/agents/calculator/runs', { body: JSON.stringify({ input: 42 }) }, 400, /input/],
      ['/agents/calculator/runs', { body: JSON.stringify({ input: '' }) }, 400, /input/],
      ['/agents/calculator/runs', { body: JSON.stringify({ input: 'hi', extra: 1 }) }, 400, /extra/],
      [
        '/agents/calculator/runs',
        { body: JSON.stringify({ input: 'hi', conversationId: '' }) },
        400,
        /conversationId/,
      ],
      [
        '/agents/calculator/runs',
        { body: JSON.stringify({ input: 'x'.repeat(100_001) }) },
        400,
        /at most 100000/,
      ],
      ['/agents/calculator/runs', { body: 'x'.repeat(1024 * 1024 + 1) }, 413, /at most 1048576 bytes/],
      ['/agents/calculator/runs', { body: '' }, 400, /empty/],
    ];
    for (const [path, init, status, message] of cases) {
      const response = await app.request(path, { method: 'POST', headers: alice, ...init });
      expect(response.status, `${path} ${String(init.body).slice(0, 30)}`).toBe(status);
      expect(errorText(await response.json())).toMatch(message);
    }
    const plain = await app.request('/agents/calculator/runs', {
      method: 'POST',
      headers: { authorization: 'Bearer alice-token', 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(plain.status).toBe(415);
  });
});

describe('POST /agents/:name/runs (SSE)', () => {
  it('streams the AI SDK UI message stream, every frame with an id', async () => {
    const app = serve();
    const response = await post(
      app,
      '/agents/calculator/runs',
      { input: 'what is 2 + 3' },
      {
        ...alice,
        accept: 'text/event-stream',
      },
    );
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    const runId = response.headers.get('x-sightline-run-id');
    const events = parseSse(await response.text());
    expect(events.map((event) => Number(event.id))).toEqual(events.map((_, index) => index + 1));
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = chunksOf(events);
    expect(chunks[0]).toEqual({
      type: 'start',
      messageId: runId,
      messageMetadata: {
        runId,
        conversationId: expect.any(String),
        trackedConversationId: expect.any(String),
        agent: 'calculator',
      },
    });
    expect(chunks.map((chunk) => chunk.type)).toEqual(
      expect.arrayContaining([
        'tool-input-available',
        'tool-output-available',
        'text-start',
        'text-delta',
        'text-end',
      ]),
    );
    expect(chunks.at(-1)).toEqual({ type: 'finish', finishReason: 'stop' });
    const text = chunks
      .filter((chunk) => chunk.type === 'text-delta')
      .map((chunk) => chunk.delta)
      .join('');
    expect(text).toBe('[demo model] The answer is 5.');
  });

  it('answers a guardrail tripwire before streaming with a plain 400', async () => {
    const app = serve();
    const response = await post(
      app,
      '/agents/guarded/runs',
      { input: 'password: swordfish' },
      {
        ...alice,
        accept: 'text/event-stream',
      },
    );
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('the message contains a password');
  });
});
