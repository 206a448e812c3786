import { useEffect, useRef, useState } from 'react';
import { FILTERED_ADD_MAX } from '../api/datasets-api.ts';
import { useApi } from '../api/use-api.ts';
import { AddToDatasetButton } from '../components/add-to-dataset.tsx';
import { ConversationFilterBar } from '../components/conversation-filters.tsx';
import { ConversationTable } from '../components/conversation-table.tsx';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { ExportControl } from '../components/export-control.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { Pager } from '../components/pager.tsx';
import {
  type ConversationFilters,
  describeFilters,
  filtersFromQuery,
  filtersToApiParams,
  filtersToListFilter,
  filtersToRoute,
} from '../lib/conversation-query.ts';
import { rememberListRoute } from '../lib/list-route.ts';
import { pageLabel } from '../lib/page-label.ts';
import { describeRange } from '../lib/time-range.ts';
import { navigate, useLocation } from '../router/hash-router.ts';
import { useSession } from '../session/session-context.tsx';

const PAGE_SIZE = 50;

/** Rows on the pages before this one: known when it was reached by paging, not from a shared link. */
function rowsBefore(onFirstPage: boolean, pagesBefore: number): number | null {
  if (onFirstPage) return 0;
  return pagesBefore > 0 ? pagesBefore * PAGE_SIZE : null;
}

/** Conversations, most recently active first, filtered and paged from the route. */
export function ConversationsPage() {
  const location = useLocation();
  const filters = filtersFromQuery(location.query);
  rememberListRoute(location.href);
  const { data, error, loading, reload } = useApi(
    (client, signal) => client.conversations(filtersToApiParams(filters, Date.now(), PAGE_SIZE), signal),
    [location.href],
  );
  // Cursors of the pages before this one, so "Previous" works without the API paging backwards.
  const [trail, setTrail] = useState<Array<string | undefined>>([]);
  const baseRoute = filtersToRoute({ ...filters, cursor: undefined });
  const lastBase = useRef(baseRoute);
  useEffect(() => {
    if (lastBase.current !== baseRoute) {
      lastBase.current = baseRoute;
      setTrail([]);
    }
  }, [baseRoute]);

  const go = (next: ConversationFilters, replace = false) => navigate(filtersToRoute(next), { replace });
  const withCursor = (cursor: string | undefined): ConversationFilters => {
    const next = { ...filters };
    if (cursor) next.cursor = cursor;
    else delete next.cursor;
    return next;
  };
  const rows = data?.data ?? [];
  const onFirstPage = !filters.cursor;
  // Admin keys fill datasets; read keys see no such control.
  const canManage = useSession().project?.scope === 'admin';

  return (
    <div className="page">
      <PageHeader
        title="Conversations"
        subtitle={`${describeRange(filters.range)} · most recently active first`}
        actions={
          <>
            {canManage ? (
              <AddToDatasetButton
                label="Add filtered to dataset"
                what={`Up to ${FILTERED_ADD_MAX} of the conversations these filters find, most recently active first: ${describeFilters(filters)}.`}
                target={() => ({ filter: filtersToListFilter(filters, Date.now()), max: FILTERED_ADD_MAX })}
              />
            ) : null}
            <ExportControl filters={filters} />
            <button type="button" className="button" onClick={reload} disabled={loading}>
              {loading ? 'Loading…' : 'Refresh'}
            </button>
          </>
        }
      />
      <ConversationFilterBar filters={filters} onChange={(next) => go(next, true)} />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {data && rows.length === 0 ? (
        <EmptyState title={onFirstPage ? 'No conversations match' : 'No more conversations'}>
          {onFirstPage
            ? 'Change the filters, or send events with a tracker (see the API docs).'
            : 'This page is past the end.'}
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <ConversationTable
          rows={rows}
          busy={loading}
          onCustomer={(customerId) => go({ ...withCursor(undefined), customerId })}
        />
      ) : null}
      {!data && loading ? (
        <p className="muted pad" role="status">
          Loading conversations…
        </p>
      ) : null}
      {data && (rows.length > 0 || !onFirstPage) ? (
        <Pager
          label={pageLabel({
            offset: rowsBefore(onFirstPage, trail.length),
            shown: rows.length,
            hasMore: data.nextCursor !== null,
          })}
          labelTitle="The total is not counted: on a large project, counting every match would scan the whole table."
          onFirst={
            onFirstPage
              ? undefined
              : () => {
                  setTrail([]);
                  go(withCursor(undefined));
                }
          }
          onPrevious={
            trail.length > 0
              ? () => {
                  const previous = trail[trail.length - 1];
                  setTrail(trail.slice(0, -1));
                  go(withCursor(previous));
                }
              : undefined
          }
          onNext={
            data.nextCursor
              ? () => {
                  setTrail([...trail, filters.cursor]);
                  go(withCursor(data.nextCursor ?? undefined));
                }
              : undefined
          }
        />
      ) : null}
    </div>
  );
}
