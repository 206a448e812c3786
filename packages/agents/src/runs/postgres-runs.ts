/**
 * `postgresRuns(url | pool)`: run records, workflow events and node heartbeats in PostgreSQL, shared by
 * every node: a run is readable from any node and after restarts, and a node's heartbeat is compared with
 * the database's clock, so nodes with skewed clocks agree on who is silent. Batches are one statement
 * each (`json_to_recordset`), so a node writes the runs and events of one tick in one round trip.
 */
import pg from 'pg';
import { SessionInputError, SessionStorageError } from '../errors.ts';
import { createUnderSchemaLock, storable } from '../sessions/postgres-schema-lock.ts';
import {
  lastOfEachRun,
  listLimit,
  type RunEvent,
  type RunStore,
  type ServedRunRecord,
  type StoredRun,
} from './run-store.ts';
import { POSTGRES_RUNS_SCHEMA } from './runs-schema.ts';

export interface PostgresRunsOptions {
  /** Settings of the pool opened for a connection string. Not with a pool of your own. */
  poolConfig?: Omit<pg.PoolConfig, 'connectionString'>;
}

/** The PostgreSQL run store, with its pool. */
export interface PostgresRunStore extends RunStore {
  readonly pool: pg.Pool;
  /** Ends the pool if the store opened it; a pool you passed stays open. */
  close(): Promise<void>;
}

interface RunRow {
  run_id: string;
  kind: string;
  name: string;
  user_id: string;
  conversation_id: string;
  status: string;
  node_id: string | null;
  data: string;
  created_at: Date;
  updated_at: Date;
  node_silent_ms: number | null;
}

const COLUMNS = `r.run_id, r.kind, r.name, r.user_id, r.conversation_id, r.status, r.node_id, r.data,
  r.created_at, r.updated_at,
  (extract(epoch FROM clock_timestamp() - n.heartbeat_at) * 1000)::float8 AS node_silent_ms`;
const FROM = 'serve_runs r LEFT JOIN serve_nodes n ON n.node_id = r.node_id';

const SQL = {
  save: `INSERT INTO serve_runs (run_id, kind, name, user_id, conversation_id, status, node_id, data, created_at, updated_at)
    SELECT run_id, kind, name, user_id, conversation_id, status, node_id, data, created_at, clock_timestamp()
    FROM json_to_recordset($1::json) AS x(run_id text, kind text, name text, user_id text, conversation_id text,
      status text, node_id text, data text, created_at timestamptz)
    ON CONFLICT (run_id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, user_id = EXCLUDED.user_id,
      conversation_id = EXCLUDED.conversation_id, status = EXCLUDED.status, node_id = EXCLUDED.node_id,
      data = EXCLUDED.data, updated_at = EXCLUDED.updated_at`,
  get: `SELECT ${COLUMNS} FROM ${FROM} WHERE r.run_id = $1`,
  list: `SELECT ${COLUMNS} FROM ${FROM} WHERE r.user_id = $1 AND r.kind = $2
    AND ($3::text IS NULL OR r.conversation_id = $3) ORDER BY r.created_at DESC, r.run_id DESC LIMIT $4`,
  append: `INSERT INTO serve_run_events (run_id, event_id, data)
    SELECT run_id, event_id, data FROM json_to_recordset($1::json) AS x(run_id text, event_id bigint, data text)
    ON CONFLICT DO NOTHING`,
  events: `SELECT event_id::float8 AS event_id, data FROM serve_run_events
    WHERE run_id = $1 AND event_id > $2 ORDER BY event_id LIMIT $3`,
  heartbeat: `INSERT INTO serve_nodes (node_id, started_at, heartbeat_at) VALUES ($1, clock_timestamp(), clock_timestamp())
    ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = clock_timestamp()`,
  leave: 'DELETE FROM serve_nodes WHERE node_id = $1',
  // One statement: of two nodes reaping at once, the second finds the runs no longer running.
  interrupt: `UPDATE serve_runs r SET status = 'interrupted', updated_at = clock_timestamp()
    FROM serve_runs s LEFT JOIN serve_nodes n ON n.node_id = s.node_id
    WHERE r.run_id = s.run_id AND r.status = 'running'
      AND (n.heartbeat_at IS NULL OR n.heartbeat_at <= clock_timestamp() - make_interval(secs => $1::float8 / 1000))
    RETURNING ${COLUMNS}`,
} as const;

/** Run records in PostgreSQL (`postgresRuns(process.env.DATABASE_URL)` or a pool). Tables are created on first use. */
export function postgresRuns(
  database: string | pg.Pool,
  options: PostgresRunsOptions = {},
): PostgresRunStore {
  const owned = typeof database === 'string';
  if (!owned && options.poolConfig !== undefined) {
    throw new SessionInputError([
      { path: 'poolConfig', message: 'applies to a connection string; configure your own pool instead' },
    ]);
  }
  const pool = owned ? new pg.Pool({ ...options.poolConfig, connectionString: database }) : database;
  let ready: Promise<void> | undefined;
  // Prepared (named) statements: parsed and planned once per connection, not on each batch or heartbeat.
  const query = async <R extends pg.QueryResultRow>(name: keyof typeof SQL, values: unknown[]) => {
    ready ??= createUnderSchemaLock(pool, POSTGRES_RUNS_SCHEMA).catch((error: unknown) => {
      ready = undefined;
      throw storageError(error);
    });
    await ready;
    try {
      return await pool.query<R>({ name: `sightline_runs_${name}`, text: SQL[name], values });
    } catch (error) {
      throw storageError(error);
    }
  };
  let closed: Promise<void> | undefined;
  return {
    pool,
    async saveRuns(runs) {
      const rows = lastOfEachRun(runs).filter(storableRun).map(toRow);
      if (rows.length > 0) await query('save', [JSON.stringify(rows)]);
    },
    async getRun(runId) {
      if (!storable(runId)) return undefined;
      const row = (await query<RunRow>('get', [runId])).rows[0];
      return row ? toStored(row) : undefined;
    },
    async listRuns(q) {
      const keys = [q.userId, q.conversationId ?? ''];
      if (!keys.every(storable)) return [];
      const params = [q.userId, q.kind, q.conversationId ?? null, listLimit(q.limit)];
      return (await query<RunRow>('list', params)).rows.map(toStored);
    },
    async appendEvents(events) {
      const rows = events
        .filter((event) => storable(event.runId))
        .map((event) => ({ run_id: event.runId, event_id: event.eventId, data: event.data }));
      if (rows.length > 0) await query('append', [JSON.stringify(rows)]);
    },
    async readEvents(runId, afterId, limit = 10_000) {
      if (!storable(runId)) return [];
      const result = await query<{ event_id: number; data: string }>('events', [runId, afterId, limit]);
      return result.rows.map((row): RunEvent => ({ runId, eventId: row.event_id, data: row.data }));
    },
    async heartbeat(nodeId) {
      await query('heartbeat', [nodeId]);
    },
    async leave(nodeId) {
      await query('leave', [nodeId]);
    },
    async interruptRuns(deadAfterMs) {
      return (await query<RunRow>('interrupt', [Math.max(0, deadAfterMs)])).rows.map(toStored);
    },
    close() {
      closed ??= owned ? pool.end() : Promise.resolve();
      return closed;
    },
  };
}

function toRow(run: ServedRunRecord) {
  return {
    run_id: run.runId,
    kind: run.kind,
    name: run.name,
    user_id: run.userId,
    conversation_id: run.conversationId,
    status: run.status,
    node_id: run.nodeId,
    // JSON text of JSON: PostgreSQL text cannot hold U+0000, which JSON.stringify writes escaped anyway.
    data: JSON.stringify(run.data),
    created_at: run.createdAt,
  };
}

function toStored(row: RunRow): StoredRun {
  return {
    runId: row.run_id,
    kind: row.kind as StoredRun['kind'],
    name: row.name,
    userId: row.user_id,
    conversationId: row.conversation_id,
    status: row.status as StoredRun['status'],
    nodeId: row.node_id,
    data: JSON.parse(row.data) as Record<string, unknown>,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    nodeSilentMs: row.node_silent_ms === null ? null : Math.max(0, row.node_silent_ms),
  };
}

function storableRun(run: ServedRunRecord): boolean {
  const keys = [run.runId, run.kind, run.name, run.userId, run.conversationId, run.nodeId ?? ''];
  if (keys.every(storable)) return true;
  throw new SessionInputError([{ path: 'runId', message: 'run keys must not contain U+0000' }]);
}

function storageError(error: unknown): Error {
  if (error instanceof SessionStorageError) return error;
  return new SessionStorageError(`PostgreSQL run store failed: ${(error as Error).message}`, {
    cause: error,
  });
}
