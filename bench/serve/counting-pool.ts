/**
 * A PostgreSQL pool that counts the statements its clients send (bench only): what one served run costs
 * in round trips, by kind (the statement's first words), without pg_stat_statements.
 */
import pg from 'pg';

/** Statements sent so far: in total and by kind. */
export interface StatementCounts {
  total: number;
  byKind: Record<string, number>;
}

/** A pool whose every `query` (through `pool.query` or a checked-out client) is counted in `counts`. */
export function countingPool(config: pg.PoolConfig): { pool: pg.Pool; counts: StatementCounts } {
  const counts: StatementCounts = { total: 0, byKind: {} };
  class CountingClient extends pg.Client {
    // biome-ignore lint/suspicious/noExplicitAny: pg's query has a dozen overloads; this only counts
    override query(...args: any[]): any {
      const first = args[0] as string | { text?: string; name?: string } | undefined;
      const text = typeof first === 'string' ? first : (first?.name ?? first?.text ?? '?');
      const kind = text.replace(/\s+/g, ' ').trim().slice(0, 48);
      counts.total += 1;
      counts.byKind[kind] = (counts.byKind[kind] ?? 0) + 1;
      // biome-ignore lint/suspicious/noExplicitAny: see above
      return (super.query as (...a: any[]) => any)(...args);
    }
  }
  return { pool: new pg.Pool({ ...config, Client: CountingClient }), counts };
}
