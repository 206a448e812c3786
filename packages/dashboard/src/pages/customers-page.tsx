import { useState } from 'react';
import { useApi } from '../api/use-api.ts';
import { DeleteCustomerButton, useCustomerErasure } from '../components/customer-erasure.tsx';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { Pager } from '../components/pager.tsx';
import { RangeSelect } from '../components/range-select.tsx';
import { onRowKeyDown } from '../components/row-keys.ts';
import { TextFilter } from '../components/text-filter.tsx';
import {
  formatCost,
  formatCount,
  formatDateTime,
  formatFullTime,
  formatRelative,
  formatTokens,
} from '../lib/format.ts';
import {
  describeRange,
  rangeFromQuery,
  rangeToQuery,
  resolveRange,
  type TimeRange,
} from '../lib/time-range.ts';
import { navigate, routeTo, useLocation } from '../router/hash-router.ts';
import { useSession } from '../session/session-context.tsx';

const DEFAULT_RANGE = 'all';

/** Customers with their conversations, usage and cost; a row opens that customer's conversations. */
export function CustomersPage() {
  const location = useLocation();
  const range = rangeFromQuery(location.query, DEFAULT_RANGE);
  const search = location.query.get('search') ?? undefined;
  const cursor = location.query.get('cursor') ?? undefined;
  const [trail, setTrail] = useState<Array<string | undefined>>([]);
  const { data, error, loading, reload } = useApi(
    (client, signal) =>
      client.customers({ ...resolveRange(range, Date.now()), search, cursor, limit: 50 }, signal),
    [location.href],
  );
  const go = (next: { range?: TimeRange; search?: string | undefined; cursor?: string | undefined }) => {
    navigate(
      routeTo('/customers', {
        ...rangeToQuery(next.range ?? range, DEFAULT_RANGE),
        search: 'search' in next ? next.search : search,
        cursor: next.cursor,
      }),
      { replace: true },
    );
  };
  const openCustomer = (customerId: string) =>
    navigate(routeTo('/conversations', { customerId, ...rangeToQuery(range, 'all') }));
  const rows = data?.data ?? [];
  // Admin keys may delete a customer (right to erasure); read keys see no such control.
  const canManage = useSession().project?.scope === 'admin';
  const erasure = useCustomerErasure(reload);

  return (
    <div className="page">
      <PageHeader
        title="Customers"
        subtitle={`${describeRange(range)} · most recently seen first`}
        actions={
          <>
            <TextFilter
              label="Customer"
              className="field-inline"
              placeholder="Search ids…"
              value={search}
              onCommit={(value) => {
                setTrail([]);
                go({ search: value });
              }}
            />
            <RangeSelect
              value={range}
              allowAll
              onChange={(r) => {
                setTrail([]);
                go({ range: r });
              }}
            />
          </>
        }
      />
      {erasure.view}
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {data && rows.length === 0 ? <EmptyState title="No customers match" /> : null}
      {rows.length > 0 ? (
        <div className={`table-wrap${loading ? ' is-busy' : ''}`}>
          <table className="table fit-table">
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col" className="num">
                  Conversations
                </th>
                <th scope="col" className="num col-optional">
                  Messages
                </th>
                <th scope="col" className="num col-optional">
                  Tool calls
                </th>
                <th scope="col" className="num">
                  Errors
                </th>
                <th scope="col" className="num col-optional">
                  Tokens
                </th>
                <th scope="col" className="num">
                  Cost
                </th>
                <th scope="col" className="col-optional">
                  First seen
                </th>
                <th scope="col" className="col-optional">
                  Last seen
                </th>
                {canManage ? (
                  <th scope="col" className="col-optional">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr
                  key={row.customerId}
                  tabIndex={0}
                  className="clickable-row"
                  aria-label={`Customer ${row.customerId}`}
                  onClick={() => openCustomer(row.customerId)}
                  onKeyDown={(event) => onRowKeyDown(event, () => openCustomer(row.customerId))}
                >
                  <td className="cell-title">
                    <span title={row.customerId}>{row.customerId}</span>
                    <span className="cell-sub narrow-only">
                      {formatCount(row.messages)} messages · seen {formatRelative(row.lastSeenAt)}
                    </span>
                    {canManage ? (
                      <span className="cell-sub narrow-only">
                        <DeleteCustomerButton customer={row} onClick={() => erasure.ask(row)} />
                      </span>
                    ) : null}
                  </td>
                  <td className="num">{formatCount(row.conversations)}</td>
                  <td className="num col-optional">{formatCount(row.messages)}</td>
                  <td className="num col-optional">{formatCount(row.toolCalls)}</td>
                  <td className="num">
                    {row.errors > 0 ? <span className="error-count">{row.errors}</span> : 0}
                  </td>
                  <td className="num col-optional">{formatTokens(row.inputTokens + row.outputTokens)}</td>
                  <td className="num">{formatCost(row.costUsd)}</td>
                  <td className="col-optional nowrap" title={formatFullTime(row.firstSeenAt)}>
                    {formatDateTime(row.firstSeenAt)}
                  </td>
                  <td className="col-optional nowrap" title={formatFullTime(row.lastSeenAt)}>
                    {formatRelative(row.lastSeenAt)}
                  </td>
                  {canManage ? (
                    <td className="cell-action col-optional">
                      <DeleteCustomerButton customer={row} onClick={() => erasure.ask(row)} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data && (rows.length > 0 || cursor) ? (
        <Pager
          onFirst={
            cursor
              ? () => {
                  setTrail([]);
                  go({ cursor: undefined });
                }
              : undefined
          }
          onPrevious={
            trail.length > 0
              ? () => {
                  setTrail(trail.slice(0, -1));
                  go({ cursor: trail[trail.length - 1] });
                }
              : undefined
          }
          onNext={
            data.nextCursor
              ? () => {
                  setTrail([...trail, cursor]);
                  go({ cursor: data.nextCursor ?? undefined });
                }
              : undefined
          }
        />
      ) : null}
    </div>
  );
}
