/**
 * Group commit of session appends on one PostgreSQL pool: the appends (a run's turn, `addItems`, an
 * `append_items` transaction) waiting to be stored are written in ONE statement, itself one transaction:
 * it records their operation ids, advances their sessions' counters (locking those rows, in key order)
 * and inserts their items, multi-row. One statement is in flight at a time; what arrives meanwhile is the
 * next one, so under load a node stores many turns per round trip and per backend, alone a turn is stored
 * on the next event-loop turn in one round trip (a prepared statement, so it is not parsed and planned
 * each time).
 *
 * Each append stays atomic: it is applied whole or not at all. One whose operation id is already recorded
 * is left out of the statement (answered `false`: the caller checks the recorded fingerprint on its own).
 * A session has at most one append per statement (a second one waits for the next, in order). A statement
 * that fails fails every append in it: none is stored, none is acknowledged.
 */
import type pg from 'pg';
import type { SessionKey } from './durable-session.ts';
import type { HistoryChange } from './history-change.ts';

/** Most appends per statement (bounds its size and the rows it locks); more wait for the next. */
const MAX_GROUP = 256;

// The appends as arrays: $1 users, $2 sessions, $3 operation ids (NULL: none), $4 fingerprints, $5 item
// counts; their items as $6 the append's number (1-based), $7 the item's index in it, $8 the JSON texts.
const WRITE_GROUP = `WITH appends AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[])
      WITH ORDINALITY AS t(user_id, session_id, operation_id, fingerprint, appended, nr)
  ), claimed AS (
    INSERT INTO agent_session_operations (user_id, session_id, operation_id, fingerprint)
    SELECT user_id, session_id, operation_id, fingerprint FROM appends WHERE operation_id IS NOT NULL
    ORDER BY user_id, session_id
    ON CONFLICT DO NOTHING
    RETURNING user_id, session_id
  ), applied AS (
    SELECT a.* FROM appends a WHERE a.operation_id IS NULL
      OR EXISTS (SELECT 1 FROM claimed c WHERE c.user_id = a.user_id AND c.session_id = a.session_id)
  ), advanced AS (
    INSERT INTO agent_sessions AS s (user_id, session_id, next_position, item_count)
    SELECT user_id, session_id, appended, appended FROM applied ORDER BY user_id, session_id
    ON CONFLICT (user_id, session_id) DO UPDATE SET next_position = s.next_position + EXCLUDED.next_position,
      item_count = s.item_count + EXCLUDED.item_count, updated_at = now()
    RETURNING s.user_id, s.session_id, s.next_position
  ), inserted AS (
    INSERT INTO agent_session_items (user_id, session_id, position, item)
    SELECT p.user_id, p.session_id, v.next_position - p.appended + i.at, i.item
    FROM unnest($6::int8[], $7::int8[], $8::text[]) AS i(nr, at, item)
    JOIN applied p ON p.nr = i.nr
    JOIN advanced v ON v.user_id = p.user_id AND v.session_id = p.session_id
  )
  SELECT nr::int4 AS nr FROM applied`;

interface Waiting {
  key: SessionKey;
  change: HistoryChange;
  resolve: (applied: boolean) => void;
  reject: (error: unknown) => void;
}

/** How many appends were stored and in how many statements (grouping at work when fewer). */
export interface AppendGroupStats {
  turns: number;
  transactions: number;
}

/** Batches plain appends (no suffix to remove) of one pool's sessions into shared statements. */
export class PostgresAppendGroup {
  readonly #pool: pg.Pool;
  readonly #ready: () => Promise<void>;
  readonly #failure: (error: unknown) => Error;
  #queue: Waiting[] = [];
  #writing = false;
  #scheduled = false;
  #stats: AppendGroupStats = { turns: 0, transactions: 0 };

  /** Writes on `pool` once `ready()` resolved (the tables exist); errors become `failure(error)`. */
  constructor(pool: pg.Pool, options: { ready: () => Promise<void>; failure: (error: unknown) => Error }) {
    this.#pool = pool;
    this.#ready = options.ready;
    this.#failure = options.failure;
  }

  /**
   * Stores an append with the others waiting now; resolves true once stored, false when its operation id
   * was already recorded (nothing stored); rejects when its statement failed (nothing stored).
   */
  append(key: SessionKey, change: HistoryChange): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ key, change, resolve, reject });
      if (this.#writing || this.#scheduled) return; // the write in flight takes the rest when it ends
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        void this.#write();
      });
    });
  }

  /** Appends stored and statements used so far. */
  get stats(): AppendGroupStats {
    return { ...this.#stats };
  }

  async #write(): Promise<void> {
    if (this.#writing || this.#queue.length === 0) return;
    this.#writing = true;
    const group = this.#take();
    try {
      await this.#ready();
      const result = await this.#pool.query<{ nr: number }>({
        name: 'sightline_session_appends',
        text: WRITE_GROUP,
        values: groupValues(group),
      });
      const applied = new Set(result.rows.map((row) => row.nr));
      this.#stats.transactions += 1;
      this.#stats.turns += applied.size;
      group.forEach((waiting, index) => {
        waiting.resolve(applied.has(index + 1));
      });
    } catch (error) {
      const failure = this.#failure(error);
      for (const waiting of group) waiting.reject(failure);
    } finally {
      this.#writing = false;
      void this.#write(); // what arrived meanwhile
    }
  }

  /** The next group: up to MAX_GROUP appends in arrival order, one per session (others stay, in order). */
  #take(): Waiting[] {
    const group: Waiting[] = [];
    const rest: Waiting[] = [];
    const keys = new Set<string>();
    for (const waiting of this.#queue) {
      const key = `${waiting.key.userId}\u0000${waiting.key.sessionId}`;
      if (group.length >= MAX_GROUP || keys.has(key)) {
        rest.push(waiting);
      } else {
        keys.add(key);
        group.push(waiting);
      }
    }
    this.#queue = rest;
    return group;
  }
}

/** The statement's parameters for a group. */
function groupValues(group: Waiting[]): unknown[] {
  const users: string[] = [];
  const sessions: string[] = [];
  const operations: Array<string | null> = [];
  const fingerprints: Array<string | null> = [];
  const counts: number[] = [];
  const itemNr: number[] = [];
  const itemAt: number[] = [];
  const itemJson: string[] = [];
  group.forEach(({ key, change }, index) => {
    users.push(key.userId);
    sessions.push(key.sessionId);
    operations.push(change.operationId ?? null);
    fingerprints.push(change.operationId === undefined ? null : (change.fingerprint ?? ''));
    counts.push(change.append.length);
    change.append.forEach((item, at) => {
      itemNr.push(index + 1);
      itemAt.push(at);
      itemJson.push(item.json);
    });
  });
  return [users, sessions, operations, fingerprints, counts, itemNr, itemAt, itemJson];
}
