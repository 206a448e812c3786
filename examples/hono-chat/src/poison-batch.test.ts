/**
 * Poison batch, end to end: a tracker whose batch holds one event the REAL collector cannot store
 * (its store throws on that event id, so the collector answers 500) delivers every other event, and
 * the dropped one is counted, with its reason, on GET /v1/ingestion/health (the ingestion page).
 */
import type { ConversationDetail, IngestionHealth } from '@sightline/core';
import { createLogger, createSightlineApp, listen, type RunningServer } from '@sightline/server';
import { createStore, type Store } from '@sightline/store';
import { createTracker, type TrackerError } from '@sightline/tracker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let store: Store;
let running: RunningServer;
let ingestKey: string;
let readKey: string;
/** The id of the event the collector's store refuses to append. */
let poisonId: string | undefined;

/** The store, except that appending a batch holding the poison event throws. */
function storeFailingOnPoison(inner: Store): Store {
  return new Proxy(inner, {
    get(target, key) {
      if (key === 'append') {
        return (projectId: string, events: Parameters<Store['append']>[1]) =>
          events.some((event) => event.id === poisonId)
            ? Promise.reject(new Error('disk says no to this event'))
            : target.append(projectId, events);
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function read<T>(path: string): Promise<T> {
  const response = await fetch(`${running.url}${path}`, { headers: { authorization: `Bearer ${readKey}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return (await response.json()) as T;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  store = createStore({ database: ':memory:' });
  await store.migrate();
  const project = await store.createProject({ name: 'poison' });
  ingestKey = (await store.createApiKey({ projectId: project.id, scope: 'ingest' })).key;
  readKey = (await store.createApiKey({ projectId: project.id, scope: 'read' })).key;
  const collector = createSightlineApp({
    store: storeFailingOnPoison(store),
    logger: createLogger({ level: 'silent' }),
  });
  running = await listen({ collector, port: 0 });
});

afterAll(async () => {
  await running.close();
  await store.close();
});

describe('poison batch through the real collector', () => {
  it('delivers every other event, and the dropped one is counted with its reason on /v1/ingestion/health', async () => {
    const errors: TrackerError[] = [];
    const tracker = createTracker({
      endpoint: running.url,
      apiKey: ingestKey,
      flushIntervalMs: 20,
      retryBaseDelayMs: 10,
      retryMaxDelayMs: 40,
      exitHooks: false,
      onError: (error) => errors.push(error),
    });
    const convo = tracker.conversation('poisoned', { customerId: 'c1' });
    const bystander = tracker.conversation('bystander');
    for (let index = 0; index < 12; index++) {
      const id = convo.trackHumanMessage(`m${index}`);
      if (index === 7) poisonId = id;
      bystander.trackAgentMessage(`b${index}`);
    }
    const summary = await tracker.flush({ timeoutMs: 20_000 });
    expect(summary).toMatchObject({ timedOut: false, sent: 23, failed: 0, dropped: 1, pending: 0 });
    expect(tracker.stats().dropped).toMatchObject({ events: 1, reasons: { server_error: 1 } });

    const poisoned = await read<ConversationDetail>('/v1/conversations/poisoned');
    expect(poisoned.messages.map((message) => message.content)).toEqual(
      Array.from({ length: 12 }, (_, index) => `m${index}`).filter((content) => content !== 'm7'),
    );
    const other = await read<ConversationDetail>('/v1/conversations/bystander');
    expect(other.messages).toHaveLength(12);

    const client = await waitFor(async () => {
      const health = await read<IngestionHealth>('/v1/ingestion/health');
      return health.clients.find((candidate) => candidate.reasons.server_error === 1);
    });
    expect(client).toMatchObject({
      sdk: '@sightline/tracker',
      instanceId: tracker.stats().instanceId,
      droppedEvents: 1,
      reasons: { server_error: 1 },
    });
    expect(errors.some((error) => error.message.includes(poisonId as string))).toBe(true);
    await tracker.shutdown({ timeoutMs: 1000 });
  }, 60_000);

  it('reports a drop decided after its last batch, in a report-only request on flush', async () => {
    const tracker = createTracker({
      endpoint: running.url,
      apiKey: ingestKey,
      flushIntervalMs: 20,
      retryBaseDelayMs: 10,
      retryMaxDelayMs: 40,
      exitHooks: false,
      onError: () => undefined,
    });
    const convo = tracker.conversation('last-is-poison');
    poisonId = convo.trackHumanMessage('dropped after the last request that could carry the count');
    convo.trackAgentMessage('fine');
    // The batch is split, 'fine' is acknowledged, then the poison event alone fails again and is
    // dropped: no later request exists to carry the count, so flush sends the counters alone.
    expect(await tracker.flush({ timeoutMs: 20_000 })).toMatchObject({ sent: 1, dropped: 1, pending: 0 });
    const health = await read<IngestionHealth>('/v1/ingestion/health');
    expect(health.clients.find((client) => client.instanceId === tracker.stats().instanceId)).toMatchObject({
      droppedEvents: 1,
      reasons: { server_error: 1 },
    });
    await tracker.shutdown({ timeoutMs: 1000 });
  }, 60_000);
});
