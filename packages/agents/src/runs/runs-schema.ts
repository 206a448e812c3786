/**
 * The run tables of served agents and workflows, in SQLite and PostgreSQL (names that do not collide with
 * the collector's or the sessions' tables):
 * - `serve_runs`: one row per run (kind, name, user, conversation, status, node, data as JSON text);
 * - `serve_run_events`: a run's events by (run, event id), JSON text;
 * - `serve_nodes`: one row per serving node and its last heartbeat.
 */

export const SQLITE_RUNS_SCHEMA = `
CREATE TABLE IF NOT EXISTS serve_runs (
  run_id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  user_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  status TEXT NOT NULL,
  node_id TEXT,
  data TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS serve_runs_by_user ON serve_runs (user_id, kind, conversation_id, created_at);
CREATE INDEX IF NOT EXISTS serve_runs_running ON serve_runs (node_id) WHERE status = 'running';
CREATE TABLE IF NOT EXISTS serve_run_events (
  run_id TEXT NOT NULL,
  event_id INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (run_id, event_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS serve_nodes (
  node_id TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
);
`;

export const POSTGRES_RUNS_SCHEMA = `
CREATE TABLE IF NOT EXISTS serve_runs (
  run_id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  user_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  status TEXT NOT NULL,
  node_id TEXT,
  data TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS serve_runs_by_user ON serve_runs (user_id, kind, conversation_id, created_at);
CREATE INDEX IF NOT EXISTS serve_runs_running ON serve_runs (node_id) WHERE status = 'running';
CREATE TABLE IF NOT EXISTS serve_run_events (
  run_id TEXT NOT NULL,
  event_id BIGINT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (run_id, event_id)
);
CREATE TABLE IF NOT EXISTS serve_nodes (
  node_id TEXT PRIMARY KEY,
  started_at TIMESTAMPTZ NOT NULL,
  heartbeat_at TIMESTAMPTZ NOT NULL
);
`;
