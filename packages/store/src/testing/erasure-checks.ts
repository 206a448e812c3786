/**
 * What the erasure cases of the store suite look at, in SQL beside the store: every rollup table of a
 * project (to compare with a project that never had the erased data), a digest of every other
 * conversation's rows (to show they did not change by a byte), and, table by table, the rows left of
 * what was erased.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../store.ts';

/** Runs a statement beside the store and returns its rows. */
export type QueryRows = (statement: string) => Promise<Array<Record<string, unknown>>>;

/** A SQL string literal. */
export const lit = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** Rollup tables and their key columns (rows are compared in key order). */
const ROLLUP_TABLES: Record<string, string> = {
  rollup_hourly: 'environment, bucket',
  daily_customers: 'environment, bucket',
  tool_hourly: 'environment, bucket, name',
  model_hourly: 'environment, bucket, model, provider',
  latency_hourly: 'environment, metric, key, bin, bucket',
  latency_daily: 'environment, metric, key, bin, bucket',
  customer_activity: 'environment, granularity, bucket, customer_id',
  customer_daily: 'day, customer_id',
  customers: 'customer_id',
  version_hourly: 'bucket, environment, agent_version',
  feedback_hourly: 'bucket, environment, source, sentiment',
  score_hourly: 'bucket, environment, name, data_type, source, agent_version, category',
  score_customers: 'customer_id, name, data_type, source, category',
};

/** Rounds floats (costs summed in another order differ in the last bits). */
export function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 1e9) / 1e9;
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rounded(item)]));
  return value;
}

/** Every rollup row of a project, without the project id, in key order. */
export async function rollupTables(query: QueryRows, projectId: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [table, key] of Object.entries(ROLLUP_TABLES)) {
    const rows = await query(`select * from ${table} where project_id = ${lit(projectId)} order by ${key}`);
    out[table] = rounded(rows.map(({ project_id: _, ...row }) => row));
  }
  return out;
}

/** The key order of each conversation table. */
const CONVERSATION_TABLES: Record<string, { key: string; conversation: string }> = {
  conversations: { key: 'id', conversation: 'id' },
  messages: { key: 'conversation_id, id', conversation: 'conversation_id' },
  steps: { key: 'conversation_id, id', conversation: 'conversation_id' },
  feedback: { key: 'conversation_id, id', conversation: 'conversation_id' },
  scores: { key: 'conversation_id, id', conversation: 'conversation_id' },
};

/**
 * A SHA-256 of every row (every column, as the driver reads it) of the project's conversations,
 * messages, steps and feedback, in key order, leaving out the conversations `skip` names.
 */
export async function conversationDigest(
  query: QueryRows,
  options: { projectId: string; skip: (conversationId: string) => boolean },
): Promise<{ digest: string; rows: number }> {
  const hash = createHash('sha256');
  let rows = 0;
  for (const [table, { key, conversation }] of Object.entries(CONVERSATION_TABLES)) {
    const read = await query(
      `select * from ${table} where project_id = ${lit(options.projectId)} order by ${key}`,
    );
    for (const row of read) {
      if (options.skip(String(row[conversation]))) continue;
      hash.update(
        `${table}\u0000${JSON.stringify(row, (_, value) => (typeof value === 'bigint' ? `${value}n` : value))}\n`,
      );
      rows += 1;
    }
  }
  return { digest: hash.digest('hex'), rows };
}

/** What an erasure must leave nothing of: the conversations with ids starting with `prefix`, and a customer. */
export interface ErasedTarget {
  projectId: string;
  /** Every erased conversation's id starts with it (and no other's does). */
  prefix: string;
  customerId?: string;
  /** A word only the erased messages contain. */
  marker: string;
}

/** Rows of the erased data left in each table (all zero after an erasure). */
export async function rowsLeft(
  store: Store,
  query: QueryRows,
  target: ErasedTarget,
): Promise<Record<string, number>> {
  const project = `project_id = ${lit(target.projectId)}`;
  const like = `like ${lit(`${target.prefix}%`)}`;
  const customer = target.customerId === undefined ? 'null' : lit(target.customerId);
  const count = async (where: string, table: string) =>
    Number((await query(`select count(*) as n from ${table} where ${where}`))[0]?.n ?? 0);
  const left: Record<string, number> = {
    conversations: await count(`${project} and (id ${like} or customer_id = ${customer})`, 'conversations'),
    messages: await count(`${project} and conversation_id ${like}`, 'messages'),
    steps: await count(`${project} and conversation_id ${like}`, 'steps'),
    feedback: await count(`${project} and conversation_id ${like}`, 'feedback'),
    scores: await count(`${project} and conversation_id ${like}`, 'scores'),
    conversationAliases: await count(`${project} and conversation_id ${like}`, 'conversation_aliases'),
    ingestRejections: await count(
      `${project} and (sample like ${lit(`%"${target.prefix}%`)} or sample like ${lit(`%${JSON.stringify(target.customerId ?? '\u0001')}%`)})`,
      'ingest_rejections',
    ),
    customers: await count(`${project} and customer_id = ${customer}`, 'customers'),
    customerDays: await count(`${project} and customer_id = ${customer}`, 'customer_daily'),
    customerActivity: await count(`${project} and customer_id = ${customer}`, 'customer_activity'),
    markedContent: await count(`${project} and content like ${lit(`%${target.marker}%`)}`, 'messages'),
  };
  // The search index's own copy of the words: entries of the project's messages or of none (stale).
  if (store.dialect === 'sqlite')
    left.searchIndex = await count(
      `message_search match ${lit(target.marker)} and rowid not in (select rowid from messages where not (${project}))`,
      'message_search',
    );
  return left;
}
