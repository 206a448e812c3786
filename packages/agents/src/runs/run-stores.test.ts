import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, type TestSchema } from '../../test/postgres-schema.ts';
import { closeSessionDatabases } from '../sessions/sqlite-session.ts';
import { describeRunStoreConformance, servedRun } from '../testing/index.ts';
import { memoryRuns } from './memory-runs.ts';
import { postgresRuns } from './postgres-runs.ts';
import { sqliteRuns } from './sqlite-runs.ts';

const dir = mkdtempSync(join(tmpdir(), 'sl-run-stores-'));
const file = join(dir, 'sessions.db');
const others: Database.Database[] = [];
afterAll(() => {
  for (const db of others) db.close();
  closeSessionDatabases();
  rmSync(dir, { recursive: true, force: true });
});

describeRunStoreConformance({ describe, it }, { name: 'memoryRuns', createStore: () => memoryRuns() });

describeRunStoreConformance(
  { describe, it },
  {
    name: 'sqliteRuns',
    createStore: () => sqliteRuns(file),
    openAgain: () => {
      const db = new Database(file);
      db.pragma('busy_timeout = 5000');
      others.push(db);
      return sqliteRuns(db);
    },
  },
);

let postgres: TestSchema;
let secondPool: pg.Pool;
beforeAll(async () => {
  postgres = await createTestSchema('runs');
  secondPool = new pg.Pool({ connectionString: postgres.url, max: 4 });
});
afterAll(async () => {
  await secondPool.end();
  await postgres.drop();
});

describeRunStoreConformance(
  { describe, it },
  {
    name: 'postgresRuns',
    createStore: () => postgresRuns(postgres.pool),
    openAgain: () => postgresRuns(secondPool),
  },
);

describe('run stores', () => {
  it('memoryRuns forgets the oldest runs beyond maxRuns', async () => {
    const store = memoryRuns({ maxRuns: 2 });
    const runs = [servedRun(), servedRun(), servedRun()];
    await store.saveRuns(runs);
    expect(await store.getRun(runs[0]?.runId ?? '')).toBeUndefined();
    expect((await store.getRun(runs[2]?.runId ?? ''))?.status).toBe('running');
  });

  it('postgresRuns refuses a run id PostgreSQL text cannot hold, and closes only a pool it opened', async () => {
    const store = postgresRuns(postgres.url);
    await expect(store.saveRuns([servedRun({ runId: 'a\u0000b' })])).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await store.close();
    expect(() => postgresRuns(postgres.pool, { poolConfig: { max: 1 } })).toThrow(/poolConfig/);
  });
});
