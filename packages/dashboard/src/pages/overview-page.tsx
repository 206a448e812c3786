import type { MetricPoint } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { ChartCard } from '../charts/chart-card.tsx';
import { COLORS } from '../charts/chart-colors.ts';
import { ModelUsageChart } from '../charts/model-usage-chart.tsx';
import { PeakHoursHeatmap } from '../charts/peak-hours-heatmap.tsx';
import { SeriesChart } from '../charts/series-chart.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { RangeSelect } from '../components/range-select.tsx';
import { StatCard } from '../components/stat-card.tsx';
import { TextFilter } from '../components/text-filter.tsx';
import { formatCost, formatCount, formatDuration, formatPercent, formatTokens } from '../lib/format.ts';
import {
  bucketFor,
  describeRange,
  rangeFromQuery,
  rangeToQuery,
  resolveRange,
  type TimeRange,
} from '../lib/time-range.ts';
import { navigate, routeTo, useLocation } from '../router/hash-router.ts';

const DEFAULT_RANGE = '7d';

/** Error rate of a bucket: failed steps over tool and model calls. */
function errorRate(p: Pick<MetricPoint, 'errors' | 'toolCalls' | 'llmCalls'>): number | null {
  const calls = p.toolCalls + p.llmCalls;
  return calls === 0 ? null : p.errors / calls;
}

/** Charts over a chosen range: volume, customers, latency, tokens and cost by model, errors, feedback, peak hours. */
export function OverviewPage() {
  const location = useLocation();
  const range = rangeFromQuery(location.query, DEFAULT_RANGE);
  const environment = location.query.get('environment') ?? undefined;
  const { data, error, loading, reload } = useApi(
    (client, signal) => {
      const { from, to } = resolveRange(range, Date.now(), true) as { from: string; to: string };
      return client.metrics({ from, to, bucket: bucketFor(from, to), environment }, signal);
    },
    [location.href],
  );
  const setQuery = (next: { range?: TimeRange; environment?: string | undefined }) =>
    navigate(
      routeTo('/overview', {
        ...rangeToQuery(next.range ?? range, DEFAULT_RANGE),
        environment: 'environment' in next ? next.environment : environment,
      }),
      { replace: true },
    );

  const totals = data?.totals;
  const feedbackTotal = totals
    ? totals.feedback.positive + totals.feedback.neutral + totals.feedback.negative
    : 0;
  const rate = totals ? errorRate(totals) : null;
  return (
    <div className="page">
      <PageHeader
        title="Overview"
        subtitle={`${describeRange(range)}${data ? ` · per ${data.bucket}` : ''} · ${environment ?? 'all environments'}`}
        actions={
          <>
            <RangeSelect value={range} allowAll onChange={(r) => setQuery({ range: r })} />
            <TextFilter
              label="Environment"
              className="field-inline"
              placeholder="all"
              value={environment}
              onCommit={(value) => setQuery({ environment: value })}
            />
            <button type="button" className="button" onClick={reload} disabled={loading}>
              {loading ? 'Loading…' : 'Refresh'}
            </button>
          </>
        }
      />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {!data && loading ? (
        <p className="muted pad" role="status">
          Loading metrics…
        </p>
      ) : null}
      {data && totals ? (
        <>
          <div className="stat-grid">
            <StatCard label="Conversations" value={formatCount(totals.conversations)} />
            <StatCard
              label="Messages"
              value={formatCount(totals.messages)}
              detail={`${formatCount(totals.humanMessages)} human · ${formatCount(totals.agentMessages)} agent`}
            />
            <StatCard label="Customers" value={formatCount(totals.customers)} />
            <StatCard
              label="Response p50"
              value={formatDuration(totals.responseLatencyP50Ms)}
              detail={`p95 ${formatDuration(totals.responseLatencyP95Ms)}`}
            />
            <StatCard
              label="Tokens"
              value={formatTokens(totals.inputTokens + totals.outputTokens)}
              detail={`${formatTokens(totals.inputTokens)} in · ${formatTokens(totals.outputTokens)} out`}
            />
            <StatCard label="Cost" value={formatCost(totals.costUsd)} />
            <StatCard
              label="Error rate"
              value={formatPercent(rate)}
              detail={`${formatCount(totals.errors)} failed of ${formatCount(totals.toolCalls + totals.llmCalls)} calls`}
              {...(rate !== null && rate > 0.05 ? { tone: 'bad' as const } : {})}
            />
            <StatCard
              label="Feedback"
              value={feedbackTotal === 0 ? '–' : formatPercent(totals.feedback.positive / feedbackTotal)}
              detail={feedbackTotal === 0 ? 'none yet' : `positive of ${formatCount(feedbackTotal)}`}
            />
          </div>
          <div className="chart-grid">
            <ChartCard title="Conversations and messages" subtitle={`per ${data.bucket}`}>
              <SeriesChart
                rows={data.series}
                bucket={data.bucket}
                series={[
                  {
                    key: 'messages',
                    label: 'Messages',
                    color: COLORS.secondary,
                    kind: 'area',
                    value: (p) => p.messages,
                  },
                  {
                    key: 'conversations',
                    label: 'Conversations',
                    color: COLORS.primary,
                    kind: 'bar',
                    value: (p) => p.conversations,
                  },
                ]}
              />
            </ChartCard>
            <ChartCard title="Distinct customers" subtitle={`per ${data.bucket}`}>
              <SeriesChart
                rows={data.series}
                bucket={data.bucket}
                series={[
                  {
                    key: 'customers',
                    label: 'Customers',
                    color: COLORS.tertiary,
                    kind: 'line',
                    value: (p) => p.customers,
                  },
                ]}
              />
            </ChartCard>
            <ChartCard title="Agent response latency" subtitle="human message → agent answer">
              <SeriesChart
                rows={data.series}
                bucket={data.bucket}
                axis="duration"
                series={[
                  {
                    key: 'p50',
                    label: 'p50',
                    color: COLORS.primary,
                    kind: 'line',
                    value: (p) => p.responseLatencyP50Ms,
                  },
                  {
                    key: 'p95',
                    label: 'p95',
                    color: COLORS.warm,
                    kind: 'line',
                    value: (p) => p.responseLatencyP95Ms,
                  },
                ]}
              />
            </ChartCard>
            <ChartCard title="Tokens and cost" subtitle={`per ${data.bucket}`}>
              <SeriesChart
                rows={data.series}
                bucket={data.bucket}
                axis="tokens"
                rightAxis="cost"
                series={[
                  {
                    key: 'in',
                    label: 'Input tokens',
                    color: COLORS.primary,
                    kind: 'bar',
                    stack: 'tok',
                    value: (p) => p.inputTokens,
                  },
                  {
                    key: 'out',
                    label: 'Output tokens',
                    color: COLORS.secondary,
                    kind: 'bar',
                    stack: 'tok',
                    value: (p) => p.outputTokens,
                  },
                  {
                    key: 'cost',
                    label: 'Cost',
                    color: COLORS.warm,
                    kind: 'line',
                    axis: 'right',
                    value: (p) => p.costUsd,
                  },
                ]}
              />
            </ChartCard>
            <ChartCard
              title="Tokens by model"
              subtitle={`${data.models.length} model${data.models.length === 1 ? '' : 's'}`}
            >
              {data.models.length > 0 ? (
                <ModelUsageChart models={data.models} measure="tokens" />
              ) : (
                <p className="muted">No model calls.</p>
              )}
            </ChartCard>
            <ChartCard title="Cost by model">
              {data.models.length > 0 ? (
                <ModelUsageChart models={data.models} measure="cost" />
              ) : (
                <p className="muted">No model calls.</p>
              )}
            </ChartCard>
            <ChartCard title="Error rate" subtitle="failed steps / tool and model calls">
              <SeriesChart
                rows={data.series}
                bucket={data.bucket}
                axis="percent"
                series={[
                  { key: 'rate', label: 'Error rate', color: COLORS.error, kind: 'line', value: errorRate },
                ]}
              />
            </ChartCard>
            <ChartCard title="Feedback" subtitle={`per ${data.bucket}`}>
              <SeriesChart
                rows={data.series}
                bucket={data.bucket}
                series={[
                  {
                    key: 'pos',
                    label: 'Positive',
                    color: COLORS.positive,
                    kind: 'bar',
                    stack: 'fb',
                    value: (p) => p.feedback.positive,
                  },
                  {
                    key: 'neu',
                    label: 'Neutral',
                    color: COLORS.neutral,
                    kind: 'bar',
                    stack: 'fb',
                    value: (p) => p.feedback.neutral,
                  },
                  {
                    key: 'neg',
                    label: 'Negative',
                    color: COLORS.negative,
                    kind: 'bar',
                    stack: 'fb',
                    value: (p) => p.feedback.negative,
                  },
                ]}
              />
            </ChartCard>
            <ChartCard title="Peak hours" subtitle="conversations started, by weekday and hour (UTC)" wide>
              <PeakHoursHeatmap cells={data.heatmap} />
            </ChartCard>
          </div>
        </>
      ) : null}
    </div>
  );
}
