/** The overview: series per hour or day, totals, tools, models and peak hours, read from rollups. */
import type { MetricPoint, MetricsFilter, MetricsResponse, ModelMetrics, ToolMetrics } from '@sightline/core';
import { dayBucket, hourBucket } from '../buckets.ts';
import { histogramPercentile } from '../histogram.ts';
import type { ReadContext } from './conversations.ts';
import { addFeedbackBySource, readFeedbackBySource } from './feedback-sources.ts';
import { readScoreMetrics } from './score-metrics.ts';
import { readVersionMetrics } from './version-metrics.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

type Totals = Omit<MetricPoint, 't'>;

function emptyPoint(): Totals {
  return {
    conversations: 0,
    messages: 0,
    humanMessages: 0,
    agentMessages: 0,
    customers: 0,
    toolCalls: 0,
    toolErrors: 0,
    llmCalls: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    responseLatencyP50Ms: null,
    responseLatencyP95Ms: null,
    feedback: { positive: 0, neutral: 0, negative: 0 },
    platformFeedback: { positive: 0, neutral: 0, negative: 0 },
    autoFeedback: { positive: 0, neutral: 0, negative: 0 },
  };
}

/** Metrics of a project over [from, to], bucketed by hour or day (UTC). */
export async function getMetrics(
  ctx: ReadContext,
  projectId: string,
  filter: MetricsFilter,
): Promise<MetricsResponse> {
  const step = filter.bucket === 'hour' ? HOUR : DAY;
  const toBucket = filter.bucket === 'hour' ? hourBucket : dayBucket;
  const start = toBucket(filter.from);
  const points = new Map<number, Totals>();
  for (let t = start; t <= filter.to; t += step) points.set(t, emptyPoint());

  const [rollups, latency, dailyCustomers, tools, models, distinct, feedback, scores, agentVersions] =
    await Promise.all([
      readRollups(ctx, projectId, filter),
      readLatency(ctx, projectId, filter),
      filter.bucket === 'day' ? readDailyCustomers(ctx, projectId, filter) : Promise.resolve([]),
      readTools(ctx, projectId, filter),
      readModels(ctx, projectId, filter),
      countDistinctCustomers(ctx, projectId, filter),
      readFeedbackBySource(ctx, projectId, filter),
      readScoreMetrics(ctx, projectId, filter),
      readVersionMetrics(ctx, projectId, { ...filter, withConversations: false }),
    ]);

  const heat = new Map<string, number>();
  for (const row of rollups) {
    const bucket = Number(row.bucket);
    const point = points.get(toBucket(bucket));
    if (point) addRollup(point, row, filter.bucket === 'hour');
    const date = new Date(bucket);
    const key = `${date.getUTCDay()}:${date.getUTCHours()}`;
    heat.set(key, (heat.get(key) ?? 0) + Number(row.conversations));
  }
  for (const row of feedback) {
    const point = points.get(toBucket(Number(row.bucket)));
    if (point) addFeedbackBySource(point, row);
  }
  for (const row of dailyCustomers) {
    const point = points.get(Number(row.bucket));
    if (point) point.customers += Number(row.customers);
  }
  const totalHistogram = new Map<number, number>();
  const perBucket = new Map<number, Map<number, number>>();
  for (const row of latency) {
    const bucket = toBucket(Number(row.bucket));
    const bins = perBucket.get(bucket) ?? new Map<number, number>();
    perBucket.set(bucket, bins);
    bins.set(row.bin, (bins.get(row.bin) ?? 0) + Number(row.count));
    totalHistogram.set(row.bin, (totalHistogram.get(row.bin) ?? 0) + Number(row.count));
  }
  for (const [bucket, bins] of perBucket) {
    const point = points.get(bucket);
    if (!point) continue;
    point.responseLatencyP50Ms = histogramPercentile(bins, 0.5);
    point.responseLatencyP95Ms = histogramPercentile(bins, 0.95);
  }
  const series = [...points.entries()].map(([t, point]) => ({ t: new Date(t).toISOString(), ...point }));
  const totals = sumSeries(series);
  totals.customers = distinct;
  totals.responseLatencyP50Ms = histogramPercentile(totalHistogram, 0.5);
  totals.responseLatencyP95Ms = histogramPercentile(totalHistogram, 0.95);
  return {
    from: new Date(filter.from).toISOString(),
    to: new Date(filter.to).toISOString(),
    bucket: filter.bucket,
    series,
    totals,
    tools,
    models,
    heatmap: [...heat.entries()].map(([key, conversations]) => {
      const [weekday, hour] = key.split(':').map(Number) as [number, number];
      return { weekday, hour, conversations };
    }),
    scores,
    agentVersions,
  };
}

function readRollups(ctx: ReadContext, projectId: string, filter: MetricsFilter) {
  let query = ctx.db
    .selectFrom('rollup_hourly')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('bucket', '>=', hourBucket(filter.from))
    .where('bucket', '<=', filter.to);
  if (filter.environment) query = query.where('environment', '=', filter.environment);
  return query.execute();
}

/** Histograms at the bucket's own granularity: a 30-day overview by day reads 30 days of bins, not 720 hours. */
function latencyTable(filter: MetricsFilter): { table: 'latency_hourly' | 'latency_daily'; from: number } {
  return filter.bucket === 'day'
    ? { table: 'latency_daily', from: dayBucket(filter.from) }
    : { table: 'latency_hourly', from: hourBucket(filter.from) };
}

function readLatency(ctx: ReadContext, projectId: string, filter: MetricsFilter) {
  const { table, from } = latencyTable(filter);
  let query = ctx.db
    .selectFrom(table)
    .select(['bucket', 'bin', (eb) => eb.fn.sum<number>('count').as('count')])
    .where('project_id', '=', projectId)
    .where('metric', '=', 'response')
    .where('bucket', '>=', from)
    .where('bucket', '<=', filter.to);
  if (filter.environment) query = query.where('environment', '=', filter.environment);
  return query.groupBy(['bucket', 'bin']).execute();
}

function readDailyCustomers(ctx: ReadContext, projectId: string, filter: MetricsFilter) {
  let query = ctx.db
    .selectFrom('daily_customers')
    .select(['bucket', (eb) => eb.fn.sum<number>('customers').as('customers')])
    .where('project_id', '=', projectId)
    .where('bucket', '>=', dayBucket(filter.from))
    .where('bucket', '<=', filter.to);
  if (filter.environment) query = query.where('environment', '=', filter.environment);
  return query.groupBy('bucket').execute();
}

/**
 * Distinct customers active in [from, to]. When the range reaches the newest activity (the usual
 * "last N days"), a customer was active in it exactly when last seen at or after `from`, which the
 * customers table answers from an index; otherwise the per-bucket activity rows are counted.
 */
async function countDistinctCustomers(
  ctx: ReadContext,
  projectId: string,
  filter: MetricsFilter,
): Promise<number> {
  if (!filter.environment) {
    const newest = await ctx.db
      .selectFrom('customers')
      .select((eb) => eb.fn.max<number>('last_seen_at').as('at'))
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    if (newest?.at === null || newest?.at === undefined) return 0;
    if (Number(newest.at) <= filter.to) {
      const row = await ctx.db
        .selectFrom('customers')
        .select((eb) => eb.fn.countAll<number>().as('customers'))
        .where('project_id', '=', projectId)
        .where('last_seen_at', '>=', filter.from)
        .executeTakeFirst();
      return Number(row?.customers ?? 0);
    }
  }
  const granularity = filter.bucket === 'hour' ? 'h' : 'd';
  const toBucket = filter.bucket === 'hour' ? hourBucket : dayBucket;
  let query = ctx.db
    .selectFrom('customer_activity')
    .select((eb) => eb.fn.count<number>('customer_id').distinct().as('customers'))
    .where('project_id', '=', projectId)
    .where('granularity', '=', granularity)
    .where('bucket', '>=', toBucket(filter.from))
    .where('bucket', '<=', filter.to);
  if (filter.environment) query = query.where('environment', '=', filter.environment);
  const row = await query.executeTakeFirst();
  return Number(row?.customers ?? 0);
}

async function readTools(ctx: ReadContext, projectId: string, filter: MetricsFilter): Promise<ToolMetrics[]> {
  let counts = ctx.db
    .selectFrom('tool_hourly')
    .select([
      'name',
      (eb) => eb.fn.sum<number>('calls').as('calls'),
      (eb) => eb.fn.sum<number>('errors').as('errors'),
    ])
    .where('project_id', '=', projectId)
    .where('bucket', '>=', hourBucket(filter.from))
    .where('bucket', '<=', filter.to);
  const latency = latencyTable(filter);
  let bins = ctx.db
    .selectFrom(latency.table)
    .select(['key', 'bin', (eb) => eb.fn.sum<number>('count').as('count')])
    .where('project_id', '=', projectId)
    .where('metric', '=', 'tool')
    .where('bucket', '>=', latency.from)
    .where('bucket', '<=', filter.to);
  if (filter.environment) {
    counts = counts.where('environment', '=', filter.environment);
    bins = bins.where('environment', '=', filter.environment);
  }
  const [countRows, binRows] = await Promise.all([
    counts.groupBy('name').execute(),
    bins.groupBy(['key', 'bin']).execute(),
  ]);
  const histograms = new Map<string, Map<number, number>>();
  for (const row of binRows) {
    const histogram = histograms.get(row.key) ?? new Map<number, number>();
    histograms.set(row.key, histogram);
    histogram.set(row.bin, Number(row.count));
  }
  return countRows
    .map((row) => {
      const calls = Number(row.calls);
      const errors = Number(row.errors);
      const histogram = histograms.get(row.name) ?? new Map();
      return {
        name: row.name,
        calls,
        errors,
        errorRate: calls === 0 ? 0 : errors / calls,
        p50Ms: histogramPercentile(histogram, 0.5),
        p95Ms: histogramPercentile(histogram, 0.95),
      };
    })
    .sort((a, b) => b.calls - a.calls || a.name.localeCompare(b.name));
}

async function readModels(
  ctx: ReadContext,
  projectId: string,
  filter: MetricsFilter,
): Promise<ModelMetrics[]> {
  let query = ctx.db
    .selectFrom('model_hourly')
    .select([
      'model',
      'provider',
      (eb) => eb.fn.sum<number>('calls').as('calls'),
      (eb) => eb.fn.sum<number>('input_tokens').as('input_tokens'),
      (eb) => eb.fn.sum<number>('output_tokens').as('output_tokens'),
      (eb) => eb.fn.sum<number>('cost_usd').as('cost_usd'),
    ])
    .where('project_id', '=', projectId)
    .where('bucket', '>=', hourBucket(filter.from))
    .where('bucket', '<=', filter.to);
  if (filter.environment) query = query.where('environment', '=', filter.environment);
  const rows = await query.groupBy(['model', 'provider']).execute();
  return rows
    .map((row) => ({
      model: row.model,
      provider: row.provider === '' ? null : row.provider,
      calls: Number(row.calls),
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      costUsd: Number(row.cost_usd),
    }))
    .sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls);
}

function addRollup(point: Totals, row: Record<string, unknown>, hourly: boolean): void {
  const n = (column: string) => Number(row[column] ?? 0);
  point.conversations += n('conversations');
  point.messages += n('messages');
  point.humanMessages += n('human_messages');
  point.agentMessages += n('agent_messages');
  if (hourly) point.customers += n('customers');
  point.toolCalls += n('tool_calls');
  point.toolErrors += n('tool_errors');
  point.llmCalls += n('llm_calls');
  point.errors += n('errors');
  point.inputTokens += n('input_tokens');
  point.outputTokens += n('output_tokens');
  point.costUsd += n('cost_usd');
  point.feedback.positive += n('fb_positive');
  point.feedback.neutral += n('fb_neutral');
  point.feedback.negative += n('fb_negative');
}

function sumSeries(series: MetricPoint[]): Totals {
  const totals = emptyPoint();
  for (const point of series) {
    for (const key of Object.keys(totals) as Array<keyof Totals>) {
      const value = point[key];
      if (typeof value === 'number' && typeof totals[key] === 'number') (totals[key] as number) += value;
    }
    for (const kind of ['feedback', 'platformFeedback', 'autoFeedback'] as const) {
      totals[kind].positive += point[kind].positive;
      totals[kind].neutral += point[kind].neutral;
      totals[kind].negative += point[kind].negative;
    }
  }
  return totals;
}
