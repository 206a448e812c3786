/** A PostgreSQL store in a schema of its own, so test files can run in parallel on one database. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { postgresTypes } from '../dialects/postgres.ts';
import type { ModelPrice } from '../pricing.ts';
import { createStore, type Store } from '../store.ts';

/** The database tests use: SIGHTLINE_TEST_DATABASE_URL or the local `test` database. */
export function testDatabaseUrl(): string {
  return process.env.SIGHTLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** Creates a fresh schema and a migrated store inside it; `drop()` removes both. */
export async function createTestPostgresStore(options: { prices?: ModelPrice[] } = {}): Promise<{
  store: Store;
  schema: string;
  pool: pg.Pool;
  drop: () => Promise<void>;
}> {
  const url = testDatabaseUrl();
  const schema = `sl_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const pool = new pg.Pool({
    connectionString: url,
    max: 5,
    types: postgresTypes,
    options: `-c search_path=${schema}`,
  });
  const store = createStore({ postgres: { pool }, ...(options.prices ? { prices: options.prices } : {}) });
  await store.migrate();
  return {
    store,
    schema,
    pool,
    drop: async () => {
      await store.close();
      await pool.query(`drop schema ${schema} cascade`);
      await pool.end();
    },
  };
}
