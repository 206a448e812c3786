import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { type Connection, type DialectAdapter, searchWords } from '../dialect.ts';
import type { Database } from '../schema.ts';

export interface SqliteOptions {
  /** Database file path, or `:memory:`. */
  file: string;
  /**
   * `full` (default) syncs every committed batch to disk, so an acknowledged event survives a power
   * loss; `normal` survives a process crash only and is faster.
   */
  durability?: 'full' | 'normal';
}

const adapter: DialectAdapter = {
  name: 'sqlite',
  jsonMerge: (left, right) => sql<string>`json_patch(${left}, ${right})`,
  least: (left, right) => sql<number>`coalesce(min(${left}, ${right}), ${left}, ${right})`,
  greatest: (left, right) => sql<number>`coalesce(max(${left}, ${right}), ${left}, ${right})`,
  searchConversationIds(projectId, query) {
    const words = searchWords(query);
    const match = words.map((word, i) => (i === words.length - 1 ? `"${word}"*` : `"${word}"`)).join(' ');
    return sql<string>`(select m.conversation_id from message_search s join messages m on m.rowid = s.rowid
      where message_search match ${match || '""'} and m.project_id = ${projectId})`;
  },
  metadataEquals(column, key, value) {
    const path = `$."${key.replaceAll('"', '""')}"`;
    return sql<boolean>`(case json_type(${column}, ${path}) when 'true' then 'true' when 'false' then 'false'
      else cast(json_extract(${column}, ${path}) as text) end) = ${value}`;
  },
  lockRowsForMerge: false,
  maxParameters: 32_000,
};

/** Opens (creating if needed) an embedded SQLite database in WAL mode. */
export function openSqlite(options: SqliteOptions): Connection {
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  const database = new BetterSqlite3(options.file);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${options.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
  database.pragma('busy_timeout = 5000');
  database.pragma('cache_size = -65536');
  database.pragma('temp_store = MEMORY');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return {
    db,
    adapter,
    close: async () => {
      await db.destroy();
    },
  };
}
