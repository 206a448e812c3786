/**
 * The review queue: conversations with negative customer feedback, a failed step or a tripped
 * guardrail that no one has marked reviewed yet, most recently active first, each with why it is here.
 * Opening one shows it in review mode (`#/review/<id>`), where an admin key marks it reviewed.
 */
import { REVIEW_PAGE_SIZE, reviewQueue } from '../api/review-api.ts';
import { useApi } from '../api/use-api.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { LoadedReviewReasons } from '../components/review-reasons-badges.tsx';
import { formatRelative, truncate } from '../lib/format.ts';
import { pathOf } from '../router/hash-router.ts';

/** How many are waiting, in words ("50+" when there are more than a page). */
export function queueCount(shown: number, more: boolean): string {
  if (shown === 0) return 'Nothing to review';
  const count = more ? `${REVIEW_PAGE_SIZE}+` : String(shown);
  return `${count} conversation${shown === 1 && !more ? '' : 's'} to review`;
}

/** The review page: the queue, or that it is empty. */
export function ReviewPage() {
  const { data, error, loading, reload } = useApi((client, signal) => reviewQueue(client, signal), []);
  const rows = data?.data ?? [];
  return (
    <div className="page">
      <PageHeader
        title="Review"
        subtitle={data ? queueCount(rows.length, data.nextCursor !== null) : 'Loading the queue…'}
        actions={
          <button type="button" className="button" onClick={reload} disabled={loading}>
            {loading ? 'Loading…' : 'Refresh'}
          </button>
        }
      />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {data && rows.length === 0 ? (
        <EmptyState title="The review queue is empty">
          Conversations with negative feedback, an error or a blocked run show up here until someone marks
          them reviewed.
        </EmptyState>
      ) : null}
      <ul className="review-list" aria-label="Review queue">
        {rows.map((row) => (
          <li key={row.id} className="panel review-item">
            <a className="review-item-title" href={`#${pathOf('review', row.id)}`}>
              {truncate(row.name ?? row.firstMessage ?? row.id, 120)}
            </a>
            <LoadedReviewReasons id={row.id} />
            <span className="muted small">
              {row.customerId ? `${row.customerId} · ` : ''}
              {formatRelative(row.lastActivityAt)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
