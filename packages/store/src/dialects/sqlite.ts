import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type SqliteDatabase, SqliteDialect, sql } from 'kysely';
import { type Connection, type DialectAdapter, SEARCH_WINDOW, searchWords } from '../dialect.ts';
import { StoreError } from '../errors.ts';
import type { Database } from '../schema.ts';

export interface SqliteOptions {
  /** Database file path, or `:memory:`. */
  file: string;
  /**
   * `full` (default) syncs every committed batch to disk, so an acknowledged event survives a power
   * loss; `normal` survives a process crash only and is faster.
   */
  durability?: 'full' | 'normal';
  /** How long a write waits for another process's lock before failing as `overloaded` (default 5,000 ms). */
  busyTimeoutMs?: number;
  /**
   * The main connection's page cache in MB (default 24): what list, detail and metrics reads keep in
   * memory. Resident memory grows by about this much once reads have filled it; 64 halves the score
   * filters that match 0.5-1.5 % of a 1M-conversation store (bench/ingest/README.md) for 40 MB more.
   */
  cacheMb?: number;
}

/**
 * The main connection's page cache, MB (see SqliteOptions.cacheMb). 24, not 64: with 64 filled, a
 * collector exporting 1M conversations peaked at 231-234 MB, with 24 under 200 MB (the target); list,
 * detail, overview, search and ingest measured alike from 24 to 64, the score filters matching 0.5-1.5 %
 * of conversations ~15 ms slower below 64 (bench/ingest/README.md, Export).
 */
export const DEFAULT_SQLITE_CACHE_MB = 24;

const adapter: DialectAdapter = {
  name: 'sqlite',
  jsonMerge: (left, right) => `json_patch(${left}, ${right})`,
  least: (left, right) => `coalesce(min(${left}, ${right}), ${left}, ${right})`,
  greatest: (left, right) => `coalesce(max(${left}, ${right}), ${left}, ${right})`,
  placeholder: () => '?',
  searchConversationIds(projectId, query) {
    const words = searchWords(query);
    const match = words.map((word, i) => (i === words.length - 1 ? `"${word}"*` : `"${word}"`)).join(' ');
    return sql<string>`(select m.conversation_id from message_search s join messages m on m.rowid = s.rowid
      where message_search match ${match || '""'} and m.project_id = ${projectId}
      order by s.rowid desc limit ${SEARCH_WINDOW})`;
  },
  // The key is matched as a value (json_each), never spliced into a JSON path, so any key works.
  metadataEquals(column, key, value) {
    return sql<boolean>`exists (select 1 from json_each(${column}) j where j.key = ${key}
      and (case j.type when 'true' then 'true' when 'false' then 'false' else cast(j.value as text) end) = ${value})`;
  },
  lockRowsForMerge: false,
  maxParameters: 32_000,
};

/**
 * Kysely prepares every query anew; preparing is a fifth of the cost of a small write in SQLite.
 * This keeps the most recent prepared statements by SQL text (statements run one at a time here,
 * because the dialect holds a single connection behind a mutex).
 */
function withStatementCache(database: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (statement) {
        cache.delete(text);
      } else {
        statement = database.prepare(text);
        if (cache.size >= 500) cache.delete(cache.keys().next().value as string);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}

/** Opens (creating if needed) an embedded SQLite database in WAL mode. */
export function openSqlite(options: SqliteOptions): Connection {
  const cacheSize = cacheKib(options.cacheMb ?? DEFAULT_SQLITE_CACHE_MB);
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  const database = new BetterSqlite3(options.file);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${options.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
  database.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5_000))}`);
  database.pragma(`cache_size = -${cacheSize}`);
  database.pragma('temp_store = MEMORY');
  // Planner statistics: without them SQLite may walk the recency index to answer a one-customer
  // query. `analysis_limit` keeps ANALYZE cheap on large files; optimize re-runs it only when needed.
  database.pragma('analysis_limit = 1000');
  database.pragma('optimize = 0x10002');
  const maintenance = setInterval(() => database.pragma('optimize'), 30 * 60_000);
  maintenance.unref();
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  let scanDb: Kysely<Database> | undefined;
  return {
    db,
    adapter,
    // Opened on first use; an in-memory database has no file a second connection could open.
    get scanDb() {
      if (options.file === ':memory:') return undefined;
      scanDb ??= openScanConnection(options);
      return scanDb;
    },
    broadcast: async () => undefined,
    subscribe: async () => async () => undefined,
    close: async () => {
      clearInterval(maintenance);
      await scanDb?.destroy();
      await db.destroy();
    },
  };
}

/** A cache size in KiB for `PRAGMA cache_size = -N`; refuses what is not a size from 1 MB to 64 GB. */
function cacheKib(mb: number): number {
  if (!Number.isFinite(mb) || mb < 1 || mb > 65_536)
    throw new StoreError('invalid_request', `sqlite.cacheMb must be from 1 to 65536 (got ${mb})`);
  return Math.round(mb * 1024);
}

/**
 * A read-only second connection for long scans (exports), with a 2 MB page cache instead of the main
 * one's: an export reads each page about once, in id order, so a larger cache only adds resident memory
 * (8 MB measured the same 1M-conversation export no faster and ~9 MB larger). In WAL mode it reads beside the writer; each
 * statement sees what was committed when it began.
 */
function openScanConnection(options: SqliteOptions): Kysely<Database> {
  const database = new BetterSqlite3(options.file, { readonly: true, fileMustExist: true });
  database.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5_000))}`);
  database.pragma('cache_size = -2048');
  database.pragma('temp_store = MEMORY');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
}
