/**
 * What stored rows counted in the rollups when they were appended, so that it can be taken back out:
 * a merge takes out the conversation it removes and the copies it drops, and deleting a conversation
 * would take out the conversation and all of its rows. Counted as the append's planner counts
 * (batch-plan.ts): a conversation at its start, a message at its time, a finished step at its start,
 * feedback by sentiment, each in its conversation's environment and for its customer.
 *
 * What cannot be taken back exactly stays: which customers were active in which hour (distinct
 * customer counts) and response latency samples (they depend on the order messages arrived in).
 */
import { type Kysely, sql } from 'kysely';
import { dayBucket, hourBucket } from '../buckets.ts';
import { latencyBin } from '../histogram.ts';
import type { Database, FeedbackTable, MessagesTable, StepsTable } from '../schema.ts';
import { ROLLUP_COUNTERS, TOOL_STEP_TYPES } from './batch-plan.ts';
import { Increments } from './increments.ts';

/** Where a conversation's rows were counted: its environment and customer (if it counted one). */
export interface RollupOwner {
  environment: string;
  customerId: string | null;
}

type RollupCounter = (typeof ROLLUP_COUNTERS)[number];
const USAGE_COUNTERS = [
  'conversations',
  'messages',
  'tool_calls',
  'errors',
  'input_tokens',
  'output_tokens',
  'cost_usd',
] as const;
type UsageCounter = (typeof USAGE_COUNTERS)[number];
type EnvBucket = { environment: string; bucket: number };
type LatencyKey = EnvBucket & { metric: string; key: string; bin: number };

/** The rollup counts of some stored rows, summed per rollup row. */
export class RollupFootprint {
  readonly rollups = new Increments<EnvBucket, RollupCounter>(ROLLUP_COUNTERS);
  readonly tools = new Increments<EnvBucket & { name: string }, 'calls' | 'errors'>(['calls', 'errors']);
  readonly models = new Increments<
    EnvBucket & { model: string; provider: string },
    'calls' | 'input_tokens' | 'output_tokens' | 'cost_usd'
  >(['calls', 'input_tokens', 'output_tokens', 'cost_usd']);
  readonly latency = new Increments<LatencyKey, 'count'>(['count']);
  readonly latencyDaily = new Increments<LatencyKey, 'count'>(['count']);
  readonly customerDaily = new Increments<{ day: number; customer_id: string }, UsageCounter>(USAGE_COUNTERS);
  readonly customers = new Increments<{ customer_id: string }, UsageCounter>(USAGE_COUNTERS);
  /** Sums of the rollup counters over every row: what the conversation's own counters hold of these rows. */
  readonly totals: Record<RollupCounter, number> = Object.fromEntries(
    ROLLUP_COUNTERS.map((counter) => [counter, 0]),
  ) as Record<RollupCounter, number>;

  /** The conversation itself, counted in the hour it started. */
  conversation(owner: RollupOwner, startedAt: number): void {
    this.#add(owner, startedAt, { conversations: 1 }, { conversations: 1 });
  }

  /** A message, counted at its time. */
  message(owner: RollupOwner, row: Pick<MessagesTable, 'role' | 'timestamp'>): void {
    const at = Number(row.timestamp);
    const role = {
      human_messages: row.role === 'human' ? 1 : 0,
      agent_messages: row.role === 'agent' ? 1 : 0,
    };
    this.#add(owner, at, { messages: 1, ...role }, { messages: 1 });
  }

  /** Feedback, counted by sentiment (feedback without one counted nothing). */
  feedback(owner: RollupOwner, row: Pick<FeedbackTable, 'sentiment' | 'timestamp'>): void {
    if (row.sentiment) this.#add(owner, Number(row.timestamp), { [`fb_${row.sentiment}`]: 1 }, {});
  }

  /** A step: counted once it finished (an open step counted nothing). */
  step(owner: RollupOwner, row: StepsTable): void {
    if (Number(row.finished) !== 1) return;
    const at = Number(row.started_at);
    const bucket = { environment: owner.environment, bucket: hourBucket(at) };
    const failed = row.error !== null ? 1 : 0;
    this.#add(owner, at, { errors: failed }, { errors: failed });
    if (TOOL_STEP_TYPES.has(row.type)) {
      this.#add(owner, at, { tool_calls: 1, tool_errors: failed }, { tool_calls: 1 });
      this.tools.add({ ...bucket, name: row.name }, { calls: 1, errors: failed });
      if (row.duration_ms !== null) this.#latency(owner, at, { key: row.name, ms: Number(row.duration_ms) });
    }
    if (row.model === null) return;
    const usage = {
      input_tokens: Number(row.input_tokens ?? 0),
      output_tokens: Number(row.output_tokens ?? 0),
      cost_usd: Number(row.cost_usd ?? 0),
    };
    this.#add(owner, at, { llm_calls: 1, ...usage }, usage);
    this.models.add({ ...bucket, model: row.model, provider: row.provider ?? '' }, { calls: 1, ...usage });
  }

  #add(
    owner: RollupOwner,
    at: number,
    counts: Partial<Record<RollupCounter, number>>,
    usage: Partial<Record<UsageCounter, number>>,
  ): void {
    this.rollups.add({ environment: owner.environment, bucket: hourBucket(at) }, counts);
    for (const counter in counts)
      this.totals[counter as RollupCounter] += counts[counter as RollupCounter] ?? 0;
    if (owner.customerId === null || Object.keys(usage).length === 0) return;
    this.customerDaily.add({ day: dayBucket(at), customer_id: owner.customerId }, usage);
    this.customers.add({ customer_id: owner.customerId }, usage);
  }

  #latency(owner: RollupOwner, at: number, sample: { key: string; ms: number }): void {
    const key = {
      environment: owner.environment,
      metric: 'tool',
      key: sample.key,
      bin: latencyBin(sample.ms),
    };
    this.latency.add({ ...key, bucket: hourBucket(at) }, { count: 1 });
    this.latencyDaily.add({ ...key, bucket: dayBucket(at) }, { count: 1 });
  }
}

interface CounterTable {
  table: keyof Database;
  rows: Array<Record<string, string | number>>;
  counters: readonly string[];
}

/**
 * Takes a footprint out of the project's rollups: one UPDATE per rollup row it touches (rows are
 * never created), table by table in the order appends write them and within a table in key order,
 * so it cannot deadlock with an append.
 */
export async function subtractFootprint(
  db: Kysely<Database>,
  projectId: string,
  footprint: RollupFootprint,
): Promise<void> {
  const tables: CounterTable[] = [
    { table: 'rollup_hourly', rows: footprint.rollups.rows(), counters: ROLLUP_COUNTERS },
    { table: 'tool_hourly', rows: footprint.tools.rows(), counters: ['calls', 'errors'] },
    {
      table: 'model_hourly',
      rows: footprint.models.rows(),
      counters: ['calls', 'input_tokens', 'output_tokens', 'cost_usd'],
    },
    { table: 'latency_hourly', rows: footprint.latency.rows(), counters: ['count'] },
    { table: 'latency_daily', rows: footprint.latencyDaily.rows(), counters: ['count'] },
    { table: 'customer_daily', rows: footprint.customerDaily.rows(), counters: USAGE_COUNTERS },
    { table: 'customers', rows: footprint.customers.rows(), counters: USAGE_COUNTERS },
  ];
  for (const { table, rows, counters } of tables)
    for (const row of rows) await subtractRow(db, { projectId, table, row, counters });
}

async function subtractRow(
  db: Kysely<Database>,
  options: {
    projectId: string;
    table: string;
    row: Record<string, string | number>;
    counters: readonly string[];
  },
): Promise<void> {
  const { row, counters } = options;
  const changed = counters.filter((counter) => Number(row[counter] ?? 0) !== 0);
  if (changed.length === 0) return;
  const set = changed.map((counter) => sql`${sql.ref(counter)} = ${sql.ref(counter)} - ${row[counter]}`);
  const keys = Object.keys(row).filter((column) => !counters.includes(column));
  const where = keys.map((column) => sql`${sql.ref(column)} = ${row[column]}`);
  await sql`update ${sql.table(options.table)} set ${sql.join(set)}
    where project_id = ${options.projectId} and ${sql.join(where, sql` and `)}`.execute(db);
}
