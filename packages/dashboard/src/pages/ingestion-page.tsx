import type { IngestionHealth } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { RejectedEvents } from '../components/rejected-events.tsx';
import { StatCard } from '../components/stat-card.tsx';
import { formatCount, formatFullTime, formatRelative } from '../lib/format.ts';
import { counterLabel } from '../lib/redaction-labels.ts';

/** What did not make it in: rejected events (why, with samples) and what trackers had to drop. */
export function IngestionPage() {
  const { data, error, loading, reload } = useApi((client, signal) => client.ingestionHealth(signal), []);
  const rejectedTotal = data?.rejectedByReason.reduce((sum, r) => sum + r.count, 0) ?? 0;
  const dropped = data?.clients.reduce((sum, c) => sum + c.droppedEvents, 0) ?? 0;
  const truncated = data?.clients.reduce((sum, c) => sum + c.payloadsTruncated, 0) ?? 0;
  return (
    <div className="page">
      <PageHeader
        title="Ingestion health"
        subtitle="Events the collector rejected, and events trackers dropped before sending"
        actions={
          <button type="button" className="button" onClick={reload} disabled={loading}>
            {loading ? 'Loading…' : 'Refresh'}
          </button>
        }
      />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {data ? (
        <>
          <div className="stat-grid">
            <StatCard
              label="Rejected events"
              value={formatCount(rejectedTotal)}
              {...(rejectedTotal > 0 ? { tone: 'bad' as const } : { tone: 'good' as const })}
            />
            <StatCard
              label="Dropped by trackers"
              value={formatCount(dropped)}
              {...(dropped > 0 ? { tone: 'bad' as const } : { tone: 'good' as const })}
            />
            <StatCard label="Payloads truncated" value={formatCount(truncated)} />
            <StatCard label="Trackers reporting" value={formatCount(data.clients.length)} />
          </div>
          <section className="panel" aria-label="Rejections by reason">
            <h2>Rejections by reason</h2>
            {data.rejectedByReason.length === 0 ? (
              <p className="muted">No event has been rejected.</p>
            ) : (
              <div className="table-wrap">
                <table className="table wrap-table">
                  <thead>
                    <tr>
                      <th scope="col">Field</th>
                      <th scope="col">Reason</th>
                      <th scope="col" className="num">
                        Events
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.rejectedByReason.map((row) => (
                      <tr key={`${row.path}|${row.message}`}>
                        <td>
                          <code>{row.path}</code>
                        </td>
                        <td>{row.message}</td>
                        <td className="num">{formatCount(row.count)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section className="panel" aria-label="Changed on the way in">
            <h2>Changed on the way in</h2>
            <CollectorCounters counters={data.counters} />
          </section>
          <section className="panel" aria-label="Recent rejected events">
            <h2>Recent rejected events</h2>
            <RejectedEvents rejected={data.rejected} />
          </section>
          <section className="panel" aria-label="Trackers">
            <h2>Trackers</h2>
            {data.clients.length === 0 ? (
              <EmptyState title="No tracker has reported yet">
                Trackers report their drop counters with each batch they send.
              </EmptyState>
            ) : (
              <div className="table-wrap">
                <table className="table wrap-table">
                  <thead>
                    <tr>
                      <th scope="col">Instance</th>
                      <th scope="col" className="col-optional">
                        SDK
                      </th>
                      <th scope="col" className="col-optional">
                        Last seen
                      </th>
                      <th scope="col" className="num">
                        Dropped
                      </th>
                      <th scope="col" className="num col-optional">
                        Truncated
                      </th>
                      <th scope="col">Reasons</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.clients.map((client) => (
                      <tr
                        key={client.instanceId}
                        className={client.droppedEvents > 0 ? 'row-bad' : undefined}
                      >
                        <td>
                          <code className="small">{client.instanceId}</code>
                        </td>
                        <td className="col-optional">
                          {client.sdk}
                          {client.version ? <span className="muted"> {client.version}</span> : null}
                        </td>
                        <td className="col-optional" title={formatFullTime(client.lastSeenAt)}>
                          {formatRelative(client.lastSeenAt)}
                        </td>
                        <td className="num">
                          {client.droppedEvents > 0 ? (
                            <span className="error-count">{formatCount(client.droppedEvents)}</span>
                          ) : (
                            0
                          )}
                        </td>
                        <td className="num col-optional">{formatCount(client.payloadsTruncated)}</td>
                        <td className="small">
                          {Object.entries(client.reasons)
                            .map(([reason, count]) => `${reason}: ${count}`)
                            .join(', ') || <span className="muted">–</span>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      ) : null}
    </div>
  );
}

/** What the collector changed in events it stored (stored, not rejected), by kind: replaced text, redactions per rule. */
function CollectorCounters(props: { counters: IngestionHealth['counters'] }) {
  if (props.counters.length === 0) return <p className="muted">Every event was stored as sent.</p>;
  return (
    <div className="table-wrap">
      <table className="table wrap-table">
        <thead>
          <tr>
            <th scope="col">Change</th>
            <th scope="col" className="num">
              Count
            </th>
            <th scope="col">Last</th>
          </tr>
        </thead>
        <tbody>
          {props.counters.map((counter) => (
            <tr key={counter.name}>
              <td>{counterLabel(counter.name)}</td>
              <td className="num">{formatCount(counter.count)}</td>
              <td title={formatFullTime(counter.lastAt)}>{formatRelative(counter.lastAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
