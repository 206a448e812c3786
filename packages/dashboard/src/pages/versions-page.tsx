/**
 * Two agent versions side by side over a range (`GET /v1/metrics/versions`): runs, run latency p50/p95,
 * cost per run, tool error rate and each score's average. The versions to pick from are the metrics'
 * agentVersions (most runs first); the two chosen stay in the address (`?a=&b=`).
 */
import type { AgentVersionMetrics, ScoreSummary, VersionComparison } from '@sightline/core';
import { useApi } from '../api/use-api.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { RangeSelect } from '../components/range-select.tsx';
import { costFormatFor, formatCount, formatDuration, formatPercent } from '../lib/format.ts';
import {
  describeRange,
  rangeFromQuery,
  rangeToQuery,
  resolveRange,
  type TimeRange,
} from '../lib/time-range.ts';
import { navigate, routeTo, useLocation } from '../router/hash-router.ts';
import '../components/scoring.css';

const DEFAULT_RANGE = '7d';

/** One row of the comparison: its label, how a version's figure reads, and whether lower is better. */
interface Row {
  label: string;
  read: (v: AgentVersionMetrics) => number | null;
  /** The format of the row's figures, chosen from all of them (one cost precision across a row). */
  formatFor: (values: ReadonlyArray<number | null>) => (value: number | null) => string;
  lowerIsBetter: boolean | null;
}

const always = (format: (value: number | null) => string) => () => format;

const ROWS: Row[] = [
  { label: 'Runs', read: (v) => v.runs, formatFor: always(formatCount), lowerIsBetter: null },
  {
    label: 'Run latency p50',
    read: (v) => v.runP50Ms,
    formatFor: always(formatDuration),
    lowerIsBetter: true,
  },
  {
    label: 'Run latency p95',
    read: (v) => v.runP95Ms,
    formatFor: always(formatDuration),
    lowerIsBetter: true,
  },
  { label: 'Cost per run', read: (v) => v.costPerRun, formatFor: costFormatFor, lowerIsBetter: true },
  {
    label: 'Tool error rate',
    read: (v) => (v.toolCalls > 0 ? v.toolErrorRate : null),
    formatFor: always(formatPercent),
    lowerIsBetter: true,
  },
];

/** The agent version comparison page. */
export function VersionsPage() {
  const location = useLocation();
  const range = rangeFromQuery(location.query, DEFAULT_RANGE);
  const picked = [location.query.get('a'), location.query.get('b')];
  const bounds = () => resolveRange(range, Date.now(), true) as { from: string; to: string };
  const listing = useApi(
    (client, signal) => client.metrics({ ...bounds(), bucket: 'day' }, signal),
    [location.query.toString()],
  );
  const versions = listing.data?.agentVersions.map((v) => v.agentVersion) ?? [];
  const a = picked[0] ?? versions[0] ?? null;
  const b = picked[1] ?? versions.find((v) => v !== a) ?? null;
  const comparison = useApi(
    (client, signal) =>
      a && b
        ? client.get<VersionComparison>('/v1/metrics/versions', { ...bounds(), version: [a, b] }, signal)
        : Promise.resolve(null),
    [location.query.toString(), a, b],
  );
  const go = (next: { range?: TimeRange; a?: string; b?: string }) =>
    navigate(
      routeTo('/versions', {
        ...rangeToQuery(next.range ?? range, DEFAULT_RANGE),
        a: next.a ?? a ?? undefined,
        b: next.b ?? b ?? undefined,
      }),
      { replace: true },
    );

  return (
    <div className="page">
      <PageHeader
        title="Agent versions"
        subtitle={`${describeRange(range)} · two versions side by side`}
        actions={<RangeSelect value={range} onChange={(next) => go({ range: next })} />}
      />
      {listing.error ? <ErrorBanner error={listing.error} onRetry={listing.reload} /> : null}
      {listing.data && versions.length < 2 ? (
        <EmptyState title="Fewer than two agent versions in this range">
          Runs stamped with an agent version (by <code>instrumentAgents</code> or served agents) show here;
          pick a longer range or run another version.
        </EmptyState>
      ) : null}
      {versions.length >= 2 && a && b ? (
        <>
          <div className="version-pickers">
            <VersionPicker label="Version A" value={a} versions={versions} onChange={(v) => go({ a: v })} />
            <VersionPicker label="Version B" value={b} versions={versions} onChange={(v) => go({ b: v })} />
          </div>
          {comparison.error ? <ErrorBanner error={comparison.error} onRetry={comparison.reload} /> : null}
          {comparison.data ? <Comparison data={comparison.data} a={a} b={b} /> : null}
        </>
      ) : null}
    </div>
  );
}

function VersionPicker(props: {
  label: string;
  value: string;
  versions: string[];
  onChange: (version: string) => void;
}) {
  return (
    <label>
      {props.label}
      <select className="input" value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        {props.versions.map((version) => (
          <option key={version} value={version}>
            {version}
          </option>
        ))}
      </select>
    </label>
  );
}

function Comparison(props: { data: VersionComparison; a: string; b: string }) {
  const find = (id: string) => props.data.versions.find((v) => v.agentVersion === id);
  const pair = [find(props.a), find(props.b)] as const;
  const scoreKeys = [...new Set(pair.flatMap((v) => v?.scores.map(scoreKey) ?? []))].sort();
  return (
    <table className="version-compare">
      <caption className="visually-hidden">Agent versions compared</caption>
      <thead>
        <tr>
          <th scope="col">Measure</th>
          <th scope="col" title={props.a}>
            {props.a}
          </th>
          <th scope="col" title={props.b}>
            {props.b}
          </th>
        </tr>
      </thead>
      <tbody>
        {ROWS.map((row) => (
          <FigureRow key={row.label} row={row} values={pair.map((v) => (v ? row.read(v) : null))} />
        ))}
        {scoreKeys.map((key) => (
          <tr key={key}>
            <th scope="row">{key}</th>
            {pair.map((v, index) => (
              <td key={index === 0 ? 'a' : 'b'}>
                {describeScore(v?.scores.find((s) => scoreKey(s) === key))}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FigureRow(props: { row: Row; values: (number | null)[] }) {
  const [first, second] = props.values;
  const format = props.row.formatFor(props.values);
  const better =
    props.row.lowerIsBetter === null || first == null || second == null || first === second
      ? null
      : first < second === props.row.lowerIsBetter
        ? 0
        : 1;
  return (
    <tr>
      <th scope="row">{props.row.label}</th>
      {props.values.map((value, index) => (
        <td key={index === 0 ? 'a' : 'b'} className={better === index ? 'better' : undefined}>
          {format(value)}
        </td>
      ))}
    </tr>
  );
}

/** A score's row name: `thumbs (human)`. */
function scoreKey(score: ScoreSummary): string {
  return `${score.name} (${score.source})`;
}

/** How a score summary reads: booleans as the share true, numbers as the mean, categories as the top one. */
function describeScore(score: ScoreSummary | undefined): string {
  if (!score) return '–';
  const n = `${formatCount(score.count)} given`;
  if (score.dataType === 'boolean') return `${formatPercent(score.average)} yes · ${n}`;
  if (score.dataType === 'numeric')
    return `${score.average === null ? '–' : score.average.toFixed(2)} avg · ${n}`;
  const top = score.categories[0];
  return top ? `${top.value} (${formatCount(top.count)}) · ${n}` : n;
}
