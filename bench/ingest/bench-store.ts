/**
 * The store a benchmark's `--db` names: a PostgreSQL URL as it is, else a SQLite file with the bench's
 * SQLite settings (`--cache-mb`, durability), so that each script reads those flags the same way.
 */
import type { StoreOptions } from '@sightline/store';

/** Store options for `db`; `cacheMb` is the `--cache-mb` flag as given (absent: the store's default). */
export function benchStoreOptions(
  db: string,
  sqlite: { cacheMb?: string | undefined; durability?: 'full' | 'normal' } = {},
): StoreOptions {
  if (db.startsWith('postgres')) return { database: db };
  return {
    sqlite: {
      file: db,
      ...(sqlite.durability ? { durability: sqlite.durability } : {}),
      ...(sqlite.cacheMb === undefined ? {} : { cacheMb: Number(sqlite.cacheMb) }),
    },
  };
}
