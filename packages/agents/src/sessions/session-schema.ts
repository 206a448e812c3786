/**
 * The session tables, the same in SQLite and PostgreSQL:
 * - `agent_sessions`: one row per (user, session): the position counter, item count and timestamps.
 *   Writers lock this row, so writes to one session are serialized and positions never interleave.
 * - `agent_session_items`: the history, one JSON text per item (exact round trip), ordered by position.
 * - `agent_session_operations`: applied operation ids with the fingerprint of their change, written in
 *   the same transaction as the change, which is what makes a retried transaction a no-op.
 */

export const SQLITE_SESSION_SCHEMA = `
CREATE TABLE IF NOT EXISTS agent_sessions (
  user_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  next_position INTEGER NOT NULL DEFAULT 0,
  item_count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (user_id, session_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS agent_sessions_by_user ON agent_sessions (user_id, updated_at);
CREATE TABLE IF NOT EXISTS agent_session_items (
  user_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  item TEXT NOT NULL,
  PRIMARY KEY (user_id, session_id, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS agent_session_operations (
  user_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  operation_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, session_id, operation_id)
) WITHOUT ROWID;
`;

export const POSTGRES_SESSION_SCHEMA = `
CREATE TABLE IF NOT EXISTS agent_sessions (
  user_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  next_position BIGINT NOT NULL DEFAULT 0,
  item_count BIGINT NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, session_id)
);
CREATE INDEX IF NOT EXISTS agent_sessions_by_user ON agent_sessions (user_id, updated_at);
CREATE TABLE IF NOT EXISTS agent_session_items (
  user_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  position BIGINT NOT NULL,
  item TEXT NOT NULL,
  PRIMARY KEY (user_id, session_id, position)
);
CREATE TABLE IF NOT EXISTS agent_session_operations (
  user_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  operation_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, session_id, operation_id)
);
`;

/** Advisory lock key serializing concurrent schema creation in PostgreSQL ("sl_agent" in ASCII). */
export const POSTGRES_SCHEMA_LOCK_KEY = 0x736c5f6167656e74n;
