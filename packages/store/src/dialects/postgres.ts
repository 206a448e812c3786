import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import {
  type Connection,
  type DialectAdapter,
  PREPARED_STATEMENT,
  SEARCH_WINDOW,
  searchWords,
} from '../dialect.ts';
import type { Database } from '../schema.ts';
import { NotifyBatch } from './notify-batch.ts';

export interface PostgresOptions {
  /** A `postgres://` connection string (used when no pool is given). */
  url?: string;
  /** An existing pool; the store does not end it on close. */
  pool?: pg.Pool;
  /** Pool size when the store creates the pool. */
  maxConnections?: number;
}

const INT8 = 20;
const NUMERIC = 1700;

/** int8 and numeric come back as JS numbers: our counters and epoch-ms times fit in 2^53. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

const adapter: DialectAdapter = {
  name: 'postgres',
  jsonMerge: (left, right) => `((${left})::jsonb || (${right})::jsonb)::text`,
  least: (left, right) => `least(${left}, ${right})`,
  greatest: (left, right) => `greatest(${left}, ${right})`,
  placeholder: (n) => `$${n}`,
  searchConversationIds(projectId, query) {
    const words = searchWords(query);
    // A query with no words (punctuation, emoji) matches nothing; to_tsquery would refuse it.
    if (words.length === 0) return sql<string>`(select m.conversation_id from messages m where false)`;
    const tsquery = words.map((word, i) => (i === words.length - 1 ? `${word}:*` : word)).join(' & ');
    return sql<string>`(select m.conversation_id from messages m
      where m.project_id = ${projectId} and to_tsvector('simple', m.content) @@ to_tsquery('simple', ${tsquery})
      order by m.timestamp desc limit ${SEARCH_WINDOW})`;
  },
  metadataEquals(column, key, value) {
    return sql<boolean>`((${column})::jsonb ->> ${key}) = ${value}`;
  },
  lockRowsForMerge: true,
  maxParameters: 60_000,
};

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `sl_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (statementNames.size > 1_000) statementNames.clear();
    statementNames.set(text, name);
  }
  return name;
}

type QueryFunction = (...args: unknown[]) => unknown;

/**
 * Runs statements marked `PREPARED_STATEMENT` as named prepared statements on this client: the
 * server parses and plans the write path's few large statements once per connection, not once
 * per batch (their plans do not depend on the values).
 */
function prepareMarkedStatements(client: pg.Client): void {
  const target = client as unknown as { query: QueryFunction };
  const query = target.query.bind(client) as QueryFunction;
  target.query = (text, ...rest) =>
    typeof text === 'string' && text.startsWith(PREPARED_STATEMENT) && Array.isArray(rest[0])
      ? query({ name: statementName(text), text, values: rest[0] }, ...rest.slice(1))
      : query(text, ...rest);
}

/** Connects to PostgreSQL through a pg pool. */
export function openPostgres(options: PostgresOptions): Connection {
  const ownPool = !options.pool;
  const pool =
    options.pool ?? new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10, types });
  pool.on('connect', prepareMarkedStatements);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Set<pg.PoolClient>();
  const notifications = new NotifyBatch(pool);
  return {
    db,
    adapter,
    broadcast: (channel, payload) => notifications.notify(channel, payload),
    subscribe: async (channel, handler) => {
      // LISTEN holds a connection of its own for as long as the subscription lives.
      const client = await pool.connect();
      listeners.add(client);
      client.on('notification', (message) => {
        if (message.channel === channel && message.payload !== undefined) handler(message.payload);
      });
      await client.query(`listen ${quoteIdentifier(channel)}`);
      return async () => {
        if (!listeners.delete(client)) return;
        await client.query(`unlisten ${quoteIdentifier(channel)}`).catch(() => undefined);
        client.release();
      };
    },
    close: async () => {
      await notifications.settle();
      for (const client of listeners) client.release();
      listeners.clear();
      if (ownPool) await db.destroy();
    },
  };
}

/** Pool options that make int8/numeric arrive as numbers; use them when you pass your own pool. */
export const postgresTypes = types;
