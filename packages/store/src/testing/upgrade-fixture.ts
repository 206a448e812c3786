/**
 * Stores as an earlier version left them, for upgrade tests: an empty database of each dialect (a
 * SQLite file, a PostgreSQL schema of its own) with a raw Kysely handle, to migrate up to a given
 * migration, fill with rows of that time, then open as the current store.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { postgresTypes } from '../dialects/postgres.ts';
import { createStore, type Store } from '../store.ts';
import { testDatabaseUrl } from './postgres-fixture.ts';

export interface OldStore {
  // biome-ignore lint/suspicious/noExplicitAny: the 0001 schema is not the typed schema
  db: Kysely<any>;
  /** Opens the current store over the same database (call `migrate()` on it). */
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

export async function sqliteAt0001(): Promise<OldStore> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-upgrade-'));
  const file = join(dir, 'old.db');
  const db = new Kysely({ dialect: new SqliteDialect({ database: new BetterSqlite3(file) }) });
  let store: Store | undefined;
  return {
    db,
    open: async () => {
      await db.destroy();
      store = createStore({ database: file });
      return store;
    },
    cleanup: async () => {
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postgresAt0001(): Promise<OldStore> {
  const schema = `sl_upgrade_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const pool = new pg.Pool({
    connectionString: testDatabaseUrl(),
    max: 3,
    types: postgresTypes,
    options: `-c search_path=${schema}`,
  });
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  let store: Store | undefined;
  return {
    db,
    open: async () => {
      store = createStore({ postgres: { pool } });
      return store;
    },
    cleanup: async () => {
      await store?.close();
      await pool.query(`drop schema ${schema} cascade`);
      await pool.end();
    },
  };
}
