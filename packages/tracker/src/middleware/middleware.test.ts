import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCollector, startFakeCollector } from '../testing/fake-collector.ts';
import { createTracker, type Tracker } from '../tracker.ts';
import { sightlineExpress } from './express.ts';
import { sightlineFastify } from './fastify.ts';
import { sightlineHono } from './hono.ts';

let collector: FakeCollector;
let tracker: Tracker;
const closers: Array<() => Promise<unknown>> = [];

beforeEach(async () => {
  collector = await startFakeCollector();
  tracker = createTracker({ endpoint: collector.url, onError: () => undefined, flushIntervalMs: 50 });
});

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await tracker.shutdown({ timeoutMs: 1000 });
  await collector.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The seed's chat turn, written against the ambient API only: no handle is passed around. */
async function chatTurn(message: string): Promise<string> {
  tracker.trackHumanMessage(message);
  await pause(Math.random() * 5);
  const answer = await tracker.step({ type: 'tool', name: 'lookup', input: message }, async () => {
    await pause(Math.random() * 5);
    return `echo: ${message}`;
  });
  tracker.trackAgentMessage(answer);
  return answer;
}

/** What one conversation must hold at the collector: exactly its own turns, in order. */
function expectedEvents(id: string, turns: number): string[] {
  return Array.from({ length: turns }, (_, turn) => [
    `human:${id} turn ${turn}`,
    'step:lookup',
    'step:lookup',
    `agent:echo: ${id} turn ${turn}`,
  ]).flat();
}

function describeEvents(id: string): string[] {
  return collector
    .eventsOf(id)
    .map((event) =>
      event.type === 'message'
        ? `${event.body.role}:${event.body.content}`
        : `${event.type}:${event.body.name}`,
    );
}

async function listen(server: ServerType): Promise<string> {
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('Hono middleware', () => {
  it('keeps 1,000 concurrent interleaved conversations apart, each with exactly its own events in order', async () => {
    const app = new Hono();
    app.use('/chat', sightlineHono({ tracker }));
    app.post('/chat', async (c) => {
      const { message } = await c.req.json<{ message: string }>();
      const answer = await chatTurn(message);
      return c.json({ answer, conversationId: tracker.currentConversation()?.id });
    });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    const url = await listen(server);

    const conversations = 1000;
    const turns = 2;
    const converse = async (index: number) => {
      const id = `conv-${index}`;
      for (let turn = 0; turn < turns; turn++) {
        const response = await fetch(`${url}/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-conversation-id': id },
          body: JSON.stringify({ message: `${id} turn ${turn}` }),
        });
        expect(response.headers.get('x-conversation-id')).toBe(id);
        expect(await response.json()).toEqual({ answer: `echo: ${id} turn ${turn}`, conversationId: id });
      }
    };
    await Promise.all(Array.from({ length: conversations }, (_, index) => converse(index)));
    const summary = await tracker.flush({ timeoutMs: 20_000 });

    expect(summary).toMatchObject({ ok: true, sent: conversations * turns * 4 });
    for (let index = 0; index < conversations; index++) {
      expect(describeEvents(`conv-${index}`)).toEqual(expectedEvents(`conv-${index}`, turns));
    }
    expect(collector.events).toHaveLength(conversations * turns * 4);
  });

  it('takes the conversation and customer from callbacks, starts a new one when none is given', async () => {
    const app = new Hono();
    app.use(
      '*',
      sightlineHono({
        tracker,
        conversationId: (c) => c.req.query('thread'),
        customerId: (c) => c.req.header('x-user'),
        context: () => ({ source: 'web' }),
      }),
    );
    app.get('/hello', (c) => {
      tracker.trackHumanMessage('hello');
      return c.text('hi');
    });
    const named = await app.request('/hello?thread=t-1', { headers: { 'x-user': 'user-9' } });
    const fresh = await app.request('/hello');
    expect(named.headers.get('x-conversation-id')).toBe('t-1');
    const generated = fresh.headers.get('x-conversation-id');
    expect(generated).toMatch(/^conv_/);
    await tracker.flush();
    expect(collector.eventsOf('t-1')[0]?.body).toMatchObject({
      customerId: 'user-9',
      source: 'web',
      content: 'hello',
    });
    expect(collector.eventsOf(generated as string)).toHaveLength(1);
  });

  it('lets the handler switch conversation with getOrCreateConversation (the seeds’ body field)', async () => {
    const app = new Hono();
    app.use('*', sightlineHono({ tracker }));
    app.post('/chat', async (c) => {
      const body = await c.req.json<{ conversation_id: string; message: string }>();
      tracker.getOrCreateConversation({ conversationId: body.conversation_id, customerId: 'user-456' });
      await chatTurn(body.message);
      return c.text('ok');
    });
    const response = await app.request('/chat', {
      method: 'POST',
      body: JSON.stringify({ conversation_id: 'web-chat-123', message: 'Hello!' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.headers.get('x-conversation-id')).toBe('web-chat-123');
    await tracker.flush();
    expect(describeEvents('web-chat-123')).toEqual([
      'human:Hello!',
      'step:lookup',
      'step:lookup',
      'agent:echo: Hello!',
    ]);
  });
});

describe('Express middleware', () => {
  it('keeps concurrent conversations apart behind express.json()', async () => {
    const app = express();
    app.use(express.json());
    app.use(sightlineExpress({ tracker, customerId: (req) => req.get('x-user') }));
    app.post('/chat', async (req, res) => {
      res.json({ answer: await chatTurn((req.body as { message: string }).message) });
    });
    const server = app.listen(0, '127.0.0.1');
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    const url = await listen(server as unknown as ServerType);
    await Promise.all(
      Array.from({ length: 100 }, async (_, index) => {
        const response = await fetch(`${url}/chat`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-conversation-id': `ex-${index}`,
            'x-user': `u-${index}`,
          },
          body: JSON.stringify({ message: `ex-${index} turn 0` }),
        });
        expect(response.headers.get('x-conversation-id')).toBe(`ex-${index}`);
      }),
    );
    await tracker.flush();
    for (let index = 0; index < 100; index++) {
      expect(describeEvents(`ex-${index}`)).toEqual(expectedEvents(`ex-${index}`, 1));
      expect(collector.eventsOf(`ex-${index}`)[0]?.body.customerId).toBe(`u-${index}`);
    }
  });
});

describe('Fastify plugin', () => {
  it('keeps concurrent conversations apart across body parsing', async () => {
    const app = Fastify();
    await app.register(sightlineFastify, { tracker });
    app.post('/chat', async (request) => ({
      answer: await chatTurn((request.body as { message: string }).message),
    }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    await Promise.all(
      Array.from({ length: 100 }, async (_, index) => {
        const response = await fetch(`${url}/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-conversation-id': `fy-${index}` },
          body: JSON.stringify({ message: `fy-${index} turn 0` }),
        });
        expect(response.headers.get('x-conversation-id')).toBe(`fy-${index}`);
      }),
    );
    await tracker.flush();
    for (let index = 0; index < 100; index++) {
      expect(describeEvents(`fy-${index}`)).toEqual(expectedEvents(`fy-${index}`, 1));
    }
  });
});
