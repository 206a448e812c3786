/**
 * The SQLite session store's SQL: its statements, prepared once per database handle, and the bodies of
 * its write transactions (run inside `BEGIN IMMEDIATE` by SqliteSession's store).
 */
import type { AgentInputItem } from '@openai/agents-core';
import type Database from 'better-sqlite3';
import { SessionConflictError } from '../errors.ts';
import type { SessionKey } from './durable-session.ts';
import { type HistoryChange, sameFingerprint, suffixMatches } from './history-change.ts';

export interface SummaryRow {
  session_id: string;
  user_id: string;
  item_count: number;
  created_at: string;
  updated_at: string;
}

/** The prepared statements of one database handle. */
export type SqliteStatements = ReturnType<typeof prepareStatements>;

/** Prepares the session statements on a handle whose tables exist. */
export function prepareStatements(db: Database.Database) {
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
    /** Changes when another connection commits (the cache's view of other writers). */
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
    /** Rows changed through this connection so far (the cache's view of writes on this handle). */
    totalChanges: db.prepare<[], number>('SELECT total_changes()').pluck(),
    list: db.prepare<[string, number], SummaryRow>(
      `SELECT session_id, user_id, item_count, created_at, updated_at FROM agent_sessions
       WHERE user_id = ? ORDER BY updated_at DESC, session_id LIMIT ?`,
    ),
  };
}

/**
 * One change, inside the write transaction: claim the operation id (a retry of an applied id returns
 * false here, a reused id throws), check and remove the expected suffix, append, advance the session's
 * row. A throw rolls everything back, the operation id included.
 */
export function applyChange(
  sql: SqliteStatements,
  { userId, sessionId }: SessionKey,
  change: HistoryChange,
): boolean {
  const now = new Date().toISOString();
  const { operationId } = change;
  // An id the turn made itself needs no record here: this commit returns or rolls back, never leaves
  // its caller unsure whether to retry (see HistoryChange.idGenerated).
  if (operationId !== undefined && !change.idGenerated) {
    const fingerprint = change.fingerprint ?? '';
    if (sql.claimOperation.run(userId, sessionId, operationId, fingerprint, now).changes === 0) {
      if (sameFingerprint(sql.operation.get(userId, sessionId, operationId), change)) return false;
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
  return true;
}

/** Removes and returns the newest item of a history (inside the write transaction). */
export function popNewest(
  sql: SqliteStatements,
  { userId, sessionId }: SessionKey,
): AgentInputItem | undefined {
  const [last] = sql.tailRows.all(userId, sessionId, 1);
  if (!last) return undefined;
  sql.deleteFrom.run(userId, sessionId, last[0]);
  const now = new Date().toISOString();
  sql.advance.get(userId, sessionId, 0, -1, now, now);
  return JSON.parse(last[1]) as AgentInputItem;
}

/** Items from their stored JSON texts (fresh objects). */
export function parseItems(texts: readonly string[]): AgentInputItem[] {
  const items = new Array<AgentInputItem>(texts.length);
  for (let index = 0; index < texts.length; index += 1) {
    items[index] = JSON.parse(texts[index] as string) as AgentInputItem;
  }
  return items;
}
