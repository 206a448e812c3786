/**
 * Erasing served data, on SQLite and PostgreSQL: a user's conversations (sessions with their items,
 * paused runs, run records and their events) go, counted; other conversations and users stay; erasing
 * again removes nothing; a database whose tables were never created holds nothing to erase.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, type TestSchema } from '../../test/postgres-schema.ts';
import { postgresRuns } from '../runs/postgres-runs.ts';
import type { RunStore } from '../runs/run-store.ts';
import { sqliteRuns } from '../runs/sqlite-runs.ts';
import { assistantMessage, pausedRun, servedRun, userMessage } from '../testing/index.ts';
import { postgresSessions } from './postgres-sessions.ts';
import { postgresServedEraser, type ServedDataEraser, sqliteServedEraser } from './served-data-erasure.ts';
import type { SessionStore } from './session-store.ts';
import { closeSessionDatabases } from './sqlite-session.ts';
import { sqliteSessions } from './sqlite-sessions.ts';

const dir = mkdtempSync(join(tmpdir(), 'sl-served-erasure-'));
let postgres: TestSchema;
beforeAll(async () => {
  postgres = await createTestSchema('erasure');
});
afterAll(async () => {
  closeSessionDatabases();
  rmSync(dir, { recursive: true, force: true });
  await postgres.drop();
});

/** Served data of a user's conversation: a session of two items, a paused run, a run with two events. */
async function serve(
  stores: { sessions: SessionStore; runs: RunStore },
  userId: string,
  conversationId: string,
) {
  await stores.sessions
    .session(conversationId, userId)
    .addItems([userMessage('hi'), assistantMessage('hello')]);
  await stores.sessions.savePending(pausedRun({ userId, conversationId }));
  const run = servedRun({ userId, conversationId });
  await stores.runs.saveRuns([run]);
  await stores.runs.appendEvents([
    { runId: run.runId, eventId: 1, data: '{"type":"started"}' },
    { runId: run.runId, eventId: 2, data: '{"type":"completed"}' },
  ]);
}

const cases: Array<{
  name: string;
  open: () => { sessions: SessionStore; runs: RunStore; eraser: ServedDataEraser };
  empty: () => ServedDataEraser;
}> = [
  {
    name: 'sqlite',
    open: () => {
      const file = join(dir, 'sessions.db');
      return { sessions: sqliteSessions(file), runs: sqliteRuns(file), eraser: sqliteServedEraser(file) };
    },
    empty: () => sqliteServedEraser(join(dir, 'never-used.db')),
  },
  {
    name: 'postgres',
    open: () => ({
      sessions: postgresSessions(postgres.pool),
      runs: postgresRuns(postgres.pool),
      eraser: postgresServedEraser(postgres.pool),
    }),
    empty: () => postgresServedEraser(postgres.pool),
  },
];

for (const { name, open, empty } of cases) {
  describe(`served data erasure: ${name}`, () => {
    it('holds nothing to erase before its tables exist', async () => {
      const eraser = empty();
      expect(await eraser.users()).toEqual([]);
      expect(await eraser.conversationsOf('alice')).toEqual([]);
      expect(await eraser.eraseUser('alice')).toEqual({
        sessions: 0,
        sessionItems: 0,
        pausedRuns: 0,
        runs: 0,
        runEvents: 0,
      });
    });

    it("erases a user's conversations, then the user; leaves the others; idempotent", async () => {
      const stores = open();
      for (const [user, conversation] of [
        ['alice', 'chat-1'],
        ['alice', 'chat-2'],
        ['bob', 'chat-1'],
        ['', 'chat-1'],
      ] as const)
        await serve(stores, user, conversation);
      expect((await stores.eraser.users()).sort()).toEqual(['', 'alice', 'bob']);
      expect((await stores.eraser.conversationsOf('alice')).sort()).toEqual(['chat-1', 'chat-2']);
      const one = { sessions: 1, sessionItems: 2, pausedRuns: 1, runs: 1, runEvents: 2 };
      expect(await stores.eraser.eraseConversations('alice', ['chat-1'])).toEqual(one);
      expect(await stores.eraser.eraseConversations('alice', ['chat-1'])).toEqual({
        sessions: 0,
        sessionItems: 0,
        pausedRuns: 0,
        runs: 0,
        runEvents: 0,
      });
      expect(await stores.sessions.session('chat-1', 'alice').getItems()).toEqual([]);
      expect(await stores.sessions.pendingOf('chat-1', 'alice')).toBeUndefined();
      expect(
        await stores.runs.listRuns({ kind: 'workflow', userId: 'alice', conversationId: 'chat-1' }),
      ).toEqual([]);
      expect(await stores.sessions.session('chat-1', 'bob').getItems()).toHaveLength(2);
      expect(await stores.sessions.session('chat-1', '').getItems()).toHaveLength(2);
      expect(await stores.sessions.session('chat-2', 'alice').getItems()).toHaveLength(2);
      expect(await stores.eraser.eraseUser('bob')).toEqual(one);
      expect(await stores.eraser.conversationsOf('bob')).toEqual([]);
      expect((await stores.eraser.users()).sort()).toEqual(['', 'alice']);
    });
  });
}
