import type { ConversationSummary } from '../api/types.ts';
import {
  formatCost,
  formatCount,
  formatDateTime,
  formatDuration,
  formatFullTime,
  formatTokens,
  truncate,
} from '../lib/format.ts';
import { navigate, pathOf } from '../router/hash-router.ts';
import { ErrorCount, FeedbackSummary } from './badges.tsx';
import { onRowKeyDown } from './row-keys.ts';

/** The primary table: one row per conversation; a row opens it (click, or Enter when focused). */
export function ConversationTable(props: {
  rows: ConversationSummary[];
  onCustomer?: (customerId: string) => void;
  busy?: boolean;
}) {
  return (
    <div className={`table-wrap${props.busy ? ' is-busy' : ''}`}>
      <table className="table conversations-table">
        <thead>
          <tr>
            <th scope="col" className="col-wide">
              Started
            </th>
            <th scope="col" className="col-wide">
              Customer
            </th>
            <th scope="col">Conversation</th>
            <th scope="col" className="col-optional">
              Source
            </th>
            <th scope="col" className="num">
              Msgs
            </th>
            <th scope="col" className="num col-optional">
              Tools
            </th>
            <th scope="col" className="num col-optional">
              Tokens
            </th>
            <th scope="col" className="num">
              Cost
            </th>
            <th scope="col" className="num col-optional">
              Duration
            </th>
            <th scope="col" className="num">
              Errors
            </th>
            <th scope="col">Feedback</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <ConversationRow
              key={row.id}
              row={row}
              {...(props.onCustomer ? { onCustomer: props.onCustomer } : {})}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ConversationRow(props: { row: ConversationSummary; onCustomer?: (customerId: string) => void }) {
  const { row } = props;
  const href = pathOf('conversations', row.id);
  const open = () => navigate(href);
  const title = row.name ?? row.firstMessage ?? row.id;
  return (
    <tr
      className="clickable-row"
      tabIndex={0}
      data-conversation-id={row.id}
      aria-label={`Conversation ${title}`}
      onClick={(event) => {
        if ((event.target as HTMLElement).closest('a,button')) return;
        open();
      }}
      onKeyDown={(event) => onRowKeyDown(event, open)}
    >
      <td className="nowrap col-wide" title={formatFullTime(row.startedAt)}>
        {formatDateTime(row.startedAt)}
      </td>
      <td className="nowrap col-wide">
        {row.customerId ? (
          props.onCustomer ? (
            <button
              type="button"
              className="link-button"
              tabIndex={-1}
              title={`Only ${row.customerId}`}
              onClick={() => props.onCustomer?.(row.customerId!)}
            >
              {truncate(row.customerId, 24)}
            </button>
          ) : (
            truncate(row.customerId, 24)
          )
        ) : (
          <span className="muted">–</span>
        )}
      </td>
      <td className="cell-title">
        <a href={`#${href}`} tabIndex={-1} className="row-link">
          {truncate(title, 90)}
        </a>
        <span className="cell-sub">
          {row.name && row.firstMessage ? truncate(row.firstMessage, 80) : row.id}
          {row.environment !== 'production' ? <span className="env-tag">{row.environment}</span> : null}
        </span>
        <span className="cell-sub narrow-only">
          {formatDateTime(row.startedAt)}
          {row.customerId ? ` · ${row.customerId}` : ''}
        </span>
      </td>
      <td className="col-optional">{row.source ?? <span className="muted">–</span>}</td>
      <td className="num">{formatCount(row.messageCount)}</td>
      <td className="num col-optional">{formatCount(row.toolCallCount)}</td>
      <td className="num col-optional">{formatTokens(row.totalTokens)}</td>
      <td className="num">{formatCost(row.costUsd)}</td>
      <td className="num col-optional">{formatDuration(row.durationMs)}</td>
      <td className="num">
        <ErrorCount count={row.errorCount} />
      </td>
      <td>
        <FeedbackSummary feedback={row.feedback} />
      </td>
    </tr>
  );
}
