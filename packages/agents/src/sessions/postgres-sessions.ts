/**
 * `postgresSessions(url | pool)`: served conversations in `PostgresSession`s (per user) and paused runs in
 * a `serve_pending_runs` table of the same database, so several processes (nodes behind a load balancer)
 * share them: a conversation continues on any node, and an approval asked on one is answered on another.
 * The tables live in the pool's `search_path`, next to the collector's tables or in a database of their
 * own. Claims use the database's clock and a single `UPDATE ... RETURNING`, atomic across processes.
 *
 * Group commit: the turns waiting to be stored on the pool are written in one statement (multi-row, one
 * transaction, each turn atomic; postgres-append-group.ts), one such statement in flight at a time. A
 * turn took five round trips (BEGIN, lock, operation lookup, write, COMMIT) and as many statements'
 * backend CPU; measured in bench/serve/agents-vs-hand.ts, where PostgreSQL shares the machine's cores
 * with the node, that backend CPU per run is what limits a node's runs per second. (Wall time alone, as
 * bench/agents/postgres-group-commit.ts measures it with savepoints per turn, does not show it.)
 */
import pg from 'pg';
import { SessionInputError, SessionStorageError } from '../errors.ts';
import { POSTGRES_PENDING_RUNS_SCHEMA } from './pending-runs-schema.ts';
import type { AppendGroupStats } from './postgres-append-group.ts';
import { createUnderSchemaLock, storable } from './postgres-schema-lock.ts';
import { PostgresSession, postgresAppendStats } from './postgres-session.ts';
import type { PendingRun, SessionStore } from './session-store.ts';

export interface PostgresSessionsOptions {
  /**
   * Settings of the pool opened for a connection string (`max`, `ssl`, ...). Not with a pool of your
   * own: configure that pool instead.
   */
  poolConfig?: Omit<pg.PoolConfig, 'connectionString'>;
}

/** The PostgreSQL session store: a SessionStore with its pool, and a way to close what it opened. */
export interface PostgresSessionStore extends SessionStore {
  /** The pool the sessions and paused runs use. */
  readonly pool: pg.Pool;
  /** Ends the pool if the store opened it (from a connection string); a pool you passed stays open. */
  close(): Promise<void>;
  /** Turns (appends) stored on the pool so far and the statements they took (group commit at work). */
  readonly commitStats: AppendGroupStats;
}

const SQL = {
  save: `INSERT INTO serve_pending_runs (run_id, user_id, conversation_id, record, claimed_at, created_at)
    VALUES ($1, $2, $3, $4, NULL, clock_timestamp())
    ON CONFLICT (run_id) DO UPDATE SET user_id = EXCLUDED.user_id, conversation_id = EXCLUDED.conversation_id,
      record = EXCLUDED.record, claimed_at = NULL, created_at = EXCLUDED.created_at`,
  get: 'SELECT record FROM serve_pending_runs WHERE run_id = $1',
  ofConversation: `SELECT record FROM serve_pending_runs WHERE user_id = $1 AND conversation_id = $2
    ORDER BY created_at DESC LIMIT 1`,
  // One statement: of two processes claiming at once, the second sees the first's claim and gets nothing.
  claim: `UPDATE serve_pending_runs SET claimed_at = clock_timestamp()
    WHERE run_id = $1
      AND (claimed_at IS NULL OR claimed_at < clock_timestamp() - make_interval(secs => $2::float8 / 1000))
    RETURNING record`,
  release: 'UPDATE serve_pending_runs SET claimed_at = NULL WHERE run_id = $1',
  remove: 'DELETE FROM serve_pending_runs WHERE run_id = $1',
} as const;

/**
 * Sessions and paused runs of served agents in PostgreSQL: `postgresSessions(process.env.DATABASE_URL)`
 * (the store opens a pool; `close()` ends it) or `postgresSessions(pool)`. Tables are created on first use.
 */
export function postgresSessions(
  database: string | pg.Pool,
  options: PostgresSessionsOptions = {},
): PostgresSessionStore {
  const owned = typeof database === 'string';
  if (!owned && options.poolConfig !== undefined) {
    throw new SessionInputError([
      { path: 'poolConfig', message: 'applies to a connection string; configure your own pool instead' },
    ]);
  }
  const pool = owned ? new pg.Pool({ ...options.poolConfig, connectionString: database }) : database;
  const pending = new PendingRuns(pool);
  let closed: Promise<void> | undefined;
  return {
    pool,
    session(conversationId, userId) {
      return new PostgresSession(conversationId, pool, userId === '' ? {} : { userId });
    },
    savePending: (run) => pending.save(run),
    getPending: (runId) => pending.one(SQL.get, [runId], [runId]),
    pendingOf: (conversationId, userId) =>
      pending.one(SQL.ofConversation, [userId, conversationId], [userId, conversationId]),
    claimPending: (runId, staleMs) => pending.one(SQL.claim, [runId, Math.max(0, staleMs)], [runId]),
    releasePending: (runId) => pending.run(SQL.release, [runId], [runId]),
    deletePending: (runId) => pending.run(SQL.remove, [runId], [runId]),
    close() {
      closed ??= owned ? pool.end() : Promise.resolve();
      return closed;
    },
    get commitStats() {
      return postgresAppendStats(pool);
    },
  };
}

/** The `serve_pending_runs` table on a pool, created on first use. */
class PendingRuns {
  readonly #pool: pg.Pool;
  #ready: Promise<void> | undefined;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async save(run: PendingRun): Promise<void> {
    const keys = { runId: run.runId, userId: run.userId, conversationId: run.conversationId };
    for (const [field, value] of Object.entries(keys)) {
      if (!storable(value))
        throw new SessionInputError([{ path: field, message: 'must not contain U+0000' }]);
    }
    await this.#query(SQL.save, [run.runId, run.userId, run.conversationId, JSON.stringify(run)]);
  }

  /** The record the statement returns, if any; none when a key cannot be stored (so matches nothing). */
  async one(text: string, params: unknown[], keys: string[]): Promise<PendingRun | undefined> {
    if (!keys.every(storable)) return undefined;
    const result = await this.#query<{ record: string }>(text, params);
    const record = result.rows[0]?.record;
    return record === undefined ? undefined : (JSON.parse(record) as PendingRun);
  }

  /** Runs a change; a key that cannot be stored matches no row, so there is nothing to change. */
  async run(text: string, params: unknown[], keys: string[]): Promise<void> {
    if (keys.every(storable)) await this.#query(text, params);
  }

  async #query<R extends pg.QueryResultRow>(text: string, params: unknown[]): Promise<pg.QueryResult<R>> {
    await this.#ensureSchema();
    try {
      return await this.#pool.query<R>(text, params);
    } catch (error) {
      throw storageError(error);
    }
  }

  #ensureSchema(): Promise<void> {
    this.#ready ??= createUnderSchemaLock(this.#pool, POSTGRES_PENDING_RUNS_SCHEMA).catch(
      (error: unknown) => {
        this.#ready = undefined;
        throw storageError(error);
      },
    );
    return this.#ready;
  }
}

function storageError(error: unknown): Error {
  if (error instanceof SessionStorageError) return error;
  return new SessionStorageError(`PostgreSQL session store failed: ${(error as Error).message}`, {
    cause: error,
  });
}
