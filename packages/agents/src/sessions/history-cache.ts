/**
 * `HistoryCache`: the stored JSON texts of recently read SQLite histories, so that the read at the start
 * of every turn does not step through the items table again. Entries are valid for one state of the
 * database, named by a `DatabaseStamp`: commits by other connections (other processes, other handles on
 * the file) change `PRAGMA data_version`; row changes made through this connection change
 * `total_changes()`. The store updates an entry with its own committed writes and moves the stamp along
 * with them; any change it did not make (another connection, SQL run by the app on the same handle, a
 * rolled-back transaction) leaves the stamp behind, and the next read drops every entry.
 */

/** A state of one database connection's view of the file. */
export interface DatabaseStamp {
  /** `PRAGMA data_version`: changes when another connection commits. */
  dataVersion: number;
  /** `total_changes()`: rows changed through this connection since it opened. */
  totalChanges: number;
}

export interface HistoryCacheLimits {
  /** Most histories kept (least recently used dropped first; default 1000). */
  sessions: number;
  /** Most characters of JSON kept in all (default 8,000,000, about 16 MB); bigger histories are not kept. */
  chars: number;
}

/** True when two stamps name the same state. */
export function sameStamp(a: DatabaseStamp | undefined, b: DatabaseStamp | undefined): boolean {
  return (
    a !== undefined && b !== undefined && a.dataVersion === b.dataVersion && a.totalChanges === b.totalChanges
  );
}

interface Entry {
  texts: string[];
  chars: number;
}

/** Least-recently-used JSON texts of histories, valid for `stamp`. */
export class HistoryCache {
  /** The database state the entries match; undefined: none yet. */
  stamp: DatabaseStamp | undefined;
  readonly #entries = new Map<string, Entry>();
  readonly #limits: HistoryCacheLimits;
  #chars = 0;

  constructor(limits: Partial<HistoryCacheLimits> = {}) {
    this.#limits = { sessions: limits.sessions ?? 1000, chars: limits.chars ?? 8_000_000 };
  }

  /** Number of histories held. */
  get size(): number {
    return this.#entries.size;
  }

  /** The cached texts of a history (oldest first; do not modify), marked as most recently used. */
  get(key: string): readonly string[] | undefined {
    const entry = this.#take(key);
    if (entry === undefined) return undefined;
    this.#entries.set(key, entry);
    return entry.texts;
  }

  /** Keeps a history's texts (not when it alone would take more than a quarter of the budget). */
  set(key: string, texts: string[]): void {
    this.#take(key);
    this.#keep(key, { texts, chars: charsOf(texts) });
  }

  /** Applies a committed change to a cached history: drops `removed` texts at its end, appends `appended`. */
  change(key: string, removed: number, appended: readonly string[]): void {
    const entry = this.#take(key);
    if (entry === undefined || removed > entry.texts.length) return;
    entry.chars -= charsOf(entry.texts.splice(entry.texts.length - removed, removed));
    for (const text of appended) entry.texts.push(text);
    entry.chars += charsOf(appended);
    this.#keep(key, entry);
  }

  delete(key: string): void {
    this.#take(key);
  }

  /** Drops every entry (the database changed in a way the store did not follow). */
  clear(): void {
    this.#entries.clear();
    this.#chars = 0;
  }

  /** Removes an entry and returns it. */
  #take(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#chars -= entry.chars;
    return entry;
  }

  /** Adds an entry as the most recently used, then drops the least recently used beyond the limits. */
  #keep(key: string, entry: Entry): void {
    if (entry.chars > this.#limits.chars / 4) return;
    this.#entries.set(key, entry);
    this.#chars += entry.chars;
    for (const [oldest] of this.#entries) {
      if (this.#entries.size <= this.#limits.sessions && this.#chars <= this.#limits.chars) return;
      this.#take(oldest);
    }
  }
}

function charsOf(texts: readonly string[]): number {
  let chars = 0;
  for (const text of texts) chars += text.length;
  return chars;
}
