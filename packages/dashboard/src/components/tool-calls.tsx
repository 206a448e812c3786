import { useState } from 'react';
import { useApi } from '../api/use-api.ts';
import { formatDateTime, formatDuration, formatFullTime, truncate } from '../lib/format.ts';
import { resolveRange, type TimeRange } from '../lib/time-range.ts';
import { pathOf, routeTo } from '../router/hash-router.ts';
import { ErrorBanner } from './error-banner.tsx';
import { Tabs } from './tabs.tsx';

const KINDS = [
  { id: 'slowest', label: 'Slowest calls' },
  { id: 'failed', label: 'Failed calls' },
  { id: 'recent', label: 'Recent calls' },
] as const;
type Kind = (typeof KINDS)[number]['id'];

/** One tool's slowest, failed or recent calls, each linking to the step in its conversation. */
export function ToolCalls(props: { tool: string; range: TimeRange }) {
  const [kind, setKind] = useState<Kind>('slowest');
  const { data, error, reload } = useApi(
    (client, signal) => {
      const { from, to } = resolveRange(props.range, Date.now(), true);
      return client.toolCalls(props.tool, { kind, from, to, limit: 25 }, signal);
    },
    [props.tool, kind, JSON.stringify(props.range)],
  );
  return (
    <section className="panel" aria-label={`Calls of ${props.tool}`}>
      <h2>
        <code>{props.tool}</code>
      </h2>
      <Tabs tabs={KINDS} current={kind} onChange={setKind} label="Which calls" />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {data && data.data.length === 0 ? (
        <p className="muted pad">No {kind === 'failed' ? 'failed ' : ''}calls in this range.</p>
      ) : null}
      {data && data.data.length > 0 ? (
        <div className="table-wrap">
          <table className="table wrap-table tool-calls-table">
            <thead>
              <tr>
                <th scope="col" className="col-optional">
                  When
                </th>
                <th scope="col">Conversation</th>
                <th scope="col" className="num">
                  Duration
                </th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {data.data.map((step) => (
                <tr key={step.id}>
                  <td className="nowrap col-optional" title={formatFullTime(step.startedAt)}>
                    {formatDateTime(step.startedAt)}
                  </td>
                  <td>
                    <a
                      href={`#${routeTo(pathOf('conversations', step.conversationId), { tab: 'steps', step: step.id })}`}
                    >
                      {truncate(step.conversationId, 40)}
                    </a>
                    <span className="cell-sub narrow-only">{formatDateTime(step.startedAt)}</span>
                  </td>
                  <td className="num">{formatDuration(step.durationMs)}</td>
                  <td>
                    {step.error ? (
                      <span className="text-bad" title={step.error.message}>
                        {truncate(step.error.message, 100)}
                      </span>
                    ) : (
                      <span className="muted">ok</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
