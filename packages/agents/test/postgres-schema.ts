/**
 * A PostgreSQL pool confined to a fresh schema, so test files running in parallel never share tables.
 * Uses SIGHTLINE_TEST_DATABASE_URL or the local test database; fails (never skips) when it is down.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL =
  process.env.SIGHTLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  schema: string;
  /** A pool whose connections use the schema as their search_path. */
  pool: pg.Pool;
  /** A connection string whose connections use the schema (for `new PostgresSession(id, url)`). */
  url: string;
  /** Ends the pool and drops the schema. */
  drop(): Promise<void>;
}

/** Creates `sl_test_<random>` and a pool bound to it. */
export async function createTestSchema(prefix = 'agents'): Promise<TestSchema> {
  const schema = `sl_test_${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const options = `-c search_path=${schema}`;
  const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, options, max: 10 });
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', options);
  return {
    schema,
    pool,
    url: url.toString(),
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}
