/**
 * Migrating while another process drops its own schema in the same database (test files running in
 * parallel, tenants): Kysely's migrator reads tables across every schema, and a schema dropped meanwhile
 * failed the migration with "schema … does not exist" naming the other schema (seen once in a CI run;
 * this test, ten migrations beside two loops creating and dropping schemas of 100 tables, failed 1 of 2
 * runs before the retry in migrateToLatest). It is retried now.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { createTestPostgresStore, testDatabaseUrl } from './testing/postgres-fixture.ts';

const admin = new pg.Pool({ connectionString: testDatabaseUrl(), max: 4 });
afterAll(() => admin.end());

/** Creates and drops schemas, each with a few tables, until `stop` resolves. */
async function churnSchemas(stop: Promise<void>): Promise<number> {
  let done = false;
  void stop.then(() => {
    done = true;
  });
  let dropped = 0;
  while (!done) {
    const schema = `sl_churn_${randomBytes(6).toString('hex')}`;
    await admin.query(
      `create schema ${schema}; ${Array.from({ length: 100 }, (_, i) => `create table ${schema}.t${i} (id serial primary key, v text);`).join(' ')}`,
    );
    await admin.query(`drop schema ${schema} cascade`);
    dropped += 1;
  }
  return dropped;
}

it('migrates a new store while other schemas are created and dropped beside it', async () => {
  let finish = () => {};
  const stop = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const churns = [churnSchemas(stop), churnSchemas(stop)];
  try {
    for (let i = 0; i < 10; i++) {
      const { store, drop } = await createTestPostgresStore();
      expect(await store.listProjects()).toEqual([]);
      await drop();
    }
  } finally {
    finish();
  }
  for (const churn of churns) expect(await churn).toBeGreaterThan(0);
}, 60_000);
