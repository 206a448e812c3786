/**
 * Agent versions side by side, read from rollups: what each version's steps did (version_hourly), its
 * run durations (latency histograms, metric `run`, key = version), its scores (score_hourly), and for a
 * comparison the conversations whose latest version it is (the partial index on conversations).
 */
import type { AgentVersionMetrics, VersionComparisonFilter } from '@sightline/core';
import { dayBucket, hourBucket } from '../buckets.ts';
import { histogramPercentile } from '../histogram.ts';
import { RUN_LATENCY_METRIC } from '../writer/version-counts.ts';
import type { ReadContext } from './conversations.ts';
import { ScoreTally } from './score-tally.ts';

/** Versions listed when none are named: the most runs in the range first. */
const MAX_VERSIONS = 20;
const WEEK = 7 * 86_400_000;

type Totals = Omit<AgentVersionMetrics, 'agentVersion' | 'scores' | 'runP50Ms' | 'runP95Ms'>;

/** Each version's metrics over the range; `withConversations` also counts their conversations. */
export async function readVersionMetrics(
  ctx: ReadContext,
  projectId: string,
  filter: VersionComparisonFilter & { withConversations: boolean },
): Promise<AgentVersionMetrics[]> {
  const totals = await readTotals(ctx, projectId, filter);
  const named = filter.versions && filter.versions.length > 0 ? filter.versions : undefined;
  const versions = named ?? [...totals.keys()].slice(0, MAX_VERSIONS);
  if (versions.length === 0) return [];
  const [latency, scores, conversations] = await Promise.all([
    readRunLatency(ctx, projectId, { ...filter, versions }),
    readVersionScores(ctx, projectId, { ...filter, versions }),
    filter.withConversations ? countConversations(ctx, projectId, { ...filter, versions }) : undefined,
  ]);
  return versions.map((agentVersion) => {
    const row = totals.get(agentVersion) ?? emptyTotals(filter);
    const bins = latency.get(agentVersion) ?? new Map<number, number>();
    const counted = conversations === undefined ? null : (conversations.get(agentVersion) ?? 0);
    return {
      agentVersion,
      ...row,
      conversations: counted,
      costPerConversation: counted ? row.costUsd / counted : null,
      runP50Ms: histogramPercentile(bins, 0.5),
      runP95Ms: histogramPercentile(bins, 0.95),
      scores: scores.get(agentVersion)?.summaries() ?? [],
    };
  });
}

function emptyTotals(filter: VersionComparisonFilter): Totals {
  return {
    runs: 0,
    runErrors: 0,
    conversations: null,
    llmCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    costPerRun: null,
    costPerConversation: null,
    toolCalls: 0,
    toolErrors: 0,
    toolErrorRate: 0,
    errors: 0,
    firstSeenAt: new Date(filter.from).toISOString(),
    lastSeenAt: new Date(filter.from).toISOString(),
  };
}

/** Sums of version_hourly per version, most runs first. */
async function readTotals(
  ctx: ReadContext,
  projectId: string,
  filter: VersionComparisonFilter,
): Promise<Map<string, Totals>> {
  let query = ctx.db
    .selectFrom('version_hourly')
    .select('agent_version')
    .select((eb) => [
      eb.fn.sum<number>('runs').as('runs'),
      eb.fn.sum<number>('run_errors').as('run_errors'),
      eb.fn.sum<number>('tool_calls').as('tool_calls'),
      eb.fn.sum<number>('tool_errors').as('tool_errors'),
      eb.fn.sum<number>('llm_calls').as('llm_calls'),
      eb.fn.sum<number>('errors').as('errors'),
      eb.fn.sum<number>('input_tokens').as('input_tokens'),
      eb.fn.sum<number>('output_tokens').as('output_tokens'),
      eb.fn.sum<number>('cost_usd').as('cost_usd'),
      eb.fn.min<number>('bucket').as('first'),
      eb.fn.max<number>('bucket').as('last'),
    ])
    .where('project_id', '=', projectId)
    .where('bucket', '>=', hourBucket(filter.from))
    .where('bucket', '<=', filter.to);
  if (filter.environment) query = query.where('environment', '=', filter.environment);
  if (filter.versions && filter.versions.length > 0)
    query = query.where('agent_version', 'in', filter.versions);
  const rows = await query.groupBy('agent_version').execute();
  const out = rows.map((row): [string, Totals] => {
    const runs = Number(row.runs);
    const toolCalls = Number(row.tool_calls);
    const costUsd = Number(row.cost_usd);
    return [
      row.agent_version,
      {
        runs,
        runErrors: Number(row.run_errors),
        conversations: null,
        llmCalls: Number(row.llm_calls),
        inputTokens: Number(row.input_tokens),
        outputTokens: Number(row.output_tokens),
        costUsd,
        costPerRun: runs === 0 ? null : costUsd / runs,
        costPerConversation: null,
        toolCalls,
        toolErrors: Number(row.tool_errors),
        toolErrorRate: toolCalls === 0 ? 0 : Number(row.tool_errors) / toolCalls,
        errors: Number(row.errors),
        firstSeenAt: new Date(Number(row.first)).toISOString(),
        lastSeenAt: new Date(Number(row.last)).toISOString(),
      },
    ];
  });
  out.sort(([a, x], [b, y]) => y.runs - x.runs || (a < b ? -1 : 1));
  return new Map(out);
}

/** Run-duration histograms per version (daily bins for a week or more, else hourly). */
async function readRunLatency(
  ctx: ReadContext,
  projectId: string,
  filter: VersionComparisonFilter & { versions: string[] },
): Promise<Map<string, Map<number, number>>> {
  const daily = filter.to - filter.from >= WEEK;
  let query = ctx.db
    .selectFrom(daily ? 'latency_daily' : 'latency_hourly')
    .select(['key', 'bin', (eb) => eb.fn.sum<number>('count').as('count')])
    .where('project_id', '=', projectId)
    .where('metric', '=', RUN_LATENCY_METRIC)
    .where('bucket', '>=', daily ? dayBucket(filter.from) : hourBucket(filter.from))
    .where('bucket', '<=', filter.to)
    .where('key', 'in', filter.versions);
  if (filter.environment) query = query.where('environment', '=', filter.environment);
  const out = new Map<string, Map<number, number>>();
  for (const row of await query.groupBy(['key', 'bin']).execute()) {
    const bins = out.get(row.key) ?? new Map<number, number>();
    out.set(row.key, bins);
    bins.set(row.bin, Number(row.count));
  }
  return out;
}

/** Score sums per version. */
async function readVersionScores(
  ctx: ReadContext,
  projectId: string,
  filter: VersionComparisonFilter & { versions: string[] },
): Promise<Map<string, ScoreTally>> {
  let query = ctx.db
    .selectFrom('score_hourly')
    .select(['agent_version', 'name', 'data_type', 'source', 'category'])
    .select((eb) => [eb.fn.sum<number>('count').as('count'), eb.fn.sum<number>('value_sum').as('value_sum')])
    .where('project_id', '=', projectId)
    .where('bucket', '>=', hourBucket(filter.from))
    .where('bucket', '<=', filter.to)
    .where('agent_version', 'in', filter.versions);
  if (filter.environment) query = query.where('environment', '=', filter.environment);
  const rows = await query.groupBy(['agent_version', 'name', 'data_type', 'source', 'category']).execute();
  const out = new Map<string, ScoreTally>();
  for (const row of rows) {
    const tally = out.get(row.agent_version) ?? new ScoreTally();
    out.set(row.agent_version, tally);
    tally.add(row);
  }
  return out;
}

/** Conversations active in the range whose latest version is each of the versions. */
async function countConversations(
  ctx: ReadContext,
  projectId: string,
  filter: VersionComparisonFilter & { versions: string[] },
): Promise<Map<string, number>> {
  let query = ctx.db
    .selectFrom('conversations')
    .select(['agent_version', (eb) => eb.fn.countAll<number>().as('n')])
    .where('project_id', '=', projectId)
    .where('agent_version', 'in', filter.versions)
    .where('last_activity_at', '>=', filter.from)
    .where('started_at', '<=', filter.to);
  if (filter.environment) query = query.where('environment', '=', filter.environment);
  const rows = await query.groupBy('agent_version').execute();
  return new Map(rows.map((row) => [String(row.agent_version), Number(row.n)]));
}
