/**
 * Appends one validated batch in one transaction: deduplicates by event id, inserts messages and
 * feedback, merges conversations and steps, and adds to the rollups. All of it or none of it.
 */
import type { ParsedEvent } from '@sightline/core';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DialectAdapter } from '../dialect.ts';
import type { PriceTable } from '../pricing.ts';
import type { Database, StepsTable } from '../schema.ts';
import { type BatchPlan, type ConversationState, planBatch } from './batch-plan.ts';
import { feedbackRow, messageRow } from './rows.ts';

export interface AppendContext {
  db: Kysely<Database>;
  adapter: DialectAdapter;
  prices: PriceTable;
}

export interface AppendOutcome {
  /** Event ids stored by this call (the rest of the batch were duplicates). */
  accepted: Set<string>;
  /** The accepted events, in timestamp order. */
  events: ParsedEvent[];
}

/** Stores a batch atomically and idempotently; returns which events were new. */
export async function appendBatch(
  ctx: AppendContext,
  projectId: string,
  events: ParsedEvent[],
): Promise<AppendOutcome> {
  if (events.length === 0) return { accepted: new Set(), events: [] };
  return ctx.db.transaction().execute(async (trx) => {
    const accepted = await insertEventIds(ctx, trx, projectId, events);
    const fresh = events.filter((event) => accepted.has(event.id)).sort((a, b) => a.timestamp - b.timestamp);
    if (fresh.length === 0) return { accepted, events: [] };
    const [conversations, steps] = await Promise.all([
      loadConversations(ctx, trx, projectId, fresh),
      loadSteps(ctx, trx, projectId, fresh),
    ]);
    const insertedMessageIds = await insertMessages(ctx, trx, projectId, fresh);
    const insertedFeedbackIds = await insertFeedback(ctx, trx, projectId, fresh);
    const plan = planBatch({
      projectId,
      events: fresh,
      conversations,
      steps,
      insertedMessageIds,
      insertedFeedbackIds,
      prices: ctx.prices,
    });
    await writePlan(ctx, trx, plan);
    return { accepted, events: fresh };
  });
}

type Trx = Transaction<Database>;

/** Splits rows into chunks that stay under the dialect's bind-parameter limit. */
function chunks<T>(rows: T[], columns: number, adapter: DialectAdapter): T[][] {
  const size = Math.max(1, Math.floor(adapter.maxParameters / Math.max(1, columns)));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

async function insertEventIds(
  ctx: AppendContext,
  trx: Trx,
  projectId: string,
  events: ParsedEvent[],
): Promise<Set<string>> {
  const receivedAt = Date.now();
  const accepted = new Set<string>();
  const rows = events.map((event) => ({ project_id: projectId, id: event.id, received_at: receivedAt }));
  for (const chunk of chunks(rows, 3, ctx.adapter)) {
    const inserted = await trx
      .insertInto('ingested_events')
      .values(chunk)
      .onConflict((oc) => oc.columns(['project_id', 'id']).doNothing())
      .returning('id')
      .execute();
    for (const row of inserted) accepted.add(row.id);
  }
  return accepted;
}

async function loadConversations(
  ctx: AppendContext,
  trx: Trx,
  projectId: string,
  events: ParsedEvent[],
): Promise<Map<string, ConversationState>> {
  const ids = [...new Set(events.map((event) => event.body.conversationId))].sort();
  const found = new Map<string, ConversationState>();
  for (const chunk of chunks(ids, 1, ctx.adapter)) {
    let query = trx
      .selectFrom('conversations')
      .select(['id', 'environment', 'customer_id', 'started_at', 'last_human_at', 'last_agent_at'])
      .where('project_id', '=', projectId)
      .where('id', 'in', chunk);
    if (ctx.adapter.lockRowsForMerge) query = query.forUpdate();
    for (const row of await query.execute()) found.set(row.id, row);
  }
  return found;
}

async function loadSteps(
  ctx: AppendContext,
  trx: Trx,
  projectId: string,
  events: ParsedEvent[],
): Promise<Map<string, StepsTable>> {
  const ids = [
    ...new Set(events.flatMap((event) => (event.type === 'step' ? [event.body.stepId] : []))),
  ].sort();
  const found = new Map<string, StepsTable>();
  for (const chunk of chunks(ids, 1, ctx.adapter)) {
    let query = trx
      .selectFrom('steps')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', 'in', chunk);
    if (ctx.adapter.lockRowsForMerge) query = query.forUpdate();
    for (const row of await query.execute()) found.set(row.id, row);
  }
  return found;
}

async function insertMessages(
  ctx: AppendContext,
  trx: Trx,
  projectId: string,
  events: ParsedEvent[],
): Promise<Set<string>> {
  const rows = events.flatMap((event) => (event.type === 'message' ? [messageRow(projectId, event)] : []));
  const inserted = new Set<string>();
  for (const chunk of chunks(rows, 8, ctx.adapter)) {
    const result = await trx
      .insertInto('messages')
      .values(chunk)
      .onConflict((oc) => oc.columns(['project_id', 'id']).doNothing())
      .returning('id')
      .execute();
    for (const row of result) inserted.add(row.id);
  }
  return inserted;
}

async function insertFeedback(
  ctx: AppendContext,
  trx: Trx,
  projectId: string,
  events: ParsedEvent[],
): Promise<Set<string>> {
  const rows = events.flatMap((event) => (event.type === 'feedback' ? [feedbackRow(projectId, event)] : []));
  const inserted = new Set<string>();
  for (const chunk of chunks(rows, 11, ctx.adapter)) {
    const result = await trx
      .insertInto('feedback')
      .values(chunk)
      .onConflict((oc) => oc.columns(['project_id', 'id']).doNothing())
      .returning('id')
      .execute();
    for (const row of result) inserted.add(row.id);
  }
  return inserted;
}

async function writePlan(ctx: AppendContext, trx: Trx, plan: BatchPlan): Promise<void> {
  await upsertConversations(ctx, trx, plan);
  await upsertSteps(ctx, trx, plan);
  await writeRollups(ctx, trx, plan);
  await writeCustomers(ctx, trx, plan);
}

const CONVERSATION_COUNTERS = [
  'message_count',
  'step_count',
  'tool_call_count',
  'llm_call_count',
  'error_count',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'fb_positive',
  'fb_neutral',
  'fb_negative',
] as const;

async function upsertConversations(ctx: AppendContext, trx: Trx, plan: BatchPlan): Promise<void> {
  const { adapter } = ctx;
  const ref = (column: string) => sql.ref(`conversations.${column}`);
  const excluded = (column: string) => sql.ref(`excluded.${column}`);
  for (const chunk of chunks(plan.conversations, 28, adapter)) {
    await trx
      .insertInto('conversations')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['project_id', 'id']).doUpdateSet(() => {
          const set: Record<string, unknown> = {
            customer_id: sql`coalesce(${excluded('customer_id')}, ${ref('customer_id')})`,
            name: sql`coalesce(${excluded('name')}, ${ref('name')})`,
            source: sql`coalesce(${excluded('source')}, ${ref('source')})`,
            device: sql`coalesce(${excluded('device')}, ${ref('device')})`,
            language: sql`coalesce(${excluded('language')}, ${ref('language')})`,
            metadata: adapter.jsonMerge(sql`${ref('metadata')}`, sql`${excluded('metadata')}`),
            tags: sql`case when ${excluded('tags')} = '[]' then ${ref('tags')} else ${excluded('tags')} end`,
            started_at: adapter.least(sql`${ref('started_at')}`, sql`${excluded('started_at')}`),
            last_activity_at: adapter.greatest(
              sql`${ref('last_activity_at')}`,
              sql`${excluded('last_activity_at')}`,
            ),
            ended_at: sql`coalesce(${excluded('ended_at')}, ${ref('ended_at')})`,
            first_message: sql`case when ${ref('first_message_at')} is null or ${excluded('first_message_at')} < ${ref('first_message_at')}
              then coalesce(${excluded('first_message')}, ${ref('first_message')}) else ${ref('first_message')} end`,
            first_message_at: adapter.least(
              sql`${ref('first_message_at')}`,
              sql`${excluded('first_message_at')}`,
            ),
            last_human_at: adapter.greatest(sql`${ref('last_human_at')}`, sql`${excluded('last_human_at')}`),
            last_agent_at: adapter.greatest(sql`${ref('last_agent_at')}`, sql`${excluded('last_agent_at')}`),
          };
          for (const counter of CONVERSATION_COUNTERS)
            set[counter] = sql`${ref(counter)} + ${excluded(counter)}`;
          return set;
        }),
      )
      .execute();
  }
}

const STEP_MERGED_COLUMNS = [
  'parent_id',
  'ended_at',
  'duration_ms',
  'input',
  'output',
  'error',
  'tools_used',
  'metadata',
  'model',
  'provider',
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'cost_usd',
  'ttft_ms',
] as const;

async function upsertSteps(ctx: AppendContext, trx: Trx, plan: BatchPlan): Promise<void> {
  for (const chunk of chunks(plan.steps, 22, ctx.adapter)) {
    await trx
      .insertInto('steps')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['project_id', 'id']).doUpdateSet(() => {
          const set: Record<string, unknown> = {
            type: sql`excluded.type`,
            name: sql`excluded.name`,
            started_at: sql`excluded.started_at`,
            finished: ctx.adapter.greatest(sql`steps.finished`, sql`excluded.finished`),
          };
          for (const column of STEP_MERGED_COLUMNS)
            set[column] = sql`coalesce(${sql.ref(`excluded.${column}`)}, ${sql.ref(`steps.${column}`)})`;
          return set;
        }),
      )
      .execute();
  }
}

type CounterTable =
  | 'rollup_hourly'
  | 'tool_hourly'
  | 'model_hourly'
  | 'latency_hourly'
  | 'customer_daily'
  | 'daily_customers';

/** Upserts rows whose numeric columns are added to what is stored. */
async function addCounters(
  ctx: AppendContext,
  trx: Trx,
  options: { table: CounterTable; key: string[]; rows: Array<Record<string, string | number>> },
): Promise<void> {
  const first = options.rows[0];
  if (!first) return;
  const counters = Object.keys(first).filter((column) => !options.key.includes(column));
  for (const chunk of chunks(options.rows, Object.keys(first).length, ctx.adapter)) {
    await trx
      .insertInto(options.table)
      // biome-ignore lint/suspicious/noExplicitAny: rows are typed by their table's key and counter columns
      .values(chunk as any)
      .onConflict((oc) =>
        oc.columns(options.key as never).doUpdateSet(() => {
          const set: Record<string, unknown> = {};
          for (const counter of counters) {
            set[counter] = sql`${sql.ref(`${options.table}.${counter}`)} + ${sql.ref(`excluded.${counter}`)}`;
          }
          return set as never;
        }),
      )
      .execute();
  }
}

async function writeRollups(ctx: AppendContext, trx: Trx, plan: BatchPlan): Promise<void> {
  const base = ['project_id', 'environment', 'bucket'];
  const projectId = plan.projectId;
  const withProject = <T extends object>(rows: T[]) => rows.map((row) => ({ project_id: projectId, ...row }));
  const newActivity = await insertActivity(ctx, trx, projectId, plan);
  for (const activity of newActivity) {
    if (activity.granularity === 'h')
      plan.rollups.add({ environment: activity.environment, bucket: activity.bucket }, {});
  }
  const hourlyCustomers = new Map<string, number>();
  const dailyCustomers = new Map<string, { environment: string; bucket: number; customers: number }>();
  for (const activity of newActivity) {
    const key = `${activity.environment}\u0000${activity.bucket}`;
    if (activity.granularity === 'h') hourlyCustomers.set(key, (hourlyCustomers.get(key) ?? 0) + 1);
    else {
      const row = dailyCustomers.get(key) ?? {
        environment: activity.environment,
        bucket: activity.bucket,
        customers: 0,
      };
      row.customers += 1;
      dailyCustomers.set(key, row);
    }
  }
  const rollups = plan.rollups.rows().map((row) => ({
    ...row,
    customers: hourlyCustomers.get(`${row.environment}\u0000${row.bucket}`) ?? 0,
  }));
  await addCounters(ctx, trx, { table: 'rollup_hourly', key: base, rows: withProject(rollups) });
  await addCounters(ctx, trx, {
    table: 'daily_customers',
    key: base,
    rows: withProject([...dailyCustomers.values()]),
  });
  await addCounters(ctx, trx, {
    table: 'tool_hourly',
    key: [...base, 'name'],
    rows: withProject(plan.tools.rows()),
  });
  await addCounters(ctx, trx, {
    table: 'model_hourly',
    key: [...base, 'model', 'provider'],
    rows: withProject(plan.models.rows()),
  });
  await addCounters(ctx, trx, {
    table: 'latency_hourly',
    key: [...base, 'metric', 'key', 'bin'],
    rows: withProject(plan.latency.rows()),
  });
}

/** Records customer activity; returns the (bucket, customer) pairs not seen before, for distinct counts. */
async function insertActivity(
  ctx: AppendContext,
  trx: Trx,
  projectId: string,
  plan: BatchPlan,
): Promise<BatchPlan['activity']> {
  const rows = plan.activity.map((row) => ({ project_id: projectId, ...row }));
  const fresh: BatchPlan['activity'] = [];
  for (const chunk of chunks(rows, 5, ctx.adapter)) {
    const inserted = await trx
      .insertInto('customer_activity')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['project_id', 'environment', 'granularity', 'bucket', 'customer_id']).doNothing(),
      )
      .returning(['environment', 'granularity', 'bucket', 'customer_id'])
      .execute();
    for (const row of inserted) fresh.push({ ...row, granularity: row.granularity === 'h' ? 'h' : 'd' });
  }
  return fresh;
}

async function writeCustomers(ctx: AppendContext, trx: Trx, plan: BatchPlan): Promise<void> {
  if (plan.customers.size === 0) return;
  const projectId = plan.projectId;
  await addCounters(ctx, trx, {
    table: 'customer_daily',
    key: ['project_id', 'day', 'customer_id'],
    rows: plan.customerDaily.rows().map((row) => ({ project_id: projectId, ...row })),
  });
  const rows = [...plan.customers.values()]
    .sort((a, b) => (a.customerId < b.customerId ? -1 : 1))
    .map(({ customerId, firstSeenAt, lastSeenAt, ...counts }) => ({
      project_id: projectId,
      customer_id: customerId,
      first_seen_at: firstSeenAt,
      last_seen_at: lastSeenAt,
      ...counts,
    }));
  const counters = [
    'conversations',
    'messages',
    'tool_calls',
    'errors',
    'input_tokens',
    'output_tokens',
    'cost_usd',
  ];
  for (const chunk of chunks(rows, 11, ctx.adapter)) {
    await trx
      .insertInto('customers')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['project_id', 'customer_id']).doUpdateSet(() => {
          const set: Record<string, unknown> = {
            first_seen_at: ctx.adapter.least(sql`customers.first_seen_at`, sql`excluded.first_seen_at`),
            last_seen_at: ctx.adapter.greatest(sql`customers.last_seen_at`, sql`excluded.last_seen_at`),
          };
          for (const counter of counters)
            set[counter] = sql`${sql.ref(`customers.${counter}`)} + ${sql.ref(`excluded.${counter}`)}`;
          return set;
        }),
      )
      .execute();
  }
}
