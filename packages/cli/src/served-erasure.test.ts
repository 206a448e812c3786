/**
 * The collector's erasures reach the served agents' data through the hook `sightline start` wires (a
 * collector and a sessions database in-process): erasing Ada's conversation, or Ada as a customer, also
 * erases the served sessions, paused runs and runs behind the replays of dataset items taken from her
 * conversations (conversations of the served user `replayer`), and nothing else of the replayer's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeSessionDatabases, sqliteRuns, sqliteServedEraser, sqliteSessions } from '@sightline/agents';
import { assistantMessage, pausedRun, servedRun, userMessage } from '@sightline/agents/testing';
import { newId } from '@sightline/core';
import { trackedConversationId } from '@sightline/serve';
import { createLogger, createSightlineApp, type SightlineApp } from '@sightline/server';
import { createStore, type Store } from '@sightline/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireServedErasure } from './served-erasure.ts';

const dir = mkdtempSync(join(tmpdir(), 'sl-served-erasure-'));
const file = join(dir, 'sessions.db');
const sessions = sqliteSessions(file);
const runs = sqliteRuns(file);
const eraser = sqliteServedEraser(file);
let store: Store;
let collector: SightlineApp;
let keys: { ingest: string; admin: string };

beforeAll(async () => {
  store = createStore({ database: ':memory:' });
  await store.migrate();
  const projectId = (await store.createProject({ name: 'main' })).id;
  const key = async (scope: 'ingest' | 'admin') => (await store.createApiKey({ projectId, scope })).key;
  keys = { ingest: await key('ingest'), admin: await key('admin') };
  collector = createSightlineApp({ store, logger: createLogger({ level: 'silent' }) });
  wireServedErasure({ collector, projectId, eraser });
  await serve('replayer', 'own-chat');
});

afterAll(async () => {
  await collector.shutdown();
  await store.close();
  await runs.close?.();
  closeSessionDatabases();
  rmSync(dir, { recursive: true, force: true });
});

/** What a served run keeps of a user's conversation: two session items, a paused run, a run and its event. */
async function serve(userId: string, conversationId: string): Promise<void> {
  await sessions
    .session(conversationId, userId)
    .addItems([userMessage('my account is 4711'), assistantMessage('noted')]);
  await sessions.savePending(pausedRun({ userId, conversationId }));
  const run = servedRun({ userId, conversationId });
  await runs.saveRuns([run]);
  await runs.appendEvents([{ runId: run.runId, eventId: 1, data: '{"type":"started"}' }]);
}

async function send(method: string, path: string, options: { key: string; body?: unknown }) {
  const res = await collector.app.request(path, {
    method,
    headers: { authorization: `Bearer ${options.key}`, 'content-type': 'application/json' },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  expect(res.status).toBeLessThan(300);
  return res.json();
}

/**
 * Ada's served conversation `chat`, taken into a dataset and replayed by `sightline replay` as the
 * served user `replayer` (served conversation `rpl`), recorded as the experiment's item; returns the
 * tracked id of Ada's conversation.
 */
async function replayed(chat: string, rpl: string): Promise<string> {
  const ada = trackedConversationId('ada', chat);
  const replay = trackedConversationId('replayer', rpl);
  await serve('ada', chat);
  await serve('replayer', rpl);
  const turn = (conversationId: string, customerId: string) => ({
    id: newId(),
    type: 'message',
    timestamp: new Date().toISOString(),
    body: { conversationId, customerId, role: 'human', content: 'my account is 4711' },
  });
  const events = [turn(ada, 'ada'), turn(replay, 'replayer')];
  await send('POST', '/v1/ingest', { key: keys.ingest, body: { events } });
  const dataset = await send('POST', '/v1/datasets', { key: keys.admin, body: { name: chat } });
  const body = { conversationIds: [ada] };
  const { added } = await send('POST', `/v1/datasets/${dataset.id}/items`, { key: keys.admin, body });
  const experiment = { datasetId: dataset.id, name: `${chat}-v2` };
  const { id } = await send('POST', '/v1/experiments', { key: keys.admin, body: experiment });
  const item = { conversationId: replay, status: 'completed' };
  await send('PUT', `/v1/experiments/${id}/items/${added[0].id}`, { key: keys.admin, body: item });
  return ada;
}

const none = { sessions: 0, sessionItems: 0, pausedRuns: 0, runs: 0, runEvents: 0 };
/** Ada's served data and the replayer's of one replay. */
const both = { sessions: 2, sessionItems: 4, pausedRuns: 2, runs: 2, runEvents: 2 };

describe('served erasure of replays', () => {
  it("erasing Ada's conversation erases the replayer's served data of its replay, nothing else", async () => {
    const ada = await replayed('chat-1', 'rpl-1');
    const path = `/v1/conversations/${encodeURIComponent(ada)}`;
    const receipt = await send('DELETE', path, { key: keys.admin });
    expect(receipt.datasets).toEqual({ datasetItems: 1, experimentItems: 1, replayConversations: 1 });
    expect(receipt.elsewhere).toEqual(both);
    expect(await eraser.conversationsOf('ada')).toEqual([]);
    expect(await eraser.conversationsOf('replayer')).toEqual(['own-chat']);
    expect((await send('DELETE', path, { key: keys.admin })).elsewhere).toEqual(none);
  });

  it("erasing Ada as customer erases the replayer's served data of her conversations' replays", async () => {
    await replayed('chat-2', 'rpl-2');
    const receipt = await send('DELETE', '/v1/customers/ada', { key: keys.admin });
    expect(receipt.datasets).toEqual({ datasetItems: 1, experimentItems: 1, replayConversations: 1 });
    expect(receipt.elsewhere).toEqual(both);
    expect(await eraser.users()).toEqual(['replayer']);
    expect(await eraser.conversationsOf('replayer')).toEqual(['own-chat']);
    expect((await send('DELETE', '/v1/customers/ada', { key: keys.admin })).elsewhere).toEqual(none);
  });
});
