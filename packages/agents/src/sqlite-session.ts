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
    /**
     * Creates or advances a session's row by `appended` positions and `counted` items (the same
     * numbers as its first values) and returns the new `next_position`: one statement per write.
     */
    advance: db
      .prepare<[string, string, number, number, string, string], number>(
        `INSERT INTO agent_sessions (user_id, session_id, next_position, item_count, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id, session_id) DO UPDATE SET
           next_position = next_position + excluded.next_position,
           item_count = item_count + excluded.item_count, updated_at = excluded.updated_at
         RETURNING next_position`,
      )
      .pluck(),
    // Reads return the JSON texts only (pluck): no row object per item.
    all: db
      .prepare<[string, string], string>(`SELECT item FROM agent_session_items ${where} ORDER BY position`)
      .pluck(),
    tail: db
      .prepare<[string, string, number], string>(
        `SELECT item FROM agent_session_items ${where} ORDER BY position DESC LIMIT ?`,
      )
      .pluck(),
    /** The newest items with their positions, as `[position, item]` arrays (for suffix checks and pop). */
    tailRows: db
      .prepare<[string, string, number], [number, string]>(
        `SELECT position, item FROM agent_session_items ${where} ORDER BY position DESC LIMIT ?`,
      )
      .raw(),
    insertItem: db.prepare<[string, string, number, string]>(
      'INSERT INTO agent_session_items (user_id, session_id, position, item) VALUES (?, ?, ?, ?)',
    ),
    deleteFrom: db.prepare<[string, string, number]>(
      `DELETE FROM agent_session_items ${where} AND position >= ?`,
    ),
    deleteItems: db.prepare<[string, string]>(`DELETE FROM agent_session_items ${where}`),
    deleteOps: db.prepare<[string, string]>(`DELETE FROM agent_session_operations ${where}`),
    deleteSession: db.prepare<[string, string]>(`DELETE FROM agent_sessions ${where}`),
    /** Records an operation id; changes nothing (0 changes) when the id was already recorded. */
    claimOperation: db.prepare<[string, string, string, string, string]>(
      `INSERT INTO agent_session_operations (user_id, session_id, operation_id, fingerprint, created_at)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    operation: db
      .prepare<[string, string, string], string>(
        `SELECT fingerprint FROM agent_session_operations ${where} AND operation_id = ?`,
      )
      .pluck(),
    list: db.prepare<[string, number], SummaryRow>(
      `SELECT session_id, user_id, item_count, created_at, updated_at FROM agent_sessions
       WHERE user_id = ? ORDER BY updated_at DESC, session_id LIMIT ?`,
    ),
  };
}

/**
 * Session writes on one better-sqlite3 handle. Statements and transaction functions are prepared once;
 * every write is one `BEGIN IMMEDIATE` transaction (a write lock on the file, so writers in other
 * processes are serialized too).
 */
class SqliteHistoryStore implements HistoryStore {
  readonly #sql: Statements;
  readonly #apply: Database.Transaction<(key: SessionKey, change: HistoryChange) => void>;
  readonly #pop: Database.Transaction<(key: SessionKey) => AgentInputItem | undefined>;
  readonly #clear: Database.Transaction<(key: SessionKey) => void>;

  constructor(db: SqliteDatabase) {
    guard(() => db.exec(SQLITE_SESSION_SCHEMA));
    const sql = prepareStatements(db);
    this.#sql = sql;
    this.#apply = db.transaction((key: SessionKey, change: HistoryChange) => applyChange(sql, key, change));
    this.#pop = db.transaction((key: SessionKey) => popNewest(sql, key));
    this.#clear = db.transaction(({ userId, sessionId }: SessionKey) => {
      sql.deleteItems.run(userId, sessionId);
      sql.deleteOps.run(userId, sessionId);
      sql.deleteSession.run(userId, sessionId);
    });
  }

  async read(key: SessionKey, limit: number | undefined): Promise<AgentInputItem[]> {
    return guard(() => {
      if (limit === undefined) return parseItems(this.#sql.all.all(key.userId, key.sessionId));
      return parseItems(this.#sql.tail.all(key.userId, key.sessionId, limit).reverse());
    });
  }

  async apply(key: SessionKey, change: HistoryChange): Promise<void> {
    guard(() => this.#apply.immediate(key, change));
  }

  async pop(key: SessionKey): Promise<AgentInputItem | undefined> {
    return guard(() => this.#pop.immediate(key));
  }

  async clear(key: SessionKey): Promise<void> {
    guard(() => this.#clear.immediate(key));
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

/**
 * One change, inside the write transaction: claim the operation id (a retry of an applied id returns
 * here, a reused id throws), check and remove the expected suffix, append, advance the session's row.
 * A throw rolls everything back, the operation id included.
 */
function applyChange(sql: Statements, { userId, sessionId }: SessionKey, change: HistoryChange): void {
  const now = new Date().toISOString();
  const { operationId } = change;
  if (operationId !== undefined) {
    const fingerprint = change.fingerprint ?? '';
    if (sql.claimOperation.run(userId, sessionId, operationId, fingerprint, now).changes === 0) {
      if (sql.operation.get(userId, sessionId, operationId) === fingerprint) return;
      throw new SessionConflictError('operation id was already used for a different transaction', {
        sessionId,
        operationId,
      });
    }
  }
  const removing = change.expectedSuffix.length;
  if (removing > 0) {
    const tail = sql.tailRows.all(userId, sessionId, removing).reverse();
    if (
      !suffixMatches(
        tail.map((row) => row[1]),
        change.expectedSuffix,
      )
    ) {
      throw new SessionConflictError('session history suffix no longer matches the transaction', {
        sessionId,
        operationId,
      });
    }
    sql.deleteFrom.run(userId, sessionId, (tail[0] as [number, string])[0]);
  }
  const appended = change.append.length;
  const next = sql.advance.get(userId, sessionId, appended, appended - removing, now, now) as number;
  let position = next - appended;
  for (const item of change.append) sql.insertItem.run(userId, sessionId, position++, item.json);
}

function popNewest(sql: Statements, { userId, sessionId }: SessionKey): AgentInputItem | undefined {
  const [last] = sql.tailRows.all(userId, sessionId, 1);
  if (!last) return undefined;
  sql.deleteFrom.run(userId, sessionId, last[0]);
  const now = new Date().toISOString();
  sql.advance.get(userId, sessionId, 0, -1, now, now);
  return JSON.parse(last[1]) as AgentInputItem;
}

function parseItems(texts: string[]): AgentInputItem[] {
  const items = new Array<AgentInputItem>(texts.length);
  for (let index = 0; index < texts.length; index += 1) {
    items[index] = JSON.parse(texts[index] as string) as AgentInputItem;
  }
  return items;
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
