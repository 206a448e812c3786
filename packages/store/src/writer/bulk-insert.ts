/**
 * Multi-row INSERT … ON CONFLICT statements built as SQL text and run through Kysely's executor.
 * The write path inserts hundreds of rows per statement; building those with Kysely's query
 * builder cost ~30 µs per event (object trees, compilation), more than the database work, so the
 * hot path writes its few fixed statement shapes here and caches their text.
 *
 * `bulkInsert` binds one parameter per value (`values (?, ?), (?, ?)`): SQLite's write path. The
 * PostgreSQL write path (postgres-writes.ts) gets each table's rows as one JSON parameter
 * (`select … from json_populate_recordset(null::<table>, $n)`, `jsonInsertSql`): a 500-row batch of
 * 22-column steps was 11,000 parameters to serialize, parse and plan; as JSON it is one, its text
 * is the same for every batch size (so it is planned alike), and the column types come from the
 * table itself.
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

function cached(key: string, build: () => string): string {
  const text = statementText.get(key);
  if (text) return text;
  const built = build();
  if (statementText.size > 2_000) statementText.clear();
  statementText.set(key, built);
  return built;
}

function specKey(spec: BulkInsert): string {
  return `${spec.table}|${spec.columns.join(',')}|${spec.key.join(',')}|${Object.entries(spec.update ?? {}).join(';')}|${spec.returning?.join(',') ?? ''}`;
}

/** `on conflict (…) do …[ returning …]`. */
function conflictClause(spec: BulkInsert): string {
  const update = spec.update
    ? `do update set ${Object.entries(spec.update)
        .map(([column, expression]) => `${quote(column)} = ${expression}`)
        .join(', ')}`
    : 'do nothing';
  const returning = spec.returning ? ` returning ${spec.returning.map(quote).join(', ')}` : '';
  return `on conflict (${spec.key.map(quote).join(', ')}) ${update}${returning}`;
}

function valuesSql(spec: BulkInsert, rowCount: number, adapter: DialectAdapter): string {
  return cached(`${adapter.name}|${rowCount}|${specKey(spec)}`, () => {
    let parameter = 0;
    const tuple = () => `(${spec.columns.map(() => adapter.placeholder(++parameter)).join(',')})`;
    const tuples = Array.from({ length: rowCount }, tuple).join(',');
    return `insert into ${quote(spec.table)} (${spec.columns.map(quote).join(', ')}) values ${tuples} ${conflictClause(spec)}`;
  });
}

/**
 * PostgreSQL: the insert of `spec` reading its rows from the JSON array in parameter `$n` (as
 * `compactRowsJson` writes them: `project_id` comes from parameter `$1`). In a chain it first
 * reads the whole of the CTE `after` (which so runs to completion before this inserts a row) and
 * returns a row per row written, for the next one to wait on.
 */
export function jsonInsertSql(spec: BulkInsert, parameter: number, chain?: { after?: string }): string {
  return cached(`json|${parameter}|${chain ? `chain:${chain.after ?? ''}` : ''}|${specKey(spec)}`, () => {
    const columns = spec.columns.map(quote).join(', ');
    const values = spec.columns.map((column) => (column === 'project_id' ? '$1' : quote(column))).join(', ');
    const guard = chain?.after === undefined ? '' : ` where (select count(*) from ${chain.after}) >= 0`;
    const returning = chain && !spec.returning ? ' returning 1' : '';
    return `insert into ${quote(spec.table)} (${columns}) select ${values} from json_populate_recordset(null::${quote(spec.table)}, $${parameter}::json)${guard} ${conflictClause(spec)}${returning}`;
  });
}

/**
 * The rows of `spec` as the JSON `jsonInsertSql` reads: its columns only, without `project_id`
 * (bound once) and without null values (a missing key reads as null). Steps are mostly nulls;
 * this halves what a batch sends.
 */
export function compactRowsJson(spec: BulkInsert): string {
  const rows: Array<Record<string, unknown>> = [];
  for (const row of spec.rows) {
    const compact: Record<string, unknown> = {};
    for (const column of spec.columns) {
      const value = row[column];
      if (value !== null && value !== undefined && column !== 'project_id') compact[column] = value;
    }
    rows.push(compact);
  }
  return JSON.stringify(rows);
}

/** Runs the insert (in as many statements as SQLite's parameter limit needs); returns `returning` rows. */
export async function bulkInsert<R = Record<string, unknown>>(
  db: Kysely<Database>,
  adapter: DialectAdapter,
  spec: BulkInsert,
): Promise<R[]> {
  if (spec.rows.length === 0) return [];
  const out: R[] = [];
  const perStatement = Math.max(1, Math.floor(adapter.maxParameters / spec.columns.length));
  for (let start = 0; start < spec.rows.length; start += perStatement) {
    const rows = spec.rows.slice(start, start + perStatement);
    const parameters: unknown[] = [];
    for (const row of rows) for (const column of spec.columns) parameters.push(row[column] ?? null);
    const result = await db.executeQuery<R>(
      CompiledQuery.raw(valuesSql(spec, rows.length, adapter), parameters),
    );
    out.push(...result.rows);
  }
  return out;
}

/** Runs inserts one after the other; returns the `returning` rows of the last one. */
export async function insertAll<R = Record<string, unknown>>(
  db: Kysely<Database>,
  adapter: DialectAdapter,
  specs: BulkInsert[],
): Promise<R[]> {
  const present = specs.filter((spec) => spec.rows.length > 0);
  const last = present.at(-1);
  if (!last) return [];
  for (const spec of present.slice(0, -1)) await bulkInsert(db, adapter, spec);
  return bulkInsert<R>(db, adapter, last);
}

/** `<table>.<column> + excluded.<column>` for each counter: upserts that add. */
export function addition(table: string, columns: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    columns.map((column) => [column, `${quote(table)}.${quote(column)} + excluded.${quote(column)}`]),
  );
}
