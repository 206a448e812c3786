/**
 * `SqliteSession`: a durable SDK session in a SQLite file (better-sqlite3, WAL). Every write is one
 * `BEGIN IMMEDIATE` transaction, so it is atomic and serialized even across processes sharing the file.
 */
import { resolve } from 'node:path';
import type { AgentInputItem } from '@openai/agents';
import Database from 'better-sqlite3';
import {
  checkListLimit,
  DurableSession,
  type DurableSessionOptions,
  type HistoryStore,
  type SessionKey,
  type SessionSummary,
} from './durable-session.ts';
import { SessionConflictError, SessionStorageError, SightlineAgentsError } from './errors.ts';
import { type HistoryChange, suffixMatches } from './history-change.ts';
import { SQLITE_SESSION_SCHEMA } from './session-schema.ts';

/** A better-sqlite3 database handle. */
export type SqliteDatabase = Database.Database;

const openedFiles = new Map<string, SqliteDatabase>();
const stores = new WeakMap<SqliteDatabase, SqliteHistoryStore>();

/**
 * Opens (once per process, then reuses) a SQLite file for sessions: WAL journal, a 5 s busy timeout,
 * `synchronous = NORMAL` (a committed transaction survives a process crash). `:memory:` is never shared.
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

interface SessionRow {
  next_position: number;
  item_count: number;
}

interface ItemRow {
  position: number;
  item: string;
}

interface SummaryRow {
  session_id: string;
  user_id: string;
  item_count: number;
  created_at: string;
  updated_at: string;
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: SqliteDatabase) {
  const where = 'WHERE user_id = ? AND session_id = ?';
  return {
    session: db.prepare<[string, string], SessionRow>(
      `SELECT next_position, item_count FROM agent_sessions ${where}`,
    ),
    saveSession: db.prepare(
      `INSERT INTO agent_sessions (user_id, session_id, next_position, item_count, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id, session_id) DO UPDATE SET next_position = excluded.next_position,
         item_count = excluded.item_count, updated_at = excluded.updated_at`,
    ),
    all: db.prepare<[string, string], ItemRow>(
      `SELECT position, item FROM agent_session_items ${where} ORDER BY position`,
    ),
    tail: db.prepare<[string, string, number], ItemRow>(
      `SELECT position, item FROM agent_session_items ${where} ORDER BY position DESC LIMIT ?`,
    ),
    insertItem: db.prepare(
      'INSERT INTO agent_session_items (user_id, session_id, position, item) VALUES (?, ?, ?, ?)',
    ),
    deleteFrom: db.prepare(`DELETE FROM agent_session_items ${where} AND position >= ?`),
    deleteItems: db.prepare(`DELETE FROM agent_session_items ${where}`),
    deleteOps: db.prepare(`DELETE FROM agent_session_operations ${where}`),
    deleteSession: db.prepare(`DELETE FROM agent_sessions ${where}`),
    operation: db.prepare<[string, string, string], { fingerprint: string }>(
      `SELECT fingerprint FROM agent_session_operations ${where} AND operation_id = ?`,
    ),
    insertOp: db.prepare(
      'INSERT INTO agent_session_operations (user_id, session_id, operation_id, fingerprint, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    list: db.prepare<[string, number], SummaryRow>(
      `SELECT session_id, user_id, item_count, created_at, updated_at FROM agent_sessions
       WHERE user_id = ? ORDER BY updated_at DESC, session_id LIMIT ?`,
    ),
  };
}

class SqliteHistoryStore implements HistoryStore {
  readonly #db: SqliteDatabase;
  readonly #sql: Statements;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    guard(() => db.exec(SQLITE_SESSION_SCHEMA));
    this.#sql = prepareStatements(db);
  }

  async read(key: SessionKey, limit: number | undefined): Promise<AgentInputItem[]> {
    return guard(() => {
      if (limit === undefined) return this.#sql.all.all(key.userId, key.sessionId).map(parseItem);
      return this.#sql.tail.all(key.userId, key.sessionId, limit).reverse().map(parseItem);
    });
  }

  async apply(key: SessionKey, change: HistoryChange): Promise<void> {
    const { userId, sessionId } = key;
    const sql = this.#sql;
    const write = this.#db.transaction(() => {
      if (change.operationId !== undefined) {
        const applied = sql.operation.get(userId, sessionId, change.operationId);
        if (applied) {
          if (applied.fingerprint === change.fingerprint) return;
          throw new SessionConflictError('operation id was already used for a different transaction', {
            sessionId,
            operationId: change.operationId,
          });
        }
      }
      const now = new Date().toISOString();
      const row = sql.session.get(userId, sessionId);
      let next = row?.next_position ?? 0;
      let count = row?.item_count ?? 0;
      const removing = change.expectedSuffix.length;
      if (removing > 0) {
        const tail = sql.tail.all(userId, sessionId, removing).reverse();
        if (
          !suffixMatches(
            tail.map((item) => item.item),
            change.expectedSuffix,
          )
        ) {
          throw new SessionConflictError('session history suffix no longer matches the transaction', {
            sessionId,
            operationId: change.operationId,
          });
        }
        sql.deleteFrom.run(userId, sessionId, tail[0]?.position ?? next);
        count -= removing;
      }
      for (const item of change.append) sql.insertItem.run(userId, sessionId, next++, item.json);
      count += change.append.length;
      sql.saveSession.run(userId, sessionId, next, count, now, now);
      if (change.operationId !== undefined) {
        sql.insertOp.run(userId, sessionId, change.operationId, change.fingerprint ?? '', now);
      }
    });
    guard(() => write.immediate());
  }

  async pop(key: SessionKey): Promise<AgentInputItem | undefined> {
    const { userId, sessionId } = key;
    const sql = this.#sql;
    const pop = this.#db.transaction(() => {
      const last = sql.tail.get(userId, sessionId, 1);
      const row = sql.session.get(userId, sessionId);
      if (!last || !row) return undefined;
      sql.deleteFrom.run(userId, sessionId, last.position);
      const now = new Date().toISOString();
      sql.saveSession.run(userId, sessionId, row.next_position, row.item_count - 1, now, now);
      return parseItem(last);
    });
    return guard(() => pop.immediate());
  }

  async clear(key: SessionKey): Promise<void> {
    const sql = this.#sql;
    const clear = this.#db.transaction(() => {
      sql.deleteItems.run(key.userId, key.sessionId);
      sql.deleteOps.run(key.userId, key.sessionId);
      sql.deleteSession.run(key.userId, key.sessionId);
    });
    guard(() => clear.immediate());
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
}

function parseItem(row: ItemRow): AgentInputItem {
  return JSON.parse(row.item) as AgentInputItem;
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
