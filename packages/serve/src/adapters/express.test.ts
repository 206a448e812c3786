import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerUser, calculatorAgent, chunksOf, parseSse } from '../../test/fixtures.ts';
import { waiting } from '../../test/sample-workflows.ts';
import { TestSocket } from '../../test/test-socket.ts';
import { type AgentsRouter, serveAgents } from '../agents/agent-routes.ts';
import { serveMcp } from '../mcp/mcp-routes.ts';
import { serveWorkflows, type WorkflowsRouter } from '../workflows/workflow-routes.ts';
import { injectWebSocket, toExpress } from './express.ts';

const alice = { authorization: 'Bearer alice-token', 'content-type': 'application/json' };
let agents: AgentsRouter;
let workflows: WorkflowsRouter;
let server: Server;
let base = '';

/** A router without its own error handler, and one that echoes bodies, to see what Express hands over. */
function echoRouter(): Hono {
  const echo = new Hono();
  echo.post('/json', async (c) => c.json({ got: await c.req.json() }));
  echo.post('/form', async (c) => c.json({ got: await c.req.parseBody() }));
  echo.post('/text', async (c) => c.json({ got: await c.req.text() }));
  echo.get('/explode', () => {
    throw new Error('the router exploded');
  });
  return echo;
}

beforeAll(async () => {
  agents = serveAgents({ agents: [calculatorAgent()], getUser: bearerUser, tracker: false });
  workflows = serveWorkflows({ workflows: [waiting], getUser: bearerUser, tracker: false });
  const app = express();
  app.get('/health', (_request, response) => {
    response.json({ ok: true });
  });
  // Mounted before any body parser: the router reads the request stream itself.
  app.use('/ai', toExpress(agents));
  app.use('/wf', toExpress(workflows));
  app.use('/strict', toExpress(agents, { fallthrough: false }));
  app.use('/raw', toExpress(echoRouter()));
  // After a body parser: the parsed body is handed to the router.
  app.use(express.json(), express.urlencoded(), express.text());
  app.use('/parsed/ai', toExpress(agents));
  app.use('/parsed/tools', toExpress(serveMcp({ tools: calculatorAgent().tools, getUser: bearerUser })));
  app.use('/parsed', toExpress(echoRouter()));
  app.use((_request: Request, response: Response) => {
    response.status(404).json({ from: 'express', error: 'no such page' });
  });
  app.use((error: Error, _request: Request, response: Response, _next: NextFunction) => {
    response.status(500).json({ from: 'express', error: error.message });
  });
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  injectWebSocket(server, workflows, '/wf');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await agents.close();
  await workflows.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function runCalculator(path: string, input: string, headers: Record<string, string> = alice) {
  return fetch(`${base}${path}/agents/calculator/runs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ input }),
  });
}

describe('toExpress', () => {
  it("keeps the Express app's own routes and serves the router under its mount path", async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ ok: true });
    const listed = await fetch(`${base}/ai/agents`, { headers: alice });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { agents: Array<{ name: string }> }).agents[0]?.name).toBe('calculator');
    const refused = await fetch(`${base}/ai/agents`);
    expect(refused.status).toBe(401);
  });

  it('runs an agent with a body read from the stream, and with a body a parser already read', async () => {
    for (const prefix of ['/ai', '/parsed/ai']) {
      const response = await runCalculator(prefix, 'what is 60 - 7 + 2');
      expect(response.status, prefix).toBe(200);
      expect(((await response.json()) as { output: string }).output, prefix).toBe(
        '[demo model] The answer is 55.',
      );
    }
    const invalid = await fetch(`${base}/parsed/ai/agents/calculator/runs`, {
      method: 'POST',
      headers: alice,
      body: JSON.stringify({ input: 42 }),
    });
    expect(invalid.status).toBe(400);
  });

  it('streams SSE through Express', async () => {
    const response = await runCalculator('/ai', 'what is 2 + 2', { ...alice, accept: 'text/event-stream' });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('x-sightline-run-id')).toBeTruthy();
    const chunks = chunksOf(parseSse(await response.text()));
    expect(chunks[0]?.type).toBe('start');
    const text = chunks
      .filter((chunk) => chunk.type === 'text-delta')
      .map((chunk) => chunk.delta)
      .join('');
    expect(text).toBe('[demo model] The answer is 4.');
  });

  it('hands bodies parsed as JSON, forms and text over as the client sent them', async () => {
    const post = (path: string, type: string, body: string) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
    for (const prefix of ['/raw', '/parsed']) {
      expect(await (await post(`${prefix}/json`, 'application/json', '{"a":[1,2]}')).json()).toEqual({
        got: { a: [1, 2] },
      });
      expect(
        await (await post(`${prefix}/form`, 'application/x-www-form-urlencoded', 'x=1&y=two')).json(),
      ).toEqual({ got: { x: '1', y: 'two' } });
      expect(await (await post(`${prefix}/text`, 'text/plain', 'plain words')).json()).toEqual({
        got: 'plain words',
      });
    }
  });

  it('passes what the router has no route for to Express, unless fallthrough is off', async () => {
    const missing = await fetch(`${base}/ai/nothing-here`, { headers: alice });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ from: 'express', error: 'no such page' });
    // A 404 the router answers itself stays the router's.
    const noAgent = await runCalculator('/ai', 'hi').then(() =>
      fetch(`${base}/ai/agents/nobody`, { headers: alice }),
    );
    expect(((await noAgent.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const strict = await fetch(`${base}/strict/nothing-here`, { headers: alice });
    expect(strict.status).toBe(404);
    expect(await strict.text()).not.toContain('express');
  });

  it("gives errors the router does not handle to Express's error handlers", async () => {
    const response = await fetch(`${base}/raw/explode`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ from: 'express', error: 'the router exploded' });
  });

  it('serves MCP behind a body parser', async () => {
    const client = new Client({ name: 'express-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/parsed/tools/mcp`), {
        requestInit: { headers: { authorization: 'Bearer alice-token' } },
      }),
    );
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['calculate']);
    const result = await client.callTool({ name: 'calculate', arguments: { expression: '2 + 5' } });
    expect(result.content).toEqual([{ type: 'text', text: '7' }]);
    await client.close();
  });

  it('serves WebSockets of a workflows router mounted under a prefix', async () => {
    const socket = await TestSocket.open(`${base.replace('http', 'ws')}/wf/workflows/waiting/ws`, alice);
    socket.send({ type: 'start' });
    await socket.expect('started');
    const question = await socket.expect('ask');
    socket.send({ type: 'answer', questionId: question.questionId, answer: 'from express' });
    await socket.expect('answered');
    expect(await socket.expect('completed')).toMatchObject({ result: 'you said from express' });
    socket.close();
  });
});
