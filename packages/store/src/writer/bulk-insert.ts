/**
 * Multi-row INSERT … ON CONFLICT statements built as SQL text and run through Kysely's executor.
 * The write path inserts hundreds of rows per statement; building those with Kysely's query
 * builder cost ~30 µs per event (object trees, compilation), more than the database work, so the
 * hot path writes its few fixed statement shapes here and caches their text.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { DialectAdapter } from '../dialect.ts';
import type { Database } from '../schema.ts';

export interface BulkInsert {
  table: string;
  columns: readonly string[];
  rows: ReadonlyArray<Record<string, unknown>>;
  /** Conflict target (the primary or unique key). */
  key: readonly string[];
  /** Column -> SQL expression to set on conflict (may use `excluded.x` and `<table>.x`); none: do nothing. */
  update?: Readonly<Record<string, string>>;
  /** Columns to return for the rows actually inserted or updated. */
  returning?: readonly string[];
}

const statementText = new Map<string, string>();

function quote(name: string): string {
  return `"${name}"`;
}

function sqlFor(spec: BulkInsert, rowCount: number, adapter: DialectAdapter): string {
  const cacheKey = `${adapter.name}|${spec.table}|${spec.columns.join(',')}|${rowCount}|${spec.key.join(',')}|${Object.entries(spec.update ?? {}).join(';')}|${spec.returning?.join(',') ?? ''}`;
  const cached = statementText.get(cacheKey);
  if (cached) return cached;
  let parameter = 0;
  const tuple = () => `(${spec.columns.map(() => adapter.placeholder(++parameter)).join(',')})`;
  const tuples = Array.from({ length: rowCount }, tuple).join(',');
  const update = spec.update
    ? `do update set ${Object.entries(spec.update)
        .map(([column, expression]) => `${quote(column)} = ${expression}`)
        .join(', ')}`
    : 'do nothing';
  const returning = spec.returning ? ` returning ${spec.returning.map(quote).join(', ')}` : '';
  const text = `insert into ${quote(spec.table)} (${spec.columns.map(quote).join(', ')}) values ${tuples} on conflict (${spec.key
    .map(quote)
    .join(', ')}) ${update}${returning}`;
  if (statementText.size > 2_000) statementText.clear();
  statementText.set(cacheKey, text);
  return text;
}

/** Runs the insert in as many statements as the dialect's parameter limit needs; returns `returning` rows. */
export async function bulkInsert<R = Record<string, unknown>>(
  db: Kysely<Database>,
  adapter: DialectAdapter,
  spec: BulkInsert,
): Promise<R[]> {
  const out: R[] = [];
  const perStatement = Math.max(1, Math.floor(adapter.maxParameters / spec.columns.length));
  for (let start = 0; start < spec.rows.length; start += perStatement) {
    const rows = spec.rows.slice(start, start + perStatement);
    const parameters: unknown[] = [];
    for (const row of rows) for (const column of spec.columns) parameters.push(row[column] ?? null);
    const result = await db.executeQuery<R>(
      CompiledQuery.raw(sqlFor(spec, rows.length, adapter), parameters),
    );
    out.push(...result.rows);
  }
  return out;
}

/** `<table>.<column> + excluded.<column>` for each counter: upserts that add. */
export function addition(table: string, columns: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    columns.map((column) => [column, `${quote(table)}.${quote(column)} + excluded.${quote(column)}`]),
  );
}
