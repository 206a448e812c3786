/**
 * The paused-run table of served agents, `serve_pending_runs`, in SQLite and PostgreSQL: one row per run
 * waiting for tool approvals, its `PendingRun` as JSON text (exact round trip), and `claimed_at`, set by
 * the one caller that resumes it. The name does not collide with the collector's tables (conversations,
 * messages, steps, feedback, ...), so the sessions can live in the collector's database.
 */

export const SQLITE_PENDING_RUNS_SCHEMA = `
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

export const POSTGRES_PENDING_RUNS_SCHEMA = `
CREATE TABLE IF NOT EXISTS serve_pending_runs (
  run_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  record TEXT NOT NULL,
  claimed_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS serve_pending_runs_conversation
  ON serve_pending_runs (user_id, conversation_id, created_at);
`;
