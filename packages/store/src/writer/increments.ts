/**
 * Counters keyed by a composite key, summed in memory so each database row is upserted once per
 * batch (PostgreSQL refuses to touch one row twice in one statement; SQLite would do extra work).
 */
export class Increments<K extends Record<string, string | number>, C extends string> {
  readonly #rows = new Map<string, { key: K; counts: Record<C, number> }>();
  readonly #counters: readonly C[];

  constructor(counters: readonly C[]) {
    this.#counters = counters;
  }

  /** Adds `counts` to the row identified by `key`. */
  add(key: K, counts: Partial<Record<C, number>>): void {
    let id = '';
    for (const part of Object.values(key)) id += `${part}\u0000`;
    let row = this.#rows.get(id);
    if (!row) {
      const zero = {} as Record<C, number>;
      for (const counter of this.#counters) zero[counter] = 0;
      row = { key, counts: zero };
      this.#rows.set(id, row);
    }
    for (const counter of Object.keys(counts) as C[]) row.counts[counter] += counts[counter] ?? 0;
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
