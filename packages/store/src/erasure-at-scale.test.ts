/**
 * Issue 14's acceptance for erasure, on both dialects: a customer with 1,000 conversations erased among
 * others: 10,000 in `npm test` (2-core budget), 100,000 with `SIGHTLINE_ERASURE_OTHERS=100000` (any
 * multiple of 1,000; bench/store/erase-customer.ts times it). In a file of its own so that it runs beside
 * the conformance suites.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe } from 'vitest';
import { createStore, type Store } from './store.ts';
import { describeCustomerErasureAtScale } from './testing/customer-erasure-at-scale.ts';
import type { QueryRows } from './testing/erasure-checks.ts';
import { createTestPostgresStore } from './testing/postgres-fixture.ts';

const sizes = { others: Number(process.env.SIGHTLINE_ERASURE_OTHERS ?? 10_000), conversations: 1_000 };

interface Opened {
  store: Store;
  query: QueryRows;
  exec: (statement: string) => Promise<unknown>;
  close: () => Promise<void>;
}

async function openSqlite(): Promise<Opened> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-erasure-'));
  const file = join(dir, 'scale.db');
  const store = createStore({ sqlite: { file, durability: 'normal' } });
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

async function openPostgres(): Promise<Opened> {
  const { store, pool, drop } = await createTestPostgresStore();
  return {
    store,
    query: async (statement) => (await pool.query(statement)).rows,
    exec: (statement) => pool.query(statement),
    close: drop,
  };
}

for (const [name, open] of [
  ['sqlite', openSqlite],
  ['postgres', openPostgres],
] as const) {
  describe(`store erasure at scale: ${name}`, () => {
    let opened: Opened;
    beforeAll(async () => {
      opened = await open();
    });
    afterAll(async () => {
      await opened?.close();
    });
    describeCustomerErasureAtScale(() => opened, sizes);
  });
}
