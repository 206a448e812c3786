import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, type TestSchema } from '../../test/postgres-schema.ts';
import { SessionInputError, SessionStorageError } from '../errors.ts';
import { describeSessionStoreConformance, pausedRun } from '../testing/index.ts';
import { type PostgresSessionStore, postgresSessions } from './postgres-sessions.ts';
import { closeSessionDatabases, openSessionDatabase } from './sqlite-session.ts';
import { sqliteSessions } from './sqlite-sessions.ts';

const dir = mkdtempSync(join(tmpdir(), 'sl-session-stores-'));
const file = join(dir, 'sessions.db');
const others: Database.Database[] = [];
afterAll(() => {
  for (const db of others) db.close();
  closeSessionDatabases();
  rmSync(dir, { recursive: true, force: true });
});

describeSessionStoreConformance(
  { describe, it },
  {
    name: 'sqliteSessions',
    createStore: () => sqliteSessions(file),
    // Another connection to the file, as another process would open it.
    openAgain: () => {
      const db = new Database(file);
      db.pragma('busy_timeout = 5000');
      others.push(db);
      return sqliteSessions(db);
    },
  },
);

let postgres: TestSchema;
let secondPool: pg.Pool;
beforeAll(async () => {
  postgres = await createTestSchema('stores');
  secondPool = new pg.Pool({ connectionString: postgres.url, max: 4 });
});
afterAll(async () => {
  await secondPool.end();
  await postgres.drop();
});

describeSessionStoreConformance(
  { describe, it },
  {
    name: 'postgresSessions',
    createStore: () => postgresSessions(postgres.pool),
    // A pool of its own, as another node would have.
    openAgain: () => postgresSessions(secondPool),
  },
);

describe('postgresSessions', () => {
  it("creates its tables in the pool's search_path, apart from the collector's table names", async () => {
    const store = postgresSessions(postgres.pool);
    await store.session('c1', 'alice').addItems([{ role: 'user', content: 'hi' }]);
    await store.savePending(pausedRun());
    const tables = await postgres.pool.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [postgres.schema],
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual([
      'agent_session_items',
      'agent_session_operations',
      'agent_sessions',
      'serve_pending_runs',
    ]);
  });

  it('opens a pool from a connection string and ends it on close(); a pool passed in stays open', async () => {
    const owned: PostgresSessionStore = postgresSessions(postgres.url, { poolConfig: { max: 2 } });
    const run = pausedRun();
    await owned.savePending(run);
    expect(await postgresSessions(postgres.pool).getPending(run.runId)).toEqual(run);
    await owned.close();
    await owned.close();
    expect(owned.pool.ended).toBe(true);
    const borrowed = postgresSessions(postgres.pool);
    await borrowed.close();
    expect(postgres.pool.ended).toBe(false);
    expect(() => postgresSessions(postgres.pool, { poolConfig: { max: 1 } })).toThrow(SessionInputError);
  });

  it('refuses a paused run whose ids PostgreSQL text cannot hold (U+0000), naming the field', async () => {
    const store = postgresSessions(postgres.pool);
    const failure = await store
      .savePending(pausedRun({ conversationId: 'a\u0000b' }))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SessionInputError);
    expect(failure).toMatchObject({ code: 'invalid_request', issues: [{ path: 'conversationId' }] });
  });

  it('fails with SessionStorageError (upstream_failed) when the database cannot be reached', async () => {
    const store = postgresSessions('postgres://postgres@127.0.0.1:1/none', {
      poolConfig: { connectionTimeoutMillis: 2000 },
    });
    try {
      const failure = await store.getPending('run-1').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(SessionStorageError);
      expect(failure).toMatchObject({ code: 'upstream_failed' });
    } finally {
      await store.close();
    }
  });
});

describe('sqliteSessions', () => {
  it('keeps paused runs in the same file as the sessions', async () => {
    const db = openSessionDatabase(join(dir, 'one-file.db'));
    const store = sqliteSessions(db);
    const run = pausedRun();
    await store.savePending(run);
    expect(db.prepare('SELECT run_id FROM serve_pending_runs').all()).toEqual([{ run_id: run.runId }]);
  });
});
