/**
 * The shop over real HTTP (Express listening on port 0): its own routes unchanged, the support agent
 * under /ai with the shop's auth and data, JSON and SSE runs through Express, and the app's 404 for
 * paths the agent router does not serve.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoModel } from '@sightline/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShopApp, type ShopApp } from './app.ts';

const ada = { authorization: 'Bearer ada-token', 'content-type': 'application/json' };
const linus = { authorization: 'Bearer linus-token', 'content-type': 'application/json' };
let shop: ShopApp;
let server: Server;
let base = '';

beforeAll(async () => {
  shop = createShopApp({ model: demoModel() });
  server = await new Promise<Server>((resolve) => {
    const listening = shop.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await shop.agents.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function ask(input: string, headers: Record<string, string> = ada, accept = 'application/json') {
  return fetch(`${base}/ai/agents/support/runs`, {
    method: 'POST',
    headers: { ...headers, accept },
    body: JSON.stringify({ input }),
  });
}

describe('the Express shop with the support agent under /ai', () => {
  it('keeps its own routes, auth and validation', async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ ok: true });
    expect((await fetch(`${base}/api/orders`)).status).toBe(401);
    const placed = await fetch(`${base}/api/orders`, {
      method: 'POST',
      headers: ada,
      body: JSON.stringify({ item: 'teapot', quantity: 2 }),
    });
    expect(placed.status).toBe(201);
    expect(await placed.json()).toMatchObject({ id: 1001, item: 'teapot', status: 'received' });
    const invalid = await fetch(`${base}/api/orders`, {
      method: 'POST',
      headers: ada,
      body: JSON.stringify({ item: 'cups', quantity: 0 }),
    });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(await invalid.json())).toContain('must be at least 1');
  });

  it('answers about the caller’s orders from the same store, as the same user', async () => {
    await fetch(`${base}/api/orders`, {
      method: 'POST',
      headers: linus,
      body: JSON.stringify({ item: 'keyboard', quantity: 1 }),
    });
    shop.orders.advance(1001, 'shipped');
    const listed = await ask('list my orders');
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { output: string }).output).toBe(
      "[demo model] Ada's orders:\n- order 1001: 2 x teapot, shipped",
    );
    const status = await ask('what is the status of order 1001?');
    expect(((await status.json()) as { output: string }).output).toBe(
      "[demo model] Ada's order 1001: 2 x teapot, shipped",
    );
    // Linus cannot read Ada's order through the agent either.
    const other = await ask('what is the status of order 1001?', linus);
    expect(((await other.json()) as { output: string }).output).toBe(
      '[demo model] Linus has no order matching "what is the status of order 1001?".',
    );
  });

  it('streams a run over SSE through Express', async () => {
    const response = await ask('list my orders', linus, 'text/event-stream');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const chunks = (await response.text())
      .split('\n\n')
      .map((block) => /^data: (.*)$/m.exec(block)?.[1])
      .filter((data): data is string => data !== undefined && data !== '[DONE]')
      .map((data) => JSON.parse(data) as { type: string; [key: string]: unknown });
    expect(chunks.map((chunk) => chunk.type)).toContain('tool-output-available');
    const text = chunks
      .filter((chunk) => chunk.type === 'text-delta')
      .map((chunk) => chunk.delta)
      .join('');
    expect(text).toBe("[demo model] Linus's orders:\n- order 1002: 1 x keyboard, received");
  });

  it('applies the shop’s auth to the agent, and lists it under /ai/agents', async () => {
    expect((await ask('list my orders', { 'content-type': 'application/json' })).status).toBe(401);
    const listed = await fetch(`${base}/ai/agents`, { headers: ada });
    const { agents } = (await listed.json()) as {
      agents: Array<{ name: string; tools: Array<{ name: string }> }>;
    };
    expect(agents.map((agent) => agent.name)).toEqual(['support']);
    expect(agents[0]?.tools.map((tool) => tool.name)).toEqual(['list_orders', 'order_status']);
  });

  it('refuses bad agent input with a 400 naming the field, and leaves unknown paths to the app’s 404', async () => {
    const bad = await fetch(`${base}/ai/agents/support/runs`, {
      method: 'POST',
      headers: ada,
      body: JSON.stringify({ input: 'hi', tone: 'rude' }),
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('tone');
    const missing = await fetch(`${base}/ai/nothing`, { headers: ada });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { code: 'not_found', message: 'no route for GET /ai/nothing' },
    });
    const malformed = await fetch(`${base}/ai/agents/support/runs`, {
      method: 'POST',
      headers: ada,
      body: '{"input":',
    });
    expect(malformed.status).toBe(400);
  });
});
