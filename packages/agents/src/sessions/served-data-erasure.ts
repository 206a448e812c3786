/**
 * Erasing what served agents keep of a user's conversations (right to erasure): their sessions (rows of
 * `agent_sessions`, with their items and applied-operation ids), paused runs (`serve_pending_runs`), and
 * run records with their events (`serve_runs`, `serve_run_events`), in SQLite or PostgreSQL, in one
 * transaction. Tables not created yet hold nothing to erase. `@sightline/serve`'s `eraseTrackedConversation`
 * maps a tracked (dashboard) conversation to the user's conversations; `sightline start` calls it when the
 * collector erases a conversation or a customer.
 */
import type pg from 'pg';
import { SessionStorageError } from '../errors.ts';
import { openSessionDatabase, type SqliteDatabase } from './sqlite-session.ts';

/** Rows removed, by kind. */
export interface ServedErasureCounts {
  sessions: number;
  sessionItems: number;
  pausedRuns: number;
  runs: number;
  runEvents: number;
}

/** Erases served data of users and their conversations. */
export interface ServedDataEraser {
  /** Every user with served data (to find one whose tracked ids carry a digest of their id). */
  users(): Promise<string[]>;
  /** The conversations a user has sessions, paused runs or runs of. */
  conversationsOf(userId: string): Promise<string[]>;
  /** Erases these conversations of the user ('' = anonymous). */
  eraseConversations(userId: string, conversationIds: readonly string[]): Promise<ServedErasureCounts>;
  /** Erases everything of the user. */
  eraseUser(userId: string): Promise<ServedErasureCounts>;
}

/**
 * Each table and its conversation column, in the order rows go: a session's row first (its writers lock
 * it before its items, so an erasure queues behind a turn being stored instead of deadlocking with it),
 * a run's events before the run.
 */
const TABLES = {
  agent_sessions: 'session_id',
  agent_session_items: 'session_id',
  agent_session_operations: 'session_id',
  serve_pending_runs: 'conversation_id',
} as const;

type Table = keyof typeof TABLES | 'serve_run_events' | 'serve_runs';

/** The statements of one erasure: `?` placeholders, the conversation filter (empty: every conversation). */
function erasureStatements(conversations: number): Array<{ table: Table; sql: string }> {
  const within = (column: string) =>
    conversations === 0 ? '' : ` AND ${column} IN (${Array(conversations).fill('?').join(', ')})`;
  const runs = `SELECT run_id FROM serve_runs WHERE user_id = ?${within('conversation_id')}`;
  return [
    ...Object.entries(TABLES).map(([table, column]) => ({
      table: table as Table,
      sql: `DELETE FROM ${table} WHERE user_id = ?${within(column)}`,
    })),
    { table: 'serve_run_events', sql: `DELETE FROM serve_run_events WHERE run_id IN (${runs})` },
    { table: 'serve_runs', sql: `DELETE FROM serve_runs WHERE user_id = ?${within('conversation_id')}` },
  ];
}

const COUNTED: Record<Table, keyof ServedErasureCounts | null> = {
  serve_run_events: 'runEvents',
  agent_session_items: 'sessionItems',
  agent_session_operations: null,
  agent_sessions: 'sessions',
  serve_pending_runs: 'pausedRuns',
  serve_runs: 'runs',
};

const none = (): ServedErasureCounts => ({
  sessions: 0,
  sessionItems: 0,
  pausedRuns: 0,
  runs: 0,
  runEvents: 0,
});
const CHUNK = 500;

/** The conversations in pieces an `IN` list takes (one empty piece: the whole user). */
function pieces(conversationIds: readonly string[] | null): string[][] {
  if (conversationIds === null) return [[]];
  const out: string[][] = [];
  for (let start = 0; start < conversationIds.length; start += CHUNK)
    out.push(conversationIds.slice(start, start + CHUNK));
  return out;
}

const USERS = ['agent_sessions', 'serve_pending_runs', 'serve_runs'].map((t) => `SELECT user_id FROM ${t}`);
const CONVERSATIONS = [
  'SELECT session_id AS id FROM agent_sessions WHERE user_id = ?',
  'SELECT conversation_id AS id FROM serve_pending_runs WHERE user_id = ?',
  'SELECT conversation_id AS id FROM serve_runs WHERE user_id = ?',
];

/** The eraser over a SQLite sessions file (`sessions.db`) or an open database. */
export function sqliteServedEraser(database: string | SqliteDatabase): ServedDataEraser {
  const db = typeof database === 'string' ? openSessionDatabase(database) : database;
  const present = (table: string) =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
  const erase = (userId: string, conversationIds: readonly string[] | null) =>
    guarded(() =>
      db.transaction(() => {
        const counts = none();
        for (const piece of pieces(conversationIds)) {
          for (const { table, sql } of erasureStatements(piece.length)) {
            if (!present(table) || (table === 'serve_run_events' && !present('serve_runs'))) continue;
            const { changes } = db.prepare(sql).run(userId, ...piece);
            const counted = COUNTED[table];
            if (counted) counts[counted] += changes;
          }
        }
        return counts;
      })(),
    );
  const union = (queries: string[], tables: string[]) =>
    queries.filter((_, i) => present(tables[i] as string)).join(' UNION ');
  const tables = ['agent_sessions', 'serve_pending_runs', 'serve_runs'];
  return {
    users: async () => {
      const query = union(USERS, tables);
      return query
        ? db
            .prepare<[], { user_id: string }>(query)
            .all()
            .map((row) => row.user_id)
        : [];
    },
    conversationsOf: async (userId) => {
      const query = union(CONVERSATIONS, tables);
      const count = query.split(' UNION ').length;
      return query
        ? db
            .prepare<string[], { id: string }>(query)
            .all(...Array(count).fill(userId))
            .map((row) => row.id)
        : [];
    },
    eraseConversations: async (userId, ids) => (ids.length === 0 ? none() : erase(userId, ids)),
    eraseUser: async (userId) => erase(userId, null),
  };
}

/** `?` placeholders as PostgreSQL's `$n`. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The eraser over the PostgreSQL pool the sessions and runs use (the tables in its search_path). */
export function postgresServedEraser(pool: pg.Pool): ServedDataEraser {
  const present = async (client: pg.Pool | pg.PoolClient) => {
    const all = [...Object.keys(TABLES), 'serve_run_events', 'serve_runs'];
    const { rows } = await client.query<{ name: string }>(
      'SELECT t AS name FROM unnest($1::text[]) AS t WHERE to_regclass(t) IS NOT NULL',
      [all],
    );
    return new Set(rows.map((row) => row.name));
  };
  const erase = async (userId: string, conversationIds: readonly string[] | null) => {
    const client = await pool.connect().catch((error: unknown) => {
      throw storageError(error);
    });
    try {
      await client.query('BEGIN');
      const tables = await present(client);
      const counts = none();
      for (const piece of pieces(conversationIds)) {
        for (const { table, sql } of erasureStatements(piece.length)) {
          if (!tables.has(table) || (table === 'serve_run_events' && !tables.has('serve_runs'))) continue;
          const result = await client.query(numbered(sql), [userId, ...piece]);
          const counted = COUNTED[table];
          if (counted) counts[counted] += result.rowCount ?? 0;
        }
      }
      await client.query('COMMIT');
      return counts;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw storageError(error);
    } finally {
      client.release();
    }
  };
  const union = async (queries: string[]) => {
    const tables = await present(pool);
    const names = ['agent_sessions', 'serve_pending_runs', 'serve_runs'];
    return queries.filter((_, i) => tables.has(names[i] as string));
  };
  return {
    users: async () => {
      const queries = await union(USERS);
      if (queries.length === 0) return [];
      return (await pool.query<{ user_id: string }>(queries.join(' UNION '))).rows.map((row) => row.user_id);
    },
    conversationsOf: async (userId) => {
      const queries = await union(CONVERSATIONS.map((q) => q.replace('?', '$1')));
      if (queries.length === 0) return [];
      return (await pool.query<{ id: string }>(queries.join(' UNION '), [userId])).rows.map((row) => row.id);
    },
    eraseConversations: async (userId, ids) => (ids.length === 0 ? none() : erase(userId, ids)),
    eraseUser: (userId) => erase(userId, null),
  };
}

/** Runs a SQLite statement group, turning a driver failure into a SessionStorageError. */
function guarded<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw storageError(error);
  }
}

function storageError(error: unknown): Error {
  if (error instanceof SessionStorageError) return error;
  return new SessionStorageError(`erasing served data failed: ${(error as Error).message}`, { cause: error });
}
