/**
 * `sqliteSessions(file)`: conversations in `SqliteSession`s (per user) and paused runs in a
 * `serve_pending_runs` table of the same SQLite file, so both survive a restart.
 */
import { SessionStorageError } from '../errors.ts';
import { CommitGroup, type CommitGroupStats } from './commit-group.ts';
import { SQLITE_PENDING_RUNS_SCHEMA } from './pending-runs-schema.ts';
import type { PendingRun, SessionStore } from './session-store.ts';
import { openSessionDatabase, type SqliteDatabase, SqliteSession } from './sqlite-session.ts';

interface RecordRow {
  record: string;
}

/** The SQLite session store: a SessionStore that also tells how its turns were grouped into commits. */
export interface SqliteSessionStore extends SessionStore {
  /** Turns committed so far and the transactions they took (fewer when concurrent runs shared one). */
  readonly commitStats: CommitGroupStats;
}

/**
 * Sessions and paused runs in a SQLite file (`conversations.db`) or an open database. The file is opened
 * once per process (WAL), shared with any `SqliteSession` on it. Turns of runs that end in the same
 * event-loop turn are committed in one transaction (each atomic on its own, each answered after it).
 */
export function sqliteSessions(database: string | SqliteDatabase): SqliteSessionStore {
  const db = typeof database === 'string' ? openSessionDatabase(database) : database;
  db.exec(SQLITE_PENDING_RUNS_SCHEMA);
  const group = new CommitGroup(db);
  const statements = {
    save: db.prepare(
      `INSERT INTO serve_pending_runs (run_id, user_id, conversation_id, record, claimed_at, created_at)
       VALUES (?, ?, ?, ?, NULL, ?)
       ON CONFLICT (run_id) DO UPDATE SET user_id = excluded.user_id,
         conversation_id = excluded.conversation_id, record = excluded.record, claimed_at = NULL,
         created_at = excluded.created_at`,
    ),
    get: db.prepare<[string], RecordRow>('SELECT record FROM serve_pending_runs WHERE run_id = ?'),
    ofConversation: db.prepare<[string, string], RecordRow>(
      `SELECT record FROM serve_pending_runs WHERE user_id = ? AND conversation_id = ?
       ORDER BY created_at DESC LIMIT 1`,
    ),
    claim: db.prepare<[number, string, number], RecordRow>(
      `UPDATE serve_pending_runs SET claimed_at = ?
       WHERE run_id = ? AND (claimed_at IS NULL OR claimed_at < ?) RETURNING record`,
    ),
    release: db.prepare('UPDATE serve_pending_runs SET claimed_at = NULL WHERE run_id = ?'),
    remove: db.prepare('DELETE FROM serve_pending_runs WHERE run_id = ?'),
  };
  return {
    session(conversationId, userId) {
      return new SqliteSession(conversationId, db, userId === '' ? {} : { userId });
    },
    async savePending(run: PendingRun) {
      guarded(() =>
        statements.save.run(run.runId, run.userId, run.conversationId, JSON.stringify(run), run.createdAt),
      );
    },
    async getPending(runId) {
      return parse(guarded(() => statements.get.get(runId)));
    },
    async pendingOf(conversationId, userId) {
      return parse(guarded(() => statements.ofConversation.get(userId, conversationId)));
    },
    async claimPending(runId, staleMs) {
      const now = Date.now();
      return parse(guarded(() => statements.claim.get(now, runId, now - staleMs)));
    },
    async releasePending(runId) {
      guarded(() => statements.release.run(runId));
    },
    async deletePending(runId) {
      guarded(() => statements.remove.run(runId));
    },
    commitTurn(turn) {
      return group.commit(turn);
    },
    get commitStats() {
      return group.stats;
    },
  };
}

function parse(row: RecordRow | undefined): PendingRun | undefined {
  return row ? (JSON.parse(row.record) as PendingRun) : undefined;
}

/** Runs a statement, turning a driver failure (busy, closed, disk) into a SessionStorageError. */
function guarded<T>(statement: () => T): T {
  try {
    return statement();
  } catch (error) {
    throw new SessionStorageError(`SQLite session store failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
