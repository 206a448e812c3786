import { useState } from 'react';
import { useApi } from '../api/use-api.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { RangeSelect } from '../components/range-select.tsx';
import { onRowKeyDown } from '../components/row-keys.ts';
import { TextFilter } from '../components/text-filter.tsx';
import { ToolCalls } from '../components/tool-calls.tsx';
import { formatCount, formatDuration, formatPercent } from '../lib/format.ts';
import {
  describeRange,
  rangeFromQuery,
  rangeToQuery,
  resolveRange,
  type TimeRange,
} from '../lib/time-range.ts';
import { navigate, pathOf, routeTo, useLocation } from '../router/hash-router.ts';

const DEFAULT_RANGE = '7d';
/** Rows shown at first: a store can hold thousands of tool names. */
const SHOWN = 100;

/** Per-tool reliability over a range; a selected tool shows its slowest and failing calls. */
export function ToolsPage(props: { tool: string | null }) {
  const location = useLocation();
  const range = rangeFromQuery(location.query, DEFAULT_RANGE);
  const { data, error, loading, reload } = useApi(
    (client, signal) => {
      const { from, to } = resolveRange(range, Date.now(), true) as { from: string; to: string };
      return client.metrics({ from, to, bucket: 'day' }, signal);
    },
    [location.query.toString()],
  );
  const query = rangeToQuery(range, DEFAULT_RANGE);
  const setRange = (next: TimeRange) =>
    navigate(
      routeTo(props.tool ? pathOf('tools', props.tool) : '/tools', rangeToQuery(next, DEFAULT_RANGE)),
      { replace: true },
    );
  const open = (name: string) => navigate(routeTo(pathOf('tools', name), query));
  const [filter, setFilter] = useState<string | undefined>(undefined);
  const [limit, setLimit] = useState(SHOWN);
  const all = [...(data?.tools ?? [])]
    .filter((tool) => !filter || tool.name.toLowerCase().includes(filter.toLowerCase()))
    .sort((a, b) => b.calls - a.calls || b.errors - a.errors);
  const tools = all.slice(0, limit);

  return (
    <div className="page">
      <PageHeader
        title="Tools"
        subtitle={`${describeRange(range)} · reliability per tool`}
        actions={
          <>
            <TextFilter
              label="Tool"
              className="field-inline"
              placeholder="Filter names…"
              value={filter}
              onCommit={setFilter}
            />
            <RangeSelect value={range} allowAll onChange={setRange} />
            <button type="button" className="button" onClick={reload} disabled={loading}>
              {loading ? 'Loading…' : 'Refresh'}
            </button>
          </>
        }
      />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {data && tools.length === 0 ? (
        <EmptyState title={filter ? 'No tool matches' : 'No tool calls in this range'} />
      ) : null}
      {tools.length > 0 ? (
        <div className="table-wrap">
          <table className="table fit-table">
            <thead>
              <tr>
                <th scope="col">Tool</th>
                <th scope="col" className="num">
                  Calls
                </th>
                <th scope="col" className="num col-optional">
                  Errors
                </th>
                <th scope="col" className="num">
                  Error rate
                </th>
                <th scope="col" className="num col-optional">
                  p50
                </th>
                <th scope="col" className="num">
                  p95
                </th>
                <th scope="col" className="col-optional">
                  Reliability
                </th>
              </tr>
            </thead>
            <tbody>
              {tools.map((tool) => (
                <tr
                  key={tool.name}
                  tabIndex={0}
                  className={`clickable-row${tool.name === props.tool ? ' selected' : ''}`}
                  aria-label={`Tool ${tool.name}`}
                  aria-current={tool.name === props.tool ? 'true' : undefined}
                  onClick={() => open(tool.name)}
                  onKeyDown={(event) => onRowKeyDown(event, () => open(tool.name))}
                >
                  <td className="cell-title">
                    <code title={tool.name}>{tool.name}</code>
                  </td>
                  <td className="num">{formatCount(tool.calls)}</td>
                  <td className="num col-optional">
                    {tool.errors > 0 ? <span className="error-count">{formatCount(tool.errors)}</span> : 0}
                  </td>
                  <td className={`num${tool.errorRate > 0.05 ? ' text-bad' : ''}`}>
                    {formatPercent(tool.errorRate)}
                  </td>
                  <td className="num col-optional">{formatDuration(tool.p50Ms)}</td>
                  <td className="num">{formatDuration(tool.p95Ms)}</td>
                  <td className="col-optional">
                    <span className="meter" title={`${formatPercent(1 - tool.errorRate)} succeeded`}>
                      <span className="meter-ok" style={{ width: `${(1 - tool.errorRate) * 100}%` }} />
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {all.length > tools.length ? (
        <p className="muted small">
          Showing the {tools.length} most called of {all.length.toLocaleString('en')} tools.{' '}
          <button type="button" className="link-button" onClick={() => setLimit(limit + SHOWN)}>
            Show {Math.min(SHOWN, all.length - tools.length)} more
          </button>
        </p>
      ) : null}
      {props.tool ? <ToolCalls key={props.tool} tool={props.tool} range={range} /> : null}
    </div>
  );
}
