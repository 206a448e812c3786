/**
 * Creating the served agents' PostgreSQL tables: every store runs its DDL under one advisory lock, since
 * concurrent `CREATE ... IF NOT EXISTS` from several nodes can clash.
 */
import type pg from 'pg';
import { POSTGRES_SCHEMA_LOCK_KEY } from './session-schema.ts';

/** Runs `ddl` in one transaction holding the agents' schema lock. */
export async function createUnderSchemaLock(pool: pg.Pool, ddl: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1::int8)', [POSTGRES_SCHEMA_LOCK_KEY.toString()]);
    await client.query(ddl);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** PostgreSQL text cannot hold U+0000: no stored key has one (a lookup by such a key finds nothing). */
export function storable(key: string): boolean {
  return !key.includes('\u0000');
}
