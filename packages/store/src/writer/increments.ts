/**
 * Counters keyed by a composite key, summed in memory so each database row is upserted once per
 * batch (PostgreSQL refuses to touch one row twice in one statement; SQLite would do extra work).
 */
export class Increments<K extends Record<string, string | number>, C extends string> {
  readonly #rows = new Map<string, { key: K; counts: Record<C, number> }>();
  readonly #counters: readonly C[];
  /** The key and row of the last call: consecutive events mostly add to the same row. */
  #lastKey: K | null = null;
  #lastRow: { key: K; counts: Record<C, number> } | null = null;

  constructor(counters: readonly C[]) {
    this.#counters = counters;
  }

  /** Adds `counts` to the row identified by `key`. */
  add(key: K, counts: Partial<Record<C, number>>): void {
    let row = this.#sameAsLast(key) ? this.#lastRow : null;
    if (!row) row = this.#row(key);
    for (const counter in counts) row.counts[counter] += counts[counter] ?? 0;
  }

  #sameAsLast(key: K): boolean {
    const last = this.#lastKey;
    if (last === null) return false;
    for (const part in key) if (key[part] !== last[part]) return false;
    return true;
  }

  #row(key: K): { key: K; counts: Record<C, number> } {
    let id = '';
    for (const part in key) id += `${key[part]}\u0000`;
    let row = this.#rows.get(id);
    if (!row) {
      const zero = {} as Record<C, number>;
      for (const counter of this.#counters) zero[counter] = 0;
      row = { key, counts: zero };
      this.#rows.set(id, row);
    }
    this.#lastKey = key;
    this.#lastRow = row;
    return row;
  }

  /** Every row as `{ ...key, ...counts }`, sorted by key so concurrent writers lock rows in one order. */
  rows(): Array<K & Record<C, number>> {
    return [...this.#rows.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, row]) => ({ ...row.key, ...row.counts }));
  }

  get size(): number {
    return this.#rows.size;
  }
}
