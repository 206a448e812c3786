/**
 * PostgreSQL NOTIFY calls made in the same turn of the event loop, sent as one statement. Each
 * autocommitted `pg_notify` is a transaction of its own: a round trip, a pool connection and a
 * commit record. A collector relaying 500 committed events sends ~30 of them per batch; together
 * they cost one. Order is kept (PostgreSQL delivers one transaction's notifications in order).
 */
import type pg from 'pg';

interface Pending {
  channel: string;
  payload: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Most notifications sent in one statement (a select list holds at most 1,664 entries). */
const MAX_PER_STATEMENT = 500;

export class NotifyBatch {
  readonly #pool: pg.Pool;
  #pending: Pending[] = [];
  #scheduled = false;
  #tail: Promise<void> = Promise.resolve();

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Queues a notification; resolves once the statement carrying it has committed. */
  notify(channel: string, payload: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ channel, payload, resolve, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.#flush();
      });
    });
  }

  /** Sends what is queued now and waits for every statement in flight (before the pool ends). */
  async settle(): Promise<void> {
    this.#flush();
    await this.#tail;
  }

  /** Groups go out one after the other, so they are delivered in the order they were queued. */
  #flush(): void {
    const pending = this.#pending;
    this.#pending = [];
    while (pending.length > 0) {
      const group = takeGroup(pending);
      this.#tail = this.#tail.then(() => this.#send(group));
    }
  }

  async #send(group: Pending[]): Promise<void> {
    try {
      // Each channel and payload its own parameter: no escaping in JavaScript (text[] and JSON
      // escape every payload character by character) and nothing to parse in the server.
      const calls = group.map((_, i) => `pg_notify($${2 * i + 1}, $${2 * i + 2})`);
      await this.#pool.query(
        `select ${calls.join(', ')}`,
        group.flatMap((item) => [item.channel, item.payload]),
      );
      for (const item of group) item.resolve();
    } catch (error) {
      for (const item of group) item.reject(error);
    }
  }
}

/**
 * Takes the longest prefix that PostgreSQL will deliver whole: it folds a repeated (channel,
 * payload) pair within one transaction into one notification, so a repeat starts the next group.
 */
function takeGroup(pending: Pending[]): Pending[] {
  const seen = new Set<string>();
  let count = 0;
  while (count < pending.length && count < MAX_PER_STATEMENT) {
    const item = pending[count] as Pending;
    const key = `${item.channel}\u0000${item.payload}`;
    if (seen.has(key)) break;
    seen.add(key);
    count += 1;
  }
  return pending.splice(0, count);
}
