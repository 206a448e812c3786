import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { bearerUser, calculatorAgent, chunksOf, parseSse } from '../../test/fixtures.ts';
import { waiting } from '../../test/sample-workflows.ts';
import { TestSocket } from '../../test/test-socket.ts';
import { serveAgents } from '../agents/agent-routes.ts';
import { serveWorkflows } from '../workflows/workflow-routes.ts';
import { createNodeHandler, listenNode, type NodeListener } from './node.ts';

const alice = { authorization: 'Bearer alice-token', 'content-type': 'application/json' };
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function listen(...args: Parameters<typeof listenNode>): Promise<NodeListener> {
  const listener = await listenNode(args[0], {
    port: 0,
    host: '127.0.0.1',
    shutdownGraceMs: 200,
    ...args[1],
  });
  cleanup.push(() => listener.close());
  return listener;
}

describe('listenNode', () => {
  it('serves agents over real HTTP: JSON and a streamed SSE run', async () => {
    const router = serveAgents({ agents: [calculatorAgent()], getUser: bearerUser, tracker: false });
    cleanup.push(() => router.close());
    const { url, port } = await listen(router);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    const json = await fetch(`${url}/agents/calculator/runs`, {
      method: 'POST',
      headers: alice,
      body: JSON.stringify({ input: 'what is 20 + 22' }),
    });
    expect(json.status).toBe(200);
    expect(((await json.json()) as { output: string }).output).toBe('[demo model] The answer is 42.');

    const streamed = await fetch(`${url}/agents/calculator/runs`, {
      method: 'POST',
      headers: { ...alice, accept: 'text/event-stream' },
      body: JSON.stringify({ input: 'what is 1 + 2' }),
    });
    expect(streamed.headers.get('content-type')).toContain('text/event-stream');
    const chunks = chunksOf(parseSse(await streamed.text()));
    const text = chunks
      .filter((chunk) => chunk.type === 'text-delta')
      .map((chunk) => chunk.delta)
      .join('');
    expect(text).toBe('[demo model] The answer is 3.');
    expect(chunks.at(-1)?.type).toBe('finish');
  });

  it('attaches WebSocket upgrades of a workflows router by itself', async () => {
    const router = serveWorkflows({ workflows: [waiting], getUser: bearerUser, tracker: false });
    cleanup.push(() => router.close());
    const { url } = await listen(router);
    const socket = await TestSocket.open(`${url.replace('http', 'ws')}/workflows/waiting/ws`, alice);
    cleanup.push(() => socket.close());
    socket.send({ type: 'start' });
    await socket.expect('started');
    const question = await socket.expect('ask');
    socket.send({ type: 'answer', questionId: question.questionId, answer: 'hello' });
    await socket.expect('answered');
    expect(await socket.expect('completed')).toMatchObject({ result: 'you said hello' });
  });

  it('serves the WebSockets of a router mounted in a bigger app when told which router', async () => {
    const router = serveWorkflows({ workflows: [waiting], getUser: bearerUser, tracker: false });
    cleanup.push(() => router.close());
    const app = new Hono();
    app.get('/health', (c) => c.text('ok'));
    app.route('/wf', router);
    const { url } = await listen(app, { websockets: router });
    expect(await (await fetch(`${url}/health`)).text()).toBe('ok');
    const socket = await TestSocket.open(`${url.replace('http', 'ws')}/wf/workflows/waiting/ws`, alice);
    cleanup.push(() => socket.close());
    socket.send({ type: 'start' });
    expect(await socket.expect('started')).toMatchObject({ workflow: 'waiting' });
  });

  it('closes with open SSE streams and WebSockets, cutting them after the grace period', async () => {
    const router = serveWorkflows({ workflows: [waiting], getUser: bearerUser, tracker: false });
    cleanup.push(() => router.close());
    const listener = await listenNode(router, { port: 0, host: '127.0.0.1', shutdownGraceMs: 100 });
    const stream = await fetch(`${listener.url}/workflows/waiting/runs`, {
      method: 'POST',
      headers: { ...alice, accept: 'text/event-stream' },
      body: '{}',
    });
    expect(stream.status).toBe(200);
    const socket = await TestSocket.open(`${listener.url.replace('http', 'ws')}/workflows/waiting/ws`, alice);
    const started = Date.now();
    await listener.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await socket.closed).code).not.toBe(1000);
    await expect(fetch(`${listener.url}/workflows`, { headers: alice })).rejects.toThrow();
  });

  it('refuses a port in use', async () => {
    const first = await listen(new Hono());
    await expect(listenNode(new Hono(), { port: first.port, host: '127.0.0.1' })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});

describe('createNodeHandler', () => {
  it('answers through a plain node:http server, a thrown error as a 500 JSON error', async () => {
    const errors: unknown[] = [];
    const app = {
      fetch: (request: Request) => {
        if (new URL(request.url).pathname === '/boom') throw new Error('kaboom');
        return Response.json({ path: new URL(request.url).pathname, method: request.method });
      },
    };
    const server = createServer(createNodeHandler(app, { onError: (error) => errors.push(error) }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await (await fetch(`${base}/hello`, { method: 'DELETE' })).json()).toEqual({
      path: '/hello',
      method: 'DELETE',
    });
    const failed = await fetch(`${base}/boom`);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ error: { code: 'internal', message: 'internal server error' } });
    expect(String(errors[0])).toContain('kaboom');
  });
});
