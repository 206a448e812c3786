/**
 * `sqliteRuns(file)`: run records, workflow events and node heartbeats in a SQLite file (the sessions'
 * file works: `serve_runs`, `serve_run_events` and `serve_nodes` are tables of their own), so a restarted
 * process reads its past runs and sees the ones its previous life left running as interrupted.
 */
import { SessionStorageError } from '../errors.ts';
import { openSessionDatabase, type SqliteDatabase } from '../sessions/sqlite-session.ts';
import {
  lastOfEachRun,
  listLimit,
  type RunEvent,
  type RunStore,
  type ServedRunRecord,
  type StoredRun,
} from './run-store.ts';
import { SQLITE_RUNS_SCHEMA } from './runs-schema.ts';

interface RunRow {
  run_id: string;
  kind: string;
  name: string;
  user_id: string;
  conversation_id: string;
  status: string;
  node_id: string | null;
  data: string;
  created_at: string;
  updated_at: string;
  heartbeat_at: number | null;
}

const SELECT_RUN = `SELECT r.*, n.heartbeat_at FROM serve_runs r LEFT JOIN serve_nodes n ON n.node_id = r.node_id`;

/** Run records in a SQLite file (or an open database), opened once per process with WAL. */
export function sqliteRuns(database: string | SqliteDatabase): RunStore {
  const db = typeof database === 'string' ? openSessionDatabase(database) : database;
  db.exec(SQLITE_RUNS_SCHEMA);
  const statements = {
    save: db.prepare(
      `INSERT INTO serve_runs (run_id, kind, name, user_id, conversation_id, status, node_id, data, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id) DO UPDATE SET kind = excluded.kind, name = excluded.name, user_id = excluded.user_id,
         conversation_id = excluded.conversation_id, status = excluded.status, node_id = excluded.node_id,
         data = excluded.data, updated_at = excluded.updated_at`,
    ),
    get: db.prepare<[string], RunRow>(`${SELECT_RUN} WHERE r.run_id = ?`),
    list: db.prepare<[string, string, number], RunRow>(
      `${SELECT_RUN} WHERE r.user_id = ? AND r.kind = ? ORDER BY r.created_at DESC, r.run_id DESC LIMIT ?`,
    ),
    listConversation: db.prepare<[string, string, string, number], RunRow>(
      `${SELECT_RUN} WHERE r.user_id = ? AND r.kind = ? AND r.conversation_id = ?
       ORDER BY r.created_at DESC, r.run_id DESC LIMIT ?`,
    ),
    append: db.prepare('INSERT OR IGNORE INTO serve_run_events (run_id, event_id, data) VALUES (?, ?, ?)'),
    events: db.prepare<[string, number, number], { event_id: number; data: string }>(
      'SELECT event_id, data FROM serve_run_events WHERE run_id = ? AND event_id > ? ORDER BY event_id LIMIT ?',
    ),
    heartbeat: db.prepare(
      `INSERT INTO serve_nodes (node_id, started_at, heartbeat_at) VALUES (?, ?, ?)
       ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
    ),
    leave: db.prepare('DELETE FROM serve_nodes WHERE node_id = ?'),
    dead: db.prepare<[number], RunRow>(
      `${SELECT_RUN} WHERE r.status = 'running' AND (n.heartbeat_at IS NULL OR n.heartbeat_at <= ?)`,
    ),
    interrupt: db.prepare(
      "UPDATE serve_runs SET status = 'interrupted', updated_at = ? WHERE run_id = ? AND status = 'running'",
    ),
  };
  const saveAll = db.transaction((runs: ServedRunRecord[], now: string) => {
    for (const run of runs) {
      statements.save.run(
        run.runId,
        run.kind,
        run.name,
        run.userId,
        run.conversationId,
        run.status,
        run.nodeId,
        JSON.stringify(run.data),
        run.createdAt,
        now,
      );
    }
  });
  const appendAll = db.transaction((events: RunEvent[]) => {
    for (const event of events) statements.append.run(event.runId, event.eventId, event.data);
  });
  const interruptAll = db.transaction((deadAfterMs: number) => {
    const now = Date.now();
    const rows = statements.dead.all(now - deadAfterMs);
    const updatedAt = new Date(now).toISOString();
    for (const row of rows) statements.interrupt.run(updatedAt, row.run_id);
    return rows.map((row) => toStored({ ...row, status: 'interrupted', updated_at: updatedAt }, now));
  });
  return {
    async saveRuns(runs) {
      guarded(() => saveAll(lastOfEachRun(runs), new Date().toISOString()));
    },
    async getRun(runId) {
      const row = guarded(() => statements.get.get(runId));
      return row ? toStored(row, Date.now()) : undefined;
    },
    async listRuns(query) {
      const limit = listLimit(query.limit);
      const rows = guarded(() =>
        query.conversationId === undefined
          ? statements.list.all(query.userId, query.kind, limit)
          : statements.listConversation.all(query.userId, query.kind, query.conversationId, limit),
      );
      const now = Date.now();
      return rows.map((row) => toStored(row, now));
    },
    async appendEvents(events) {
      if (events.length > 0) guarded(() => appendAll(events));
    },
    async readEvents(runId, afterId, limit = 10_000) {
      const rows = guarded(() => statements.events.all(runId, afterId, limit));
      return rows.map((row) => ({ runId, eventId: row.event_id, data: row.data }));
    },
    async heartbeat(nodeId) {
      const now = Date.now();
      guarded(() => statements.heartbeat.run(nodeId, now, now));
    },
    async leave(nodeId) {
      guarded(() => statements.leave.run(nodeId));
    },
    async interruptRuns(deadAfterMs) {
      return guarded(() => interruptAll.immediate(deadAfterMs));
    },
  };
}

function toStored(row: RunRow, now: number): StoredRun {
  return {
    runId: row.run_id,
    kind: row.kind as StoredRun['kind'],
    name: row.name,
    userId: row.user_id,
    conversationId: row.conversation_id,
    status: row.status as StoredRun['status'],
    nodeId: row.node_id,
    data: JSON.parse(row.data) as Record<string, unknown>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    nodeSilentMs: row.heartbeat_at === null ? null : Math.max(0, now - row.heartbeat_at),
  };
}

/** Runs a statement, turning a driver failure (busy, closed, disk) into a SessionStorageError. */
function guarded<T>(statement: () => T): T {
  try {
    return statement();
  } catch (error) {
    throw new SessionStorageError(`SQLite run store failed: ${(error as Error).message}`, { cause: error });
  }
}
