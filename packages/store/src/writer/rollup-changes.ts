/**
 * Adds footprints to the rollups or takes them out (rollup-footprint.ts): a merge takes out what the
 * conversation it removes counted twice, and moves what it counted in another environment; deleting a
 * conversation would take out all it counted. Changes are summed per rollup row, then written table
 * by table in the order appends write them and within a table in key order (as appends do), so they
 * cannot deadlock with an append: one upsert per table, adding (a negative count subtracts; a row left
 * empty is deleted, so a tool or model no longer counted is not listed with zero calls). A
 * customer's all-time totals are updated, never created (a customer counted once has its row); their
 * first / last seen only widen.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DialectAdapter, DialectName } from '../dialect.ts';
import type { Database } from '../schema.ts';
import { ROLLUP_COUNTERS } from './batch-plan.ts';
import { addition, bulkInsert } from './bulk-insert.ts';
import { type RollupFootprint, USAGE_COUNTERS } from './rollup-footprint.ts';
import { VERSION_COUNTERS } from './version-counts.ts';

/** A footprint to add to the rollups (1) or take out of them (-1). */
export interface RollupChange {
  footprint: RollupFootprint;
  sign: 1 | -1;
}

type Row = Record<string, string | number>;

interface CounterTable {
  table: keyof Database;
  /** Key columns besides project_id, in the order the footprint's rows sort by. */
  key: readonly string[];
  counters: readonly string[];
  rowsOf(footprint: RollupFootprint): Row[];
  /** The counters whose being zero makes a row empty (default: all of them). */
  emptyWhen?: readonly string[];
}

const BASE = ['environment', 'bucket'];
const LATENCY_KEY = ['environment', 'metric', 'key', 'bin', 'bucket'];

/** In the order appends write them. */
const TABLES: CounterTable[] = [
  {
    table: 'rollup_hourly',
    key: BASE,
    counters: [...ROLLUP_COUNTERS, 'customers'],
    rowsOf: (f) => [...f.rollups.rows(), ...f.hourlyCustomers.rows()],
  },
  { table: 'daily_customers', key: BASE, counters: ['customers'], rowsOf: (f) => f.dailyCustomers.rows() },
  {
    table: 'tool_hourly',
    key: [...BASE, 'name'],
    counters: ['calls', 'errors'],
    rowsOf: (f) => f.tools.rows(),
  },
  {
    table: 'model_hourly',
    key: [...BASE, 'model', 'provider'],
    counters: ['calls', 'input_tokens', 'output_tokens', 'cost_usd'],
    rowsOf: (f) => f.models.rows(),
  },
  { table: 'latency_hourly', key: LATENCY_KEY, counters: ['count'], rowsOf: (f) => f.latency.rows() },
  { table: 'latency_daily', key: LATENCY_KEY, counters: ['count'], rowsOf: (f) => f.latencyDaily.rows() },
  {
    table: 'version_hourly',
    key: [...BASE, 'agent_version'],
    counters: VERSION_COUNTERS,
    rowsOf: (f) => f.versions.rows(),
  },
  {
    table: 'feedback_hourly',
    key: [...BASE, 'source', 'sentiment'],
    counters: ['count'],
    rowsOf: (f) => f.feedbackBySource.rows(),
  },
  {
    table: 'customer_daily',
    key: ['day', 'customer_id'],
    counters: USAGE_COUNTERS,
    rowsOf: (f) => f.customerDaily.rows(),
  },
];

/** Score rollups: written after the customer totals, as appends write them (score-writes.ts). */
const SCORE_TABLES: CounterTable[] = [
  {
    table: 'score_hourly',
    key: ['bucket', 'environment', 'name', 'data_type', 'source', 'agent_version', 'category'],
    counters: ['count', 'value_sum'],
    rowsOf: (f) => f.scores.rows(),
    emptyWhen: ['count'],
  },
  {
    table: 'score_customers',
    key: ['customer_id', 'name', 'data_type', 'source', 'category'],
    counters: ['count', 'value_sum'],
    rowsOf: (f) => f.scoreCustomers.rows(),
    emptyWhen: ['count'],
  },
];

const CUSTOMERS: CounterTable = {
  table: 'customers',
  key: ['customer_id'],
  counters: USAGE_COUNTERS,
  rowsOf: (f) => f.customers.rows(),
};

/** Applies the changes to the project's rollups (see the file comment). */
export async function applyRollupChanges(
  ctx: { db: Kysely<Database>; adapter: DialectAdapter },
  projectId: string,
  changes: RollupChange[],
): Promise<void> {
  for (const spec of TABLES) await applyToTable(ctx, { projectId, spec, changes });
  await applyToCustomers(ctx.db, projectId, changes);
  for (const spec of SCORE_TABLES) await applyToTable(ctx, { projectId, spec, changes });
}

/** Adds the changes' rows of one counter table (subtracting where signed so), dropping rows left empty. */
async function applyToTable(
  ctx: { db: Kysely<Database>; adapter: DialectAdapter },
  options: { projectId: string; spec: CounterTable; changes: RollupChange[] },
): Promise<void> {
  const { projectId, spec } = options;
  const rows: Row[] = summed(spec, options.changes).map((row) => ({ project_id: projectId, ...row }));
  if (rows.length === 0) return;
  await bulkInsert(ctx.db, ctx.adapter, {
    table: spec.table,
    columns: ['project_id', ...spec.key, ...spec.counters],
    rows,
    key: ['project_id', ...spec.key],
    update: addition(spec.table, spec.counters),
  });
  const lowered = rows.filter((row) => spec.counters.some((counter) => Number(row[counter]) < 0));
  await dropIfEmpty(ctx.db, { projectId, spec, rows: lowered, dialect: ctx.adapter.name });
}

/** Updates the customers' all-time totals and widens their first / last seen. */
async function applyToCustomers(
  db: Kysely<Database>,
  projectId: string,
  changes: RollupChange[],
): Promise<void> {
  const seen = seenRanges(changes);
  const customers = summed(CUSTOMERS, changes);
  for (const [customerId] of seen)
    if (!customers.some((row) => row.customer_id === customerId)) customers.push({ customer_id: customerId });
  customers.sort((a, b) => (String(a.customer_id) < String(b.customer_id) ? -1 : 1));
  for (const row of customers)
    await updateCustomer(db, { projectId, row, seen: seen.get(String(row.customer_id)) });
}

/** The rows of every change to one table, signed and summed per key, in key order, without empty ones. */
function summed(spec: CounterTable, changes: RollupChange[]): Row[] {
  const byKey = new Map<string, Row>();
  for (const { footprint, sign } of changes) {
    for (const row of spec.rowsOf(footprint)) {
      const id = spec.key.map((column) => `${row[column]}\u0000`).join('');
      const sum = byKey.get(id) ?? Object.fromEntries(spec.key.map((column) => [column, row[column] ?? '']));
      for (const counter of spec.counters)
        sum[counter] = Number(sum[counter] ?? 0) + sign * Number(row[counter] ?? 0);
      byKey.set(id, sum);
    }
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row)
    .filter((row) => spec.counters.some((counter) => row[counter] !== 0));
}

/** Rows a statement checks for emptiness (a condition on their keys each). */
const DROP_CHUNK = 200;

/**
 * Deletes the rollup rows a subtraction emptied (a tool or model with no calls would still be listed),
 * of `rows` (those it lowered), a chunk of them per statement.
 */
async function dropIfEmpty(
  db: Kysely<Database>,
  options: { projectId: string; spec: CounterTable; rows: Row[]; dialect: DialectName },
): Promise<void> {
  const { spec } = options;
  const empty = (spec.emptyWhen ?? spec.counters).map((counter) =>
    counter === 'cost_usd' ? sql`abs(cost_usd) < 1e-9` : sql`${sql.ref(counter)} = 0`,
  );
  for (let start = 0; start < options.rows.length; start += DROP_CHUNK) {
    const chunk = options.rows.slice(start, start + DROP_CHUNK);
    await sql`delete from ${sql.table(spec.table)} where project_id = ${options.projectId}
      and ${keysMatch(options.dialect, spec.key, chunk)} and ${sql.join(empty, sql` and `)}`.execute(db);
  }
}

/**
 * A condition: the row's key is one of `rows`' keys. PostgreSQL: an OR of key equalities (a bitmap OR of
 * index lookups). SQLite plans such an OR as a scan of the project's rows (5 s for 200 keys among 200,000
 * rows), but a row value IN a VALUES list as one index lookup per key (4 ms).
 */
function keysMatch(dialect: DialectName, key: readonly string[], rows: Row[]): RawBuilder<unknown> {
  if (dialect === 'sqlite') {
    const values = rows.map((row) => sql`(${sql.join(key.map((column) => row[column]))})`);
    return sql`(${sql.join(key.map((column) => sql.ref(column)))}) in (values ${sql.join(values)})`;
  }
  const terms = rows.map(
    (row) =>
      sql`(${sql.join(
        key.map((column) => sql`${sql.ref(column)} = ${row[column]}`),
        sql` and `,
      )})`,
  );
  return sql`(${sql.join(terms, sql` or `)})`;
}

type Seen = { first: number; last: number };

/** The widest seen range of each customer over the changes that add. */
function seenRanges(changes: RollupChange[]): Map<string, Seen> {
  const out = new Map<string, Seen>();
  for (const { footprint, sign } of changes) {
    if (sign < 0) continue;
    for (const [customerId, range] of footprint.seen) {
      const known = out.get(customerId);
      out.set(
        customerId,
        known ? { first: Math.min(known.first, range.first), last: Math.max(known.last, range.last) } : range,
      );
    }
  }
  return out;
}

async function updateCustomer(
  db: Kysely<Database>,
  options: { projectId: string; row: Row; seen: Seen | undefined },
): Promise<void> {
  const { row, seen } = options;
  const set = USAGE_COUNTERS.filter((counter) => Number(row[counter] ?? 0) !== 0).map(
    (counter) => sql`${sql.ref(counter)} = ${sql.ref(counter)} + ${row[counter]}`,
  );
  if (seen) {
    set.push(
      sql`first_seen_at = case when first_seen_at > ${seen.first} then ${seen.first} else first_seen_at end`,
    );
    set.push(
      sql`last_seen_at = case when last_seen_at < ${seen.last} then ${seen.last} else last_seen_at end`,
    );
  }
  if (set.length === 0) return;
  await sql`update customers set ${sql.join(set)}
    where project_id = ${options.projectId} and customer_id = ${row.customer_id}`.execute(db);
}
