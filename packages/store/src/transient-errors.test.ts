import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createStore } from './store.ts';
import { messageEvent, parseEvents } from './testing/events.ts';
import { isTransientDatabaseError } from './transient-errors.ts';

const batch = () =>
  parseEvents([messageEvent({ conversationId: 'c' }, { role: 'human', content: 'hi', at: Date.now() })]);

describe('transient database failures', () => {
  it('tells retryable failures (connection, shutdown, deadlock, busy) from input errors', () => {
    const coded = (code: string) => Object.assign(new Error(code), { code });
    for (const code of [
      'ECONNREFUSED',
      '08006',
      '57P01',
      '53300',
      '40P01',
      '40001',
      'SQLITE_BUSY',
      'SQLITE_BUSY_SNAPSHOT',
    ])
      expect(isTransientDatabaseError(coded(code)), code).toBe(true);
    expect(isTransientDatabaseError(new Error('x', { cause: coded('57P03') }))).toBe(true);
    for (const code of ['22P05', '23505', '22021', 'SQLITE_CONSTRAINT', 'ERR_INVALID_ARG_TYPE'])
      expect(isTransientDatabaseError(coded(code)), code).toBe(false);
    expect(isTransientDatabaseError(new Error('invalid byte sequence'))).toBe(false);
  });

  it('answers an append to an unreachable PostgreSQL with `overloaded`, so the batch is retried whole', async () => {
    const store = createStore({ database: 'postgres://postgres@127.0.0.1:1/test' });
    await expect(store.append('p', batch())).rejects.toMatchObject({
      name: 'StoreError',
      code: 'overloaded',
    });
    await store.close();
  });

  it('answers an append to a SQLite file another writer holds past the busy timeout with `overloaded`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sightline-busy-'));
    const file = join(dir, 'busy.db');
    const store = createStore({ sqlite: { file, busyTimeoutMs: 50 } });
    await store.migrate();
    const other = new BetterSqlite3(file);
    other.exec('begin immediate');
    try {
      await expect(store.append('p', batch())).rejects.toMatchObject({ code: 'overloaded' });
    } finally {
      other.exec('rollback');
      other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
