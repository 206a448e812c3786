/**
 * The tracker's acceptance through this example and the real collector: 1,000 concurrent interleaved
 * conversations each hold exactly their own messages in order, and events dropped by a bounded buffer
 * during an outage are counted on the server afterwards.
 */
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { ConversationDetail, IngestionHealth } from '@sightline/core';
import { createLogger, createSightlineApp, listen, type RunningServer } from '@sightline/server';
import { createStore, type Store } from '@sightline/store';
import { createTracker } from '@sightline/tracker';
import { instrumentOpenAI } from '@sightline/tracker/openai';
import { type FakeOpenAI, startFakeOpenAI } from '@sightline/tracker/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatApp } from './app.ts';

let store: Store;
let collector: ReturnType<typeof createSightlineApp>;
let running: RunningServer;
let provider: FakeOpenAI;
let ingestKey: string;
let readKey: string;

beforeAll(async () => {
  store = createStore({ database: ':memory:' });
  await store.migrate();
  const project = await store.createProject({ name: 'acceptance' });
  ingestKey = (await store.createApiKey({ projectId: project.id, scope: 'ingest' })).key;
  readKey = (await store.createApiKey({ projectId: project.id, scope: 'read' })).key;
  collector = createSightlineApp({ store, logger: createLogger({ level: 'silent' }) });
  running = await listen({ collector, port: 0 });
  provider = await startFakeOpenAI();
});

afterAll(async () => {
  await provider.stop();
  await running.close();
  await store.close();
});

async function read<T>(path: string): Promise<T> {
  const response = await fetch(`${running.url}${path}`, { headers: { authorization: `Bearer ${readKey}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return (await response.json()) as T;
}

describe('hono-chat through the real collector', () => {
  it('keeps 1,000 concurrent interleaved conversations apart: each holds exactly its messages, in order', async () => {
    const tracker = createTracker({ endpoint: running.url, apiKey: ingestKey, exitHooks: false });
    const openai = instrumentOpenAI(
      new OpenAI({ apiKey: 'sk-test', baseURL: provider.baseURL, maxRetries: 0 }),
    );
    const server = createAdaptorServer({ fetch: createChatApp({ tracker, openai }).fetch });
    // 1,000 connections arrive at once: a backlog above Node's 511, so none is refused while the CPU is shared.
    await new Promise((resolve) =>
      server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => resolve(null)),
    );
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const conversations = 1000;
    const turns = 3;
    const say = (index: number, turn: number) => `conversation ${index} says ${turn}`;
    try {
      // Every conversation's turns are sequential; all conversations run at once, so turns interleave.
      await Promise.all(
        Array.from({ length: conversations }, async (_, index) => {
          for (let turn = 0; turn < turns; turn++) {
            const response = await fetch(`${url}/chat`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ message: say(index, turn), conversation_id: `many-${index}` }),
            });
            expect(response.status).toBe(200);
          }
        }),
      );
      expect(await tracker.shutdown({ timeoutMs: 30_000 })).toMatchObject({ ok: true, pending: 0 });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    for (let index = 0; index < conversations; index++) {
      const detail = await read<ConversationDetail>(`/v1/conversations/many-${index}`);
      const expected = Array.from({ length: turns }, (_, turn) => [
        ['human', say(index, turn)],
        ['agent', `You said: ${say(index, turn)}`],
      ]).flat();
      expect(detail.messages.map((message) => [message.role, message.content])).toEqual(expected);
      expect(detail.steps.filter((step) => step.type === 'llm')).toHaveLength(turns);
    }
  }, 120_000);

  it('counts the events a full buffer dropped during an outage, and shows the count on the server', async () => {
    // A collector that is down: the port is taken from a server that is then closed.
    const down = await listen({
      collector: createSightlineApp({ store, logger: createLogger({ level: 'silent' }) }),
      port: 0,
    });
    const port = down.port;
    await down.close();
    const cap = 100;
    const tracker = createTracker({
      endpoint: `http://127.0.0.1:${port}`,
      apiKey: ingestKey,
      maxBufferEvents: cap,
      flushIntervalMs: 50,
      retryBaseDelayMs: 20,
      retryMaxDelayMs: 100,
      exitHooks: false,
      onError: () => {},
    });
    const conversation = tracker.conversation('outage-drops');
    for (let index = 0; index < 1000; index++) conversation.trackHumanMessage(`message ${index}`);
    expect(tracker.stats().dropped.events).toBe(1000 - cap);

    const back = await listen({
      collector: createSightlineApp({ store, logger: createLogger({ level: 'silent' }) }),
      port,
    });
    try {
      // Not ok: the summary reports the drops; everything kept was delivered.
      expect(await tracker.shutdown({ timeoutMs: 10_000 })).toMatchObject({
        ok: false,
        sent: cap,
        failed: 0,
        dropped: 1000 - cap,
        pending: 0,
      });
      const health = (await (
        await fetch(`${back.url}/v1/ingestion/health`, { headers: { authorization: `Bearer ${readKey}` } })
      ).json()) as IngestionHealth;
      expect(health.clients.map((client) => client.droppedEvents)).toContain(1000 - cap);
      const detail = (await (
        await fetch(`${back.url}/v1/conversations/outage-drops`, {
          headers: { authorization: `Bearer ${readKey}` },
        })
      ).json()) as ConversationDetail;
      expect(detail.messages).toHaveLength(cap);
    } finally {
      await back.close();
    }
  }, 60_000);
});
