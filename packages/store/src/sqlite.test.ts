import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createStore } from './store.ts';
import { describeStoreSuite } from './testing/store-suite.ts';

describeStoreSuite('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-store-'));
  const file = join(dir, 'test.db');
  const store = createStore({ database: file });
  await store.migrate();
  const raw = new BetterSqlite3(file);
  raw.pragma('busy_timeout = 5000');
  return {
    store,
    exec: async (statement) => raw.exec(statement),
    query: async (statement) => raw.prepare(statement).all() as Array<Record<string, unknown>>,
    cleanup: async () => {
      raw.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
