/**
 * `PostgresSession`: a durable SDK session in PostgreSQL (pg). Each write is one transaction that locks
 * the session's row in `agent_sessions`, so concurrent writers to one session are serialized (positions
 * never interleave) while different sessions proceed in parallel. Appends (a run's turn, `addItems`) of
 * the sessions of one pool that wait at the same time share one statement (postgres-append-group.ts);
 * a change that removes items first is a transaction of its own.
 */
import type { AgentInputItem } from '@openai/agents-core';
import pg from 'pg';
import { SessionConflictError, SessionStorageError, SightlineAgentsError } from '../errors.ts';
import {
  checkListLimit,
  DurableSession,
  type DurableSessionOptions,
  type HistoryStore,
  type SessionKey,
  type SessionSummary,
} from './durable-session.ts';
import { type HistoryChange, sameFingerprint, suffixMatches } from './history-change.ts';
import { type AppendGroupStats, PostgresAppendGroup } from './postgres-append-group.ts';
import { createUnderSchemaLock } from './postgres-schema-lock.ts';
import { POSTGRES_SESSION_SCHEMA } from './session-schema.ts';

const poolsByUrl = new Map<string, pg.Pool>();
const stores = new WeakMap<pg.Pool, PostgresHistoryStore>();

/** Returns the pool for a connection string, creating it once per process. */
export function sessionPool(url: string): pg.Pool {
  let pool = poolsByUrl.get(url);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url });
    poolsByUrl.set(url, pool);
  }
  return pool;
}

/** Ends every pool `sessionPool` created (for tests and graceful shutdown). */
export async function closeSessionPools(): Promise<void> {
  const pools = [...poolsByUrl.values()];
  poolsByUrl.clear();
  await Promise.all(pools.map((pool) => pool.end()));
}

export interface PostgresListOptions {
  /** The user whose sessions to list; omitted: sessions created without a user. */
  userId?: string;
  limit?: number;
}

/**
 * A durable session in PostgreSQL: `new PostgresSession(sessionId, pool)` or with a connection string.
 * Tables are created on first use (in the pool's `search_path`).
 */
export class PostgresSession<TContext = unknown> extends DurableSession<TContext> {
  /** The pool this session uses. */
  readonly pool: pg.Pool;

  constructor(sessionId: string, pool: pg.Pool | string, options: DurableSessionOptions<TContext> = {}) {
    const resolved = typeof pool === 'string' ? sessionPool(pool) : pool;
    super(sessionId, storeFor(resolved), options);
    this.pool = resolved;
  }

  /** Lists sessions (of one user, or of no user), most recently updated first. */
  static async listSessions(
    pool: pg.Pool | string,
    options: PostgresListOptions = {},
  ): Promise<SessionSummary[]> {
    const resolved = typeof pool === 'string' ? sessionPool(pool) : pool;
    return storeFor(resolved).list(options.userId ?? '', { limit: checkListLimit(options.limit) });
  }
}

/** Appends stored on `pool` and the statements they took (fewer when concurrent appends shared one). */
export function postgresAppendStats(pool: pg.Pool): AppendGroupStats {
  return storeFor(pool).appendStats;
}

function storeFor(pool: pg.Pool): PostgresHistoryStore {
  let store = stores.get(pool);
  if (!store) {
    store = new PostgresHistoryStore(pool);
    stores.set(pool, store);
  }
  return store;
}

const KEY = 'user_id = $1 AND session_id = $2';

const LOCK_SESSION = `INSERT INTO agent_sessions (user_id, session_id) VALUES ($1, $2)
  ON CONFLICT (user_id, session_id) DO UPDATE SET user_id = EXCLUDED.user_id
  RETURNING next_position::int8 AS next_position, item_count::int8 AS item_count`;

// One statement: append the items, move the counters, record the operation id.
const WRITE_CHANGE = `WITH inserted AS (
    INSERT INTO agent_session_items (user_id, session_id, position, item)
    SELECT $1, $2, $3::int8 + t.ord - 1, t.item FROM unnest($4::text[]) WITH ORDINALITY AS t(item, ord)
  ), updated AS (
    UPDATE agent_sessions SET next_position = $3::int8 + cardinality($4::text[]), item_count = $5::int8,
      updated_at = now() WHERE ${KEY}
  )
  INSERT INTO agent_session_operations (user_id, session_id, operation_id, fingerprint)
  SELECT $1, $2, $6::text, $7::text WHERE $6::text IS NOT NULL`;

interface SummaryRow {
  session_id: string;
  user_id: string;
  item_count: string;
  created_at: Date;
  updated_at: Date;
}

class PostgresHistoryStore implements HistoryStore {
  readonly #pool: pg.Pool;
  readonly #appends: PostgresAppendGroup;
  #ready: Promise<void> | undefined;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
    this.#appends = new PostgresAppendGroup(pool, {
      ready: () => this.#ensureSchema(),
      failure: storageError,
    });
  }

  get appendStats(): AppendGroupStats {
    return this.#appends.stats;
  }

  async read(key: SessionKey, limit: number | undefined): Promise<AgentInputItem[]> {
    await this.#ensureSchema();
    const params = [key.userId, key.sessionId];
    const result =
      limit === undefined
        ? await query<{ item: string }>(
            this.#pool,
            `SELECT item FROM agent_session_items WHERE ${KEY} ORDER BY position`,
            params,
          )
        : await query<{ item: string }>(
            this.#pool,
            `SELECT item FROM agent_session_items WHERE ${KEY} ORDER BY position DESC LIMIT $3`,
            [...params, limit],
          );
    const rows = limit === undefined ? result.rows : result.rows.reverse();
    return rows.map((row) => JSON.parse(row.item) as AgentInputItem);
  }

  async apply(key: SessionKey, change: HistoryChange): Promise<void> {
    // An append goes with the others waiting now; one whose operation id is recorded already is checked
    // (a retry is a no-op, a reused id a conflict) in a transaction of its own, as is any removal.
    if (change.expectedSuffix.length === 0 && (await this.#appends.append(key, change))) return;
    await this.#applyAlone(key, change);
  }

  async #applyAlone(key: SessionKey, change: HistoryChange): Promise<void> {
    await this.#transaction(async (client) => {
      const params = [key.userId, key.sessionId];
      const locked = await client.query<{ next_position: string; item_count: string }>(LOCK_SESSION, params);
      const next = Number(locked.rows[0]?.next_position ?? 0);
      let count = Number(locked.rows[0]?.item_count ?? 0);
      if (change.operationId !== undefined) {
        const applied = await client.query<{ fingerprint: string }>(
          `SELECT fingerprint FROM agent_session_operations WHERE ${KEY} AND operation_id = $3`,
          [...params, change.operationId],
        );
        const fingerprint = applied.rows[0]?.fingerprint;
        if (sameFingerprint(fingerprint, change)) return;
        if (fingerprint !== undefined) {
          throw new SessionConflictError('operation id was already used for a different transaction', {
            sessionId: key.sessionId,
            operationId: change.operationId,
          });
        }
      }
      const removing = change.expectedSuffix.length;
      if (removing > 0) {
        const tail = await client.query<{ position: string; item: string }>(
          `SELECT position::int8 AS position, item FROM agent_session_items WHERE ${KEY} ORDER BY position DESC LIMIT $3`,
          [...params, removing],
        );
        const rows = tail.rows.reverse();
        if (
          !suffixMatches(
            rows.map((row) => row.item),
            change.expectedSuffix,
          )
        ) {
          throw new SessionConflictError('session history suffix no longer matches the transaction', {
            sessionId: key.sessionId,
            operationId: change.operationId,
          });
        }
        await client.query(`DELETE FROM agent_session_items WHERE ${KEY} AND position >= $3`, [
          ...params,
          rows[0]?.position ?? next,
        ]);
        count -= removing;
      }
      await client.query(WRITE_CHANGE, [
        ...params,
        next,
        change.append.map((item) => item.json),
        count + change.append.length,
        change.operationId ?? null,
        change.fingerprint ?? '',
      ]);
    });
  }

  async pop(key: SessionKey): Promise<AgentInputItem | undefined> {
    return this.#transaction(async (client) => {
      const params = [key.userId, key.sessionId];
      const locked = await client.query(`SELECT 1 FROM agent_sessions WHERE ${KEY} FOR UPDATE`, params);
      if (locked.rowCount === 0) return undefined;
      const popped = await client.query<{ item: string }>(
        `WITH last AS (
           DELETE FROM agent_session_items WHERE ${KEY} AND position =
             (SELECT max(position) FROM agent_session_items WHERE ${KEY}) RETURNING item
         ), counted AS (
           UPDATE agent_sessions SET item_count = item_count - (SELECT count(*) FROM last), updated_at = now()
           WHERE ${KEY}
         ) SELECT item FROM last`,
        params,
      );
      const item = popped.rows[0]?.item;
      return item === undefined ? undefined : (JSON.parse(item) as AgentInputItem);
    });
  }

  async clear(key: SessionKey): Promise<void> {
    await this.#transaction(async (client) => {
      const params = [key.userId, key.sessionId];
      await client.query(`SELECT 1 FROM agent_sessions WHERE ${KEY} FOR UPDATE`, params);
      await client.query(
        `WITH items AS (DELETE FROM agent_session_items WHERE ${KEY}),
              ops AS (DELETE FROM agent_session_operations WHERE ${KEY})
         DELETE FROM agent_sessions WHERE ${KEY}`,
        params,
      );
    });
  }

  async list(userId: string, options: { limit: number }): Promise<SessionSummary[]> {
    await this.#ensureSchema();
    const result = await query<SummaryRow>(
      this.#pool,
      `SELECT session_id, user_id, item_count::text AS item_count, created_at, updated_at FROM agent_sessions
       WHERE user_id = $1 ORDER BY updated_at DESC, session_id LIMIT $2`,
      [userId, options.limit],
    );
    return result.rows.map((row) => ({
      sessionId: row.session_id,
      userId: row.user_id === '' ? undefined : row.user_id,
      itemCount: Number(row.item_count),
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    }));
  }

  async #transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.#ensureSchema();
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw storageError(error);
    }
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw storageError(error);
    } finally {
      client.release();
    }
  }

  #ensureSchema(): Promise<void> {
    this.#ready ??= createUnderSchemaLock(this.#pool, POSTGRES_SESSION_SCHEMA).catch((error: unknown) => {
      this.#ready = undefined;
      throw storageError(error);
    });
    return this.#ready;
  }
}

async function query<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  text: string,
  params: unknown[],
): Promise<pg.QueryResult<R>> {
  try {
    return await pool.query<R>(text, params);
  } catch (error) {
    throw storageError(error);
  }
}

function storageError(error: unknown): Error {
  if (error instanceof SightlineAgentsError) return error;
  return new SessionStorageError(`PostgreSQL session store failed: ${(error as Error).message}`, {
    cause: error,
  });
}
