/**
 * Appends one validated batch in one transaction: deduplicates by event id, inserts messages and
 * feedback, merges conversations and steps, and adds to the rollups. All of it or none of it.
 */
import type { ParsedEvent } from '@sightline/core';
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialect.ts';
import type { PriceTable } from '../pricing.ts';
import type { Database } from '../schema.ts';
import { type BatchPlan, planBatch } from './batch-plan.ts';
import { addition, type BulkInsert, insertAll } from './bulk-insert.ts';
import { lockConversations } from './conversation-locks.ts';
import { takeIn } from './intake.ts';
import { writePlanAtOnce } from './postgres-writes.ts';
import { writeScores } from './score-writes.ts';

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
    if (ctx.adapter.name === 'postgres')
      await lockConversations(
        trx,
        projectId,
        events.map((event) => event.body.conversationId),
      );
    const intake = await takeIn(ctx, trx, projectId, events);
    const { accepted, fresh } = intake;
    if (fresh.length === 0) return { accepted, events: [] };
    const plan = planBatch({ projectId, events: fresh, ...intake, prices: ctx.prices });
    if (ctx.adapter.name === 'postgres') {
      await writePlanAtOnce(trx, {
        projectId,
        merges: [...conversationUpserts(ctx, plan), ...stepUpserts(ctx, plan)],
        activity: activityInsert(plan),
        hourly: plan.rollups.rows(),
        rest: [...detailUpserts(plan), ...customerUpserts(ctx, plan)],
      });
      await writeScoresOf(ctx, trx, plan, fresh);
      return { accepted, events: fresh };
    }
    // Conversations first: a writer that found no row to lock takes its lock here, before any
    // rollup row, so two writers of one conversation never hold what the other waits for.
    const newActivity = await insertAll<BatchPlan['activity'][number]>(trx, ctx.adapter, [
      ...conversationUpserts(ctx, plan),
      ...stepUpserts(ctx, plan),
      activityInsert(plan),
    ]);
    await insertAll(trx, ctx.adapter, [
      ...customerCountUpserts(plan, newActivity),
      ...detailUpserts(plan),
      ...customerUpserts(ctx, plan),
    ]);
    await writeScoresOf(ctx, trx, plan, fresh);
    return { accepted, events: fresh };
  });
}

/** The batch's scores, last (score-writes.ts); nothing to do for a batch without any. */
async function writeScoresOf(
  ctx: AppendContext,
  trx: Kysely<Database>,
  plan: BatchPlan,
  events: ParsedEvent[],
): Promise<void> {
  if (!events.some((event) => event.type === 'score')) return;
  await writeScores(
    { db: trx, adapter: ctx.adapter },
    { projectId: plan.projectId, events, conversations: plan.conversations },
  );
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

function conversationMerge(adapter: DialectAdapter): Record<string, string> {
  const t = (column: string) => `"conversations"."${column}"`;
  const x = (column: string) => `excluded."${column}"`;
  const merged: Record<string, string> = {
    metadata: adapter.jsonMerge(t('metadata'), x('metadata')),
    tags: `case when ${x('tags')} = '[]' then ${t('tags')} else ${x('tags')} end`,
    started_at: adapter.least(t('started_at'), x('started_at')),
    last_activity_at: adapter.greatest(t('last_activity_at'), x('last_activity_at')),
    first_message: `case when ${t('first_message_at')} is null or ${x('first_message_at')} < ${t('first_message_at')} then coalesce(${x('first_message')}, ${t('first_message')}) else ${t('first_message')} end`,
    first_message_at: adapter.least(t('first_message_at'), x('first_message_at')),
    last_human_at: adapter.greatest(t('last_human_at'), x('last_human_at')),
    last_agent_at: adapter.greatest(t('last_agent_at'), x('last_agent_at')),
    ...addition('conversations', CONVERSATION_COUNTERS),
  };
  for (const column of ['customer_id', 'name', 'source', 'device', 'language', 'ended_at'])
    merged[column] = `coalesce(${x(column)}, ${t(column)})`;
  // The version of the latest event that named one (by event time).
  const newer = `${x('agent_version_at')} is not null and (${t('agent_version_at')} is null or ${x('agent_version_at')} >= ${t('agent_version_at')})`;
  for (const column of ['agent_version', 'agent_version_at'])
    merged[column] = `case when ${newer} then ${x(column)} else ${t(column)} end`;
  return merged;
}

function conversationUpserts(ctx: AppendContext, plan: BatchPlan): BulkInsert[] {
  const first = plan.conversations[0];
  if (!first) return [];
  return [
    {
      table: 'conversations',
      columns: Object.keys(first),
      rows: plan.conversations as unknown as Array<Record<string, unknown>>,
      key: ['project_id', 'id'],
      update: conversationMerge(ctx.adapter),
    },
  ];
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

function stepUpserts(ctx: AppendContext, plan: BatchPlan): BulkInsert[] {
  const first = plan.steps[0];
  if (!first) return [];
  const update: Record<string, string> = {
    type: 'excluded."type"',
    name: 'excluded."name"',
    started_at: 'excluded."started_at"',
    finished: ctx.adapter.greatest('"steps"."finished"', 'excluded."finished"'),
  };
  for (const column of STEP_MERGED_COLUMNS)
    update[column] = `coalesce(excluded."${column}", "steps"."${column}")`;
  // The first version a step was stamped with stays (step-merge.ts).
  update.agent_version = 'coalesce("steps"."agent_version", excluded."agent_version")';
  return [
    {
      table: 'steps',
      columns: Object.keys(first),
      rows: plan.steps as unknown as Array<Record<string, unknown>>,
      key: ['project_id', 'conversation_id', 'id'],
      update,
    },
  ];
}

/** An upsert of rows whose non-key columns are added to what is stored. */
function counterUpsert(options: {
  table: string;
  key: string[];
  rows: Array<Record<string, unknown>>;
}): BulkInsert[] {
  const first = options.rows[0];
  if (!first) return [];
  const columns = Object.keys(first);
  const counters = columns.filter((column) => !options.key.includes(column));
  return [
    {
      table: options.table,
      columns,
      rows: options.rows,
      key: options.key,
      update: addition(options.table, counters),
    },
  ];
}

const withProject = <T extends object>(plan: BatchPlan, rows: T[]) =>
  rows.map((row) => ({ project_id: plan.projectId, ...row }));

/** The hourly rollups and daily distinct customers, given the activity rows this batch inserted first. */
function customerCountUpserts(plan: BatchPlan, newActivity: BatchPlan['activity']): BulkInsert[] {
  const base = ['project_id', 'environment', 'bucket'];
  const hourlyCustomers = new Map<string, number>();
  const dailyCustomers = new Map<string, { environment: string; bucket: number; customers: number }>();
  for (const activity of newActivity) {
    const key = `${activity.environment}\u0000${activity.bucket}`;
    if (activity.granularity === 'h') {
      plan.rollups.add({ environment: activity.environment, bucket: Number(activity.bucket) }, {});
      hourlyCustomers.set(key, (hourlyCustomers.get(key) ?? 0) + 1);
    } else {
      const row = dailyCustomers.get(key) ?? {
        environment: activity.environment,
        bucket: Number(activity.bucket),
        customers: 0,
      };
      row.customers += 1;
      dailyCustomers.set(key, row);
    }
  }
  const rollups = plan.rollups
    .rows()
    .map((row) => ({ ...row, customers: hourlyCustomers.get(`${row.environment}\u0000${row.bucket}`) ?? 0 }));
  return [
    ...counterUpsert({ table: 'rollup_hourly', key: base, rows: withProject(plan, rollups) }),
    ...counterUpsert({
      table: 'daily_customers',
      key: base,
      rows: withProject(plan, [...dailyCustomers.values()]),
    }),
  ];
}

/** Tool, model and latency rollups. */
function detailUpserts(plan: BatchPlan): BulkInsert[] {
  const base = ['project_id', 'environment', 'bucket'];
  const latencyKey = [...base, 'metric', 'key', 'bin'];
  return [
    ...counterUpsert({
      table: 'tool_hourly',
      key: [...base, 'name'],
      rows: withProject(plan, plan.tools.rows()),
    }),
    ...counterUpsert({
      table: 'model_hourly',
      key: [...base, 'model', 'provider'],
      rows: withProject(plan, plan.models.rows()),
    }),
    ...counterUpsert({
      table: 'latency_hourly',
      key: latencyKey,
      rows: withProject(plan, plan.latency.rows()),
    }),
    ...counterUpsert({
      table: 'latency_daily',
      key: latencyKey,
      rows: withProject(plan, plan.latencyDaily.rows()),
    }),
    ...counterUpsert({
      table: 'version_hourly',
      key: [...base, 'agent_version'],
      rows: withProject(plan, plan.versions.rows()),
    }),
    ...counterUpsert({
      table: 'feedback_hourly',
      key: [...base, 'source', 'sentiment'],
      rows: withProject(plan, plan.feedbackBySource.rows()),
    }),
  ];
}

/** Records customer activity, returning the (bucket, customer) pairs not seen before, for distinct counts. */
function activityInsert(plan: BatchPlan): BulkInsert {
  return {
    table: 'customer_activity',
    columns: ['project_id', 'environment', 'granularity', 'bucket', 'customer_id'],
    rows: plan.activity.map((row) => ({ project_id: plan.projectId, ...row })),
    key: ['project_id', 'environment', 'granularity', 'bucket', 'customer_id'],
    returning: ['environment', 'granularity', 'bucket', 'customer_id'],
  };
}

function customerUpserts(ctx: AppendContext, plan: BatchPlan): BulkInsert[] {
  if (plan.customers.size === 0) return [];
  const rows = [...plan.customers.values()]
    .sort((a, b) => (a.customerId < b.customerId ? -1 : 1))
    .map(({ customerId, firstSeenAt, lastSeenAt, ...counts }) => ({
      project_id: plan.projectId,
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
  return [
    ...counterUpsert({
      table: 'customer_daily',
      key: ['project_id', 'day', 'customer_id'],
      rows: plan.customerDaily.rows().map((row) => ({ project_id: plan.projectId, ...row })),
    }),
    {
      table: 'customers',
      columns: Object.keys(rows[0] as object),
      rows,
      key: ['project_id', 'customer_id'],
      update: {
        first_seen_at: ctx.adapter.least('"customers"."first_seen_at"', 'excluded."first_seen_at"'),
        last_seen_at: ctx.adapter.greatest('"customers"."last_seen_at"', 'excluded."last_seen_at"'),
        ...addition('customers', counters),
      },
    },
  ];
}
