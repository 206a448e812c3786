/**
 * `sqliteSessions(file)`: conversations in `SqliteSession`s (per user) and paused runs in a
 * `serve_pending_runs` table of the same SQLite file, so both survive a restart.
 */
import { openSessionDatabase, type SqliteDatabase, SqliteSession } from '@sightline/agents';
import { CommitGroup, type CommitGroupStats } from './commit-group.ts';
import type { PendingRun, SessionStore } from './session-store.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS serve_pending_runs (
  run_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  record TEXT NOT NULL,
  claimed_at INTEGER,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS serve_pending_runs_conversation
  ON serve_pending_runs (user_id, conversation_id);
`;

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
  db.exec(SCHEMA);
  const group = new CommitGroup(db);
  const statements = {
    save: db.prepare(
      `INSERT INTO serve_pending_runs (run_id, user_id, conversation_id, record, claimed_at, created_at)
       VALUES (?, ?, ?, ?, NULL, ?)
       ON CONFLICT (run_id) DO UPDATE SET record = excluded.record, claimed_at = NULL`,
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
      statements.save.run(run.runId, run.userId, run.conversationId, JSON.stringify(run), run.createdAt);
    },
    async getPending(runId) {
      return parse(statements.get.get(runId));
    },
    async pendingOf(conversationId, userId) {
      return parse(statements.ofConversation.get(userId, conversationId));
    },
    async claimPending(runId, staleMs) {
      const now = Date.now();
      return parse(statements.claim.get(now, runId, now - staleMs));
    },
    async releasePending(runId) {
      statements.release.run(runId);
    },
    async deletePending(runId) {
      statements.remove.run(runId);
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
