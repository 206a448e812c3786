/**
 * A store opened beside raw SQL access to its database, for suites and benchmarks that check or time what
 * is in the tables: a temporary SQLite file (a second connection reads it) or a fresh PostgreSQL schema.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createStore, type Store } from '../store.ts';
import type { QueryRows } from './erasure-checks.ts';
import { createTestPostgresStore } from './postgres-fixture.ts';

/** A migrated store, SQL on its database, and how to close both (removing the file or the schema). */
export interface RawStore {
  store: Store;
  query: QueryRows;
  exec: (statement: string) => Promise<unknown>;
  close: () => Promise<void>;
}

/** A store on a new temporary SQLite file, with a second connection for raw SQL. */
export async function openRawSqliteStore(
  options: { durability?: 'full' | 'normal' } = {},
): Promise<RawStore> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-raw-'));
  const file = join(dir, 'store.db');
  const store = createStore({ sqlite: { file, ...options } });
  await store.migrate();
  const raw = new BetterSqlite3(file);
  raw.pragma('busy_timeout = 5000');
  return {
    store,
    query: async (statement) => raw.prepare(statement).all() as Array<Record<string, unknown>>,
    exec: async (statement) => raw.exec(statement),
    close: async () => {
      raw.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A store on a fresh PostgreSQL schema of the test database, with its pool for raw SQL. */
export async function openRawPostgresStore(): Promise<RawStore> {
  const { store, pool, drop } = await createTestPostgresStore();
  return {
    store,
    query: async (statement) => (await pool.query(statement)).rows,
    exec: (statement) => pool.query(statement),
    close: drop,
  };
}
