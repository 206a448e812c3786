/**
 * Does group commit help session turns on PostgreSQL?
 *
 *   node bench/agents/postgres-group-commit.ts [seconds per size=6] [postgres url]
 *
 * `sqliteSessions` commits the turns that end in the same event-loop tick in ONE transaction (each in
 * its own savepoint); this asks whether `postgresSessions` should do the same. Every variant runs the
 * statements a PostgresSession turn commit runs (lock the session row, look up the operation id, append
 * 4 items + counters + operation id in one statement) for N turns ending together, on distinct sessions:
 * - anchor `individual`: one transaction per turn on a pool of 10 (what PostgresSession does);
 * - `one transaction`: all N turns in one transaction, a savepoint each (what sqliteSessions does);
 * - `split`: the N turns spread over at most 10 transactions in parallel, a savepoint each.
 * Rounds of the three variants are interleaved, the order rotating, so load hits each alike. Reported:
 * turns/s (median over 5 parts of the run, with their spread) and the median time until a tick's turns
 * are all stored (what each answer waits for in a grouped commit).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';

const SECONDS = Number(process.argv[2] ?? 6);
const URL =
  process.argv[3] ?? process.env.SIGHTLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const POOL_SIZE = 10;
const SIZES = [1, 4, 10, 50, 200];
const VARIANTS = ['individual', 'one transaction', 'split'] as const;
type Variant = (typeof VARIANTS)[number];

const KEY = 'user_id = $1 AND session_id = $2';
const SCHEMA = `
CREATE TABLE agent_sessions (user_id TEXT NOT NULL, session_id TEXT NOT NULL,
  next_position BIGINT NOT NULL DEFAULT 0, item_count BIGINT NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, session_id));
CREATE TABLE agent_session_items (user_id TEXT NOT NULL, session_id TEXT NOT NULL, position BIGINT NOT NULL,
  item TEXT NOT NULL, PRIMARY KEY (user_id, session_id, position));
CREATE TABLE agent_session_operations (user_id TEXT NOT NULL, session_id TEXT NOT NULL,
  operation_id TEXT NOT NULL, fingerprint TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, session_id, operation_id));`;
const LOCK = `INSERT INTO agent_sessions (user_id, session_id) VALUES ($1, $2)
  ON CONFLICT (user_id, session_id) DO UPDATE SET user_id = EXCLUDED.user_id
  RETURNING next_position::int8 AS next_position`;
const FIND_OPERATION = `SELECT fingerprint FROM agent_session_operations WHERE ${KEY} AND operation_id = $3`;
const WRITE = `WITH inserted AS (
    INSERT INTO agent_session_items (user_id, session_id, position, item)
    SELECT $1, $2, $3::int8 + t.ord - 1, t.item FROM unnest($4::text[]) WITH ORDINALITY AS t(item, ord)
  ), updated AS (
    UPDATE agent_sessions SET next_position = $3::int8 + 4, item_count = $3::int8 + 4, updated_at = now()
    WHERE ${KEY}
  )
  INSERT INTO agent_session_operations (user_id, session_id, operation_id, fingerprint)
  VALUES ($1, $2, $5, 'fingerprint')`;
const ITEMS = [
  '{"role":"user","content":"what is 1 + 2"}',
  '{"type":"function_call","name":"calculate","callId":"c1","arguments":"{\\"expression\\":\\"1 + 2\\"}"}',
  '{"type":"function_call_result","name":"calculate","callId":"c1","output":"3"}',
  '{"role":"assistant","content":[{"type":"output_text","text":"The answer is 3."}]}',
];

const schema = `sl_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: URL });
await admin.connect();
await admin.query(`CREATE SCHEMA ${schema}`);
const pool = new pg.Pool({ connectionString: URL, max: POOL_SIZE, options: `-c search_path=${schema}` });
await pool.query(SCHEMA);

/** One turn's statements on an open transaction. */
async function writeTurn(client: pg.PoolClient, sessionId: string): Promise<void> {
  const locked = await client.query<{ next_position: string }>(LOCK, ['alice', sessionId]);
  const next = Number(locked.rows[0]?.next_position ?? 0);
  const operationId = randomUUID();
  await client.query(FIND_OPERATION, ['alice', sessionId, operationId]);
  await client.query(WRITE, ['alice', sessionId, next, ITEMS, operationId]);
}

/** Turns in one transaction: one alone, or several in savepoints. */
async function transaction(sessionIds: string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    if (sessionIds.length === 1) await writeTurn(client, sessionIds[0] as string);
    else {
      for (const sessionId of sessionIds) {
        await client.query('SAVEPOINT turn');
        await writeTurn(client, sessionId);
        await client.query('RELEASE SAVEPOINT turn');
      }
    }
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

function tick(variant: Variant, sessionIds: string[]): Promise<unknown> {
  if (variant === 'individual') return Promise.all(sessionIds.map((id) => transaction([id])));
  if (variant === 'one transaction') return transaction(sessionIds);
  const parts = Math.min(POOL_SIZE, sessionIds.length);
  return Promise.all(
    Array.from({ length: parts }, (_, part) => transaction(sessionIds.filter((_, i) => i % parts === part))),
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function measure(size: number): Promise<void> {
  const samples = new Map(VARIANTS.map((variant) => [variant, [] as number[]]));
  const sessionsOf = (round: number) => Array.from({ length: size }, (_, i) => `s${size}-${i}-${round % 20}`);
  for (let round = 0; round < 3; round += 1) for (const v of VARIANTS) await tick(v, sessionsOf(round));
  const end = performance.now() + SECONDS * 1000;
  for (let round = 0; performance.now() < end; round += 1) {
    for (let k = 0; k < VARIANTS.length; k += 1) {
      const variant = VARIANTS[(round + k) % VARIANTS.length] as Variant;
      const started = performance.now();
      await tick(variant, sessionsOf(round));
      samples.get(variant)?.push(performance.now() - started);
    }
  }
  const row = VARIANTS.map((variant) => {
    const times = samples.get(variant) ?? [];
    const part = Math.ceil(times.length / 5);
    const rates = Array.from({ length: 5 }, (_, i) => times.slice(i * part, (i + 1) * part))
      .filter((slice) => slice.length > 0)
      .map((slice) => (size * slice.length) / (slice.reduce((a, b) => a + b, 0) / 1000));
    const spread = `${Math.round(Math.min(...rates))}-${Math.round(Math.max(...rates))}`;
    return `${variant} ${Math.round(median(rates))}/s (${spread}), tick p50 ${median(times).toFixed(2)} ms`;
  });
  console.log(`${String(size).padStart(3)} turns per tick: ${row.join(' | ')}`);
}

try {
  console.log(
    `PostgreSQL ${(await pool.query('SHOW server_version')).rows[0]?.server_version}, pool ${POOL_SIZE}`,
  );
  for (const size of SIZES) await measure(size);
} finally {
  await pool.end();
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
}
