/**
 * Group commit of session turns on one SQLite database: the turns that finish in the same event-loop
 * turn are stored in ONE transaction, each in its own savepoint, so N concurrent runs cost one
 * `BEGIN IMMEDIATE` / `COMMIT` (one WAL append, shared pages written once) instead of N. A caller's promise
 * settles only after the shared COMMIT returned, so an answer that waits for it is still sent after its
 * turn is stored. A turn that fails (a history conflict) rolls back its own savepoint and fails alone; a
 * COMMIT that fails fails every turn of the group, and none of them is stored.
 */
import type { SessionTurn } from './session-turn.ts';
import type { SqliteDatabase } from './sqlite-session.ts';

/** Most turns per transaction; a larger group is split (a bounded transaction keeps the WAL bounded). */
const MAX_GROUP = 256;

interface Waiting {
  turn: SessionTurn;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** How many turns were committed and in how many transactions (grouping at work when fewer). */
export interface CommitGroupStats {
  turns: number;
  transactions: number;
}

/** Batches `SessionTurn.commit()` calls on a SQLite database into shared transactions. */
export class CommitGroup {
  readonly #transaction: (turns: SessionTurn[], started: Array<Promise<void>>) => void;
  #waiting: Waiting[] = [];
  #scheduled = false;
  #stats: CommitGroupStats = { turns: 0, transactions: 0 };

  constructor(db: SqliteDatabase) {
    // The turns' own write transactions nest as savepoints inside this one (better-sqlite3 does that
    // when a transaction is open). Each commit() runs synchronously up to its database write; should a
    // commit ever write later, it writes in its own transaction, which is correct, only not grouped.
    this.#transaction = db.transaction((turns: SessionTurn[], started: Array<Promise<void>>) => {
      for (const turn of turns) started.push(commitNow(turn));
    }).immediate;
  }

  /** Commits `turn` with the others that end in this event-loop turn; resolves once it is stored. */
  commit(turn: SessionTurn): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ turn, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  /** Turns committed and transactions used so far. */
  get stats(): CommitGroupStats {
    return { ...this.#stats };
  }

  #flush(): void {
    this.#scheduled = false;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (let start = 0; start < waiting.length; start += MAX_GROUP) {
      this.#commitGroup(waiting.slice(start, start + MAX_GROUP));
    }
  }

  #commitGroup(group: Waiting[]): void {
    const results: Array<Promise<void>> = [];
    try {
      this.#transaction(
        group.map((waiting) => waiting.turn),
        results,
      );
    } catch (error) {
      // Rolled back: whatever each turn's own write reported, none is stored.
      for (const result of results) result.catch(() => undefined);
      for (const waiting of group) waiting.reject(error);
      return;
    }
    this.#stats.turns += group.length;
    this.#stats.transactions += 1;
    group.forEach((waiting, index) => {
      (results[index] as Promise<void>).then(waiting.resolve, waiting.reject);
    });
  }
}

/** Starts a turn's commit inside the open transaction; a synchronous throw becomes its rejection. */
function commitNow(turn: SessionTurn): Promise<void> {
  try {
    return turn.commit();
  } catch (error) {
    return Promise.reject(error);
  }
}
