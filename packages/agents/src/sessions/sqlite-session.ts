/**
 * `SqliteSession`: a durable SDK session in a SQLite file (better-sqlite3, WAL). Every write is one
 * `BEGIN IMMEDIATE` transaction, so it is atomic and serialized even across processes sharing the file.
 */
import { resolve } from 'node:path';
import type { AgentInputItem } from '@openai/agents-core';
import Database from 'better-sqlite3';
import { SessionStorageError, SightlineAgentsError } from '../errors.ts';
import {
  checkListLimit,
  DurableSession,
  type DurableSessionOptions,
  type HistoryStore,
  type SessionKey,
  type SessionSummary,
} from './durable-session.ts';
import { type DatabaseStamp, HistoryCache, sameStamp } from './history-cache.ts';
import type { HistoryChange } from './history-change.ts';
import { SQLITE_SESSION_SCHEMA } from './session-schema.ts';
import {
  applyChange,
  parseItems,
  popNewest,
  prepareStatements,
  type SqliteStatements,
} from './sqlite-statements.ts';

/** A better-sqlite3 database handle. */
export type SqliteDatabase = Database.Database;

const openedFiles = new Map<string, SqliteDatabase>();
const stores = new WeakMap<SqliteDatabase, SqliteHistoryStore>();

/**
 * Opens (once per process, then reuses) a SQLite file for sessions: WAL journal, a 5 s busy timeout,
 * `synchronous = NORMAL` (a committed transaction survives a process crash; for power loss too, pass
 * SqliteSession a handle of your own with `synchronous = FULL`). `:memory:` is never shared.
 */
export function openSessionDatabase(file: string): SqliteDatabase {
  if (file === ':memory:') return configure(new Database(file));
  const path = resolve(file);
  let db = openedFiles.get(path);
  if (!db?.open) {
    db = configure(new Database(path));
    openedFiles.set(path, db);
  }
  return db;
}

/** Closes every file `openSessionDatabase` opened (for tests and graceful shutdown). */
export function closeSessionDatabases(): void {
  for (const db of openedFiles.values()) if (db.open) db.close();
  openedFiles.clear();
}

function configure(db: SqliteDatabase): SqliteDatabase {
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  return db;
}

export interface SqliteListOptions {
  /** The user whose sessions to list; omitted: sessions created without a user. */
  userId?: string;
  limit?: number;
}

/**
 * A durable session in SQLite: `new SqliteSession(userId, 'conversations.db')` as in the seed, or with a
 * shared `Database`. Implements the SDK's Session, run-context and history-transaction interfaces.
 */
export class SqliteSession<TContext = unknown> extends DurableSession<TContext> {
  /** The database this session reads and writes. */
  readonly database: SqliteDatabase;

  constructor(
    sessionId: string,
    database: string | SqliteDatabase,
    options: DurableSessionOptions<TContext> = {},
  ) {
    const db = typeof database === 'string' ? openSessionDatabase(database) : database;
    super(sessionId, storeFor(db), options);
    this.database = db;
  }

  /** Lists sessions in a database (of one user, or of no user), most recently updated first. */
  static async listSessions(database: string | SqliteDatabase, options: SqliteListOptions = {}) {
    const db = typeof database === 'string' ? openSessionDatabase(database) : database;
    return storeFor(db).list(options.userId ?? '', { limit: checkListLimit(options.limit) });
  }
}

function storeFor(db: SqliteDatabase): SqliteHistoryStore {
  let store = stores.get(db);
  if (!store) {
    store = new SqliteHistoryStore(db);
    stores.set(db, store);
  }
  return store;
}

/** A write's result with the database state before and after it (read inside its transaction). */
interface Stamped<T> {
  result: T;
  before: DatabaseStamp;
  after: DatabaseStamp;
}

/**
 * Session writes and reads on one better-sqlite3 handle. Statements and transaction functions are
 * prepared once; every write is one `BEGIN IMMEDIATE` transaction (a write lock on the file, so writers
 * in other processes are serialized too). Full reads are served from a HistoryCache while the database
 * is in the state the cache follows (see history-cache.ts); anything else reads the tables.
 */
class SqliteHistoryStore implements HistoryStore {
  readonly #db: SqliteDatabase;
  readonly #sql: SqliteStatements;
  readonly #cache = new HistoryCache();
  readonly #apply: Database.Transaction<(key: SessionKey, change: HistoryChange) => Stamped<boolean>>;
  readonly #pop: Database.Transaction<(key: SessionKey) => Stamped<AgentInputItem | undefined>>;
  readonly #clear: Database.Transaction<(key: SessionKey) => Stamped<void>>;

  constructor(db: SqliteDatabase) {
    guard(() => db.exec(SQLITE_SESSION_SCHEMA));
    const sql = prepareStatements(db);
    this.#db = db;
    this.#sql = sql;
    const stamped =
      <A extends unknown[], T>(fn: (...args: A) => T) =>
      (...args: A): Stamped<T> => {
        const before = this.#stamp();
        const result = fn(...args);
        return { result, before, after: this.#stamp() };
      };
    this.#apply = db.transaction(
      stamped((key: SessionKey, change: HistoryChange) => applyChange(sql, key, change)),
    );
    this.#pop = db.transaction(stamped((key: SessionKey) => popNewest(sql, key)));
    this.#clear = db.transaction(
      stamped(({ userId, sessionId }: SessionKey) => {
        sql.deleteItems.run(userId, sessionId);
        sql.deleteOps.run(userId, sessionId);
        sql.deleteSession.run(userId, sessionId);
      }),
    );
  }

  async read(key: SessionKey, limit: number | undefined): Promise<AgentInputItem[]> {
    return guard(() => {
      const cached = this.#cachedTexts(key, limit);
      if (cached !== undefined) {
        return parseItems(limit === undefined ? cached : cached.slice(Math.max(0, cached.length - limit)));
      }
      if (limit === undefined) return parseItems(this.#sql.all.all(key.userId, key.sessionId));
      return parseItems(this.#sql.tail.all(key.userId, key.sessionId, limit).reverse());
    });
  }

  async apply(key: SessionKey, change: HistoryChange): Promise<void> {
    guard(() =>
      this.#write(
        () => this.#apply.immediate(key, change),
        (applied) => {
          if (!applied) return;
          const appended = change.append.map((item) => item.json);
          this.#cache.change(cacheKey(key), change.expectedSuffix.length, appended);
        },
      ),
    );
  }

  async pop(key: SessionKey): Promise<AgentInputItem | undefined> {
    return guard(() =>
      this.#write(
        () => this.#pop.immediate(key),
        (item) => {
          if (item !== undefined) this.#cache.change(cacheKey(key), 1, []);
        },
      ),
    );
  }

  async clear(key: SessionKey): Promise<void> {
    guard(() =>
      this.#write(
        () => this.#clear.immediate(key),
        () => this.#cache.delete(cacheKey(key)),
      ),
    );
  }

  async list(userId: string, options: { limit: number }): Promise<SessionSummary[]> {
    return guard(() =>
      this.#sql.list.all(userId, options.limit).map((row) => ({
        sessionId: row.session_id,
        userId: row.user_id === '' ? undefined : row.user_id,
        itemCount: row.item_count,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      })),
    );
  }

  #stamp(): DatabaseStamp {
    return {
      dataVersion: this.#sql.dataVersion.get() as number,
      totalChanges: this.#sql.totalChanges.get() as number,
    };
  }

  /**
   * A history's stored texts from the cache (a full read loads it), or undefined when the cache cannot
   * answer: inside a transaction of the app's (whose outcome is not known yet), or a tail read of a
   * history not cached.
   */
  #cachedTexts(key: SessionKey, limit: number | undefined): readonly string[] | undefined {
    if (this.#db.inTransaction) return undefined;
    const now = this.#stamp();
    if (!sameStamp(now, this.#cache.stamp)) {
      this.#cache.clear();
      this.#cache.stamp = now;
    }
    const id = cacheKey(key);
    const hit = this.#cache.get(id);
    if (hit !== undefined || limit !== undefined) return hit;
    const texts = this.#sql.all.all(key.userId, key.sessionId);
    this.#cache.set(id, texts);
    return texts;
  }

  /**
   * Runs a write transaction and keeps the cache in step: a committed write from the state the cache
   * follows is applied to it (`follow`); from any other state the cache is emptied. A write nested in
   * the app's own transaction (which may still roll back) or a failed one empties the cache.
   */
  #write<T>(run: () => Stamped<T>, follow: (result: T) => void): T {
    const nested = this.#db.inTransaction;
    let write: Stamped<T>;
    try {
      write = run();
    } catch (error) {
      this.#forget();
      throw error;
    }
    if (nested) {
      this.#forget();
    } else if (sameStamp(write.before, this.#cache.stamp)) {
      follow(write.result);
      this.#cache.stamp = write.after;
    } else {
      this.#cache.clear();
      this.#cache.stamp = write.after;
    }
    return write.result;
  }

  #forget(): void {
    this.#cache.clear();
    this.#cache.stamp = undefined;
  }
}

function cacheKey({ userId, sessionId }: SessionKey): string {
  return `${userId}\u0000${sessionId}`;
}

/** Runs a database call; driver errors become SessionStorageError, ours pass through. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof SightlineAgentsError) throw error;
    throw new SessionStorageError(`SQLite session store failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
