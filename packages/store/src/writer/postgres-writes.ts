/**
 * PostgreSQL: the second half of an append in one statement, one round trip. Conversations and
 * steps are merged, customer activity recorded, and the distinct-customer counts of the hourly
 * and daily rollups derived from the activity rows that were new, all in the database; then the
 * other rollups and the customer totals are added. Parts are chained (each waits on the previous
 * one), so every writer locks rows table by table in this order, and within a table in key order.
 */
import { CompiledQuery, type Transaction } from 'kysely';
import { PREPARED_STATEMENT } from '../dialect.ts';
import type { Database } from '../schema.ts';
import { ROLLUP_COUNTERS } from './batch-plan.ts';
import { type BulkInsert, compactRowsJson, jsonInsertSql } from './bulk-insert.ts';

export interface PlanWrites {
  projectId: string;
  /** Conversation and step upserts: first, before any shared row is locked. */
  merges: BulkInsert[];
  /** The customer activity insert (it must return environment, granularity and bucket). */
  activity: BulkInsert;
  /** Hourly rollup rows without their `customers` count (environment, bucket and counters). */
  hourly: Array<Record<string, unknown>>;
  /** Upserts after the distinct-customer counts. */
  rest: BulkInsert[];
}

const statements = new Map<string, string>();

/** Runs the writes (see the file comment). */
export async function writePlanAtOnce(trx: Transaction<Database>, writes: PlanWrites): Promise<void> {
  const merges = writes.merges.filter((spec) => spec.rows.length > 0);
  const rest = writes.rest.filter((spec) => spec.rows.length > 0);
  const shape = [...merges, writes.activity, ...rest]
    .map((spec) => `${spec.table}:${spec.columns.join(',')}`)
    .join('|');
  let text = statements.get(shape);
  if (!text) {
    text = buildStatement(merges, writes.activity, rest);
    if (statements.size > 200) statements.clear();
    statements.set(shape, text);
  }
  const parameters = [
    writes.projectId,
    ...merges.map(compactRowsJson),
    compactRowsJson(writes.activity),
    JSON.stringify(writes.hourly),
    ...rest.map(compactRowsJson),
  ];
  await trx.executeQuery(CompiledQuery.raw(text, parameters));
}

function buildStatement(merges: BulkInsert[], activity: BulkInsert, rest: BulkInsert[]): string {
  const parts: string[] = [];
  let parameter = 1; // $1 is the project id
  let previous: string | undefined;
  const chain = (name: string, sql: string) => {
    parts.push(`${name} as (${sql})`);
    previous = name;
  };
  for (const [i, spec] of merges.entries())
    chain(`m${i}`, jsonInsertSql(spec, ++parameter, previous ? { after: previous } : {}));
  chain('act', jsonInsertSql(activity, ++parameter, previous ? { after: previous } : {}));
  chain('hourly', hourlySql(++parameter));
  chain('daily', dailySql('hourly'));
  let last = 'daily';
  for (const [i, spec] of rest.entries()) {
    chain(`r${i}`, jsonInsertSql(spec, ++parameter, { after: last }));
    last = `r${i}`;
  }
  return `${PREPARED_STATEMENT}with ${parts.join(', ')} select count(*) from ${last}`;
}

/** Hourly rollups: the batch's counters, plus one customer per new hourly activity row. */
function hourlySql(parameter: number): string {
  const counters = ROLLUP_COUNTERS.map((c) => `"${c}"`);
  const set = [...counters, '"customers"'].map((c) => `${c} = "rollup_hourly".${c} + excluded.${c}`);
  return `insert into rollup_hourly (project_id, environment, bucket, ${counters.join(', ')}, customers)
    select $1, coalesce(r.environment, a.environment), coalesce(r.bucket, a.bucket),
      ${counters.map((c) => `coalesce(r.${c}, 0)`).join(', ')}, coalesce(a.n, 0)
    from json_populate_recordset(null::rollup_hourly, $${parameter}::json) r
    full join (select environment, bucket, count(*) as n from act where granularity = 'h' group by environment, bucket) a
      on a.environment = r.environment and a.bucket = r.bucket
    order by 2, 3
    on conflict (project_id, environment, bucket) do update set ${set.join(', ')}
    returning 1`;
}

/** Daily distinct customers: one per new daily activity row. */
function dailySql(after: string): string {
  return `insert into daily_customers (project_id, environment, bucket, customers)
    select $1, environment, bucket, count(*) from act
    where granularity = 'd' and (select count(*) from ${after}) >= 0
    group by environment, bucket order by environment, bucket
    on conflict (project_id, environment, bucket) do update set customers = daily_customers.customers + excluded.customers
    returning 1`;
}
