/**
 * Multi-row INSERT … ON CONFLICT statements built as SQL text and run through Kysely's executor.
 * The write path inserts hundreds of rows per statement; building those with Kysely's query
 * builder cost ~30 µs per event (object trees, compilation), more than the database work, so the
 * hot path writes its few fixed statement shapes here and caches their text.
 *
 * SQLite binds one parameter per value (`values (?, ?), (?, ?)`). PostgreSQL gets the rows as one
 * JSON parameter (`select … from json_populate_recordset(null::<table>, $1)`): a 500-row batch of
 * 22-column steps was 11,000 parameters to serialize, parse and plan; as JSON it is one, its text
 * is the same for every batch size (so it is planned alike), and the column types come from the
 * table itself. Several PostgreSQL inserts can also share one statement (`insertAll`).
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { type DialectAdapter, PREPARED_STATEMENT } from '../dialect.ts';
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
 * PostgreSQL: the insert of `spec` reading its rows from the JSON array in parameter `$n`. In a
 * chain it first reads the whole of the CTE `after` (which so runs to completion before this
 * inserts a row) and returns a row per row written, for the next one to wait on.
 */
export function jsonInsertSql(spec: BulkInsert, parameter: number, chain?: { after?: string }): string {
  return cached(`json|${parameter}|${chain ? `chain:${chain.after ?? ''}` : ''}|${specKey(spec)}`, () => {
    const columns = spec.columns.map(quote).join(', ');
    const guard = chain?.after === undefined ? '' : ` where (select count(*) from ${chain.after}) >= 0`;
    const returning = chain && !spec.returning ? ' returning 1' : '';
    return `insert into ${quote(spec.table)} (${columns}) select ${columns} from json_populate_recordset(null::${quote(spec.table)}, $${parameter}::json)${guard} ${conflictClause(spec)}${returning}`;
  });
}

/**
 * The rows of `spec` as the JSON text `jsonInsertSql` reads (undefined is null). Keys that are not
 * among its columns are ignored there, so they are not filtered out here: a replacer list would
 * take JSON.stringify off its fast path.
 */
export function rowsJson(spec: BulkInsert): string {
  return JSON.stringify(spec.rows);
}

/** Runs the insert (in as many statements as SQLite's parameter limit needs); returns `returning` rows. */
export async function bulkInsert<R = Record<string, unknown>>(
  db: Kysely<Database>,
  adapter: DialectAdapter,
  spec: BulkInsert,
): Promise<R[]> {
  if (spec.rows.length === 0) return [];
  if (adapter.name === 'postgres') {
    const result = await db.executeQuery<R>(
      CompiledQuery.raw(
        cached(`prepared|${specKey(spec)}`, () => `${PREPARED_STATEMENT}${jsonInsertSql(spec, 1)}`),
        [rowsJson(spec)],
      ),
    );
    return result.rows;
  }
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

/**
 * Runs inserts in order; returns the `returning` rows of the last (only the last may return rows).
 * SQLite runs them one after the other. PostgreSQL runs them as one statement, one round trip:
 * `with w0 as (insert …), w1 as (insert … where (select count(*) from w0) >= 0 …) select … from w1`.
 * Sub-statements of a WITH run in an unspecified order; each waiting on the previous one keeps
 * the order given, so writers that lock the same rows lock them table by table in the same order.
 */
export async function insertAll<R = Record<string, unknown>>(
  db: Kysely<Database>,
  adapter: DialectAdapter,
  specs: BulkInsert[],
): Promise<R[]> {
  const present = specs.filter((spec) => spec.rows.length > 0);
  const last = present.at(-1);
  if (!last) return [];
  if (adapter.name !== 'postgres' || present.length === 1) {
    for (const spec of present.slice(0, -1)) await bulkInsert(db, adapter, spec);
    return bulkInsert<R>(db, adapter, last);
  }
  const parts = present.map(
    (spec, i) => `w${i} as (${jsonInsertSql(spec, i + 1, i === 0 ? {} : { after: `w${i - 1}` })})`,
  );
  const final = `w${present.length - 1}`;
  const select = last.returning ? `select * from ${final}` : `select count(*) from ${final}`;
  const result = await db.executeQuery<R>(
    CompiledQuery.raw(
      cached(
        `${PREPARED_STATEMENT}${parts.join()}`,
        () => `${PREPARED_STATEMENT}with ${parts.join(', ')} ${select}`,
      ),
      present.map(rowsJson),
    ),
  );
  return last.returning ? result.rows : [];
}

/** `<table>.<column> + excluded.<column>` for each counter: upserts that add. */
export function addition(table: string, columns: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    columns.map((column) => [column, `${quote(table)}.${quote(column)} + excluded.${quote(column)}`]),
  );
}
