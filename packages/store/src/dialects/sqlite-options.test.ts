import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from '../errors.ts';
import { DEFAULT_SQLITE_CACHE_MB, openSqlite } from './sqlite.ts';

const dir = mkdtempSync(join(tmpdir(), 'sightline-sqlite-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The main connection's `PRAGMA cache_size` (negative: KiB). */
async function cacheSizeOf(options: Parameters<typeof openSqlite>[0]): Promise<number> {
  const connection = openSqlite(options);
  try {
    const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(connection.db);
    return rows[0]?.cache_size ?? Number.NaN;
  } finally {
    await connection.close();
  }
}

describe('SQLite options', () => {
  it('sizes the page cache by cacheMb, the default when absent', async () => {
    expect(await cacheSizeOf({ file: join(dir, 'default.db') })).toBe(-DEFAULT_SQLITE_CACHE_MB * 1024);
    expect(await cacheSizeOf({ file: join(dir, 'sized.db'), cacheMb: 128 })).toBe(-128 * 1024);
  });

  it('refuses a cache size out of range, naming the option and its limits', () => {
    for (const cacheMb of [0, -5, Number.NaN, 65_537]) {
      const opening = () => openSqlite({ file: join(dir, 'refused.db'), cacheMb });
      expect(opening).toThrow(StoreError);
      expect(opening).toThrow(/sqlite\.cacheMb must be from 1 to 65536/);
    }
  });
});
