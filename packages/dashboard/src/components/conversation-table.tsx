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
import './curation.css';

/**
 * The primary table: one row per conversation; a row opens it (click, or Enter when focused). It fits
 * its container (the title column takes the room left and truncates; secondary columns hide on narrower
 * screens, their figures moving under the title), so errors and feedback are always in view.
 */
export function ConversationTable(props: {
  rows: ConversationSummary[];
  onCustomer?: (customerId: string) => void;
  busy?: boolean;
}) {
  return (
    <div className={`table-wrap${props.busy ? ' is-busy' : ''}`}>
      <table className="table fit-table conversations-table">
        <thead>
          <tr>
            <th scope="col" className="col-wide">
              Started
            </th>
            <th scope="col" className="col-wide">
              Customer
            </th>
            <th scope="col">Conversation</th>
            <th scope="col" className="col-optional col-roomy">
              Source
            </th>
            <th scope="col" className="num col-optional">
              Msgs
            </th>
            <th scope="col" className="num col-optional col-roomy">
              Tools
            </th>
            <th scope="col" className="num col-optional">
              Tokens
            </th>
            <th scope="col" className="num col-optional">
              Cost
            </th>
            <th scope="col" className="num col-optional">
              Duration
            </th>
            <th scope="col" className="num">
              Errors
            </th>
            <th scope="col" className="col-feedback">
              Feedback
            </th>
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
  const title = row.name ?? row.firstMessage;
  return (
    <tr
      className="clickable-row"
      tabIndex={0}
      data-conversation-id={row.id}
      aria-label={`Conversation ${title ?? row.id}`}
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
              <span className="cell-clip">{row.customerId}</span>
            </button>
          ) : (
            <span className="cell-clip" title={row.customerId}>
              {row.customerId}
            </span>
          )
        ) : (
          <span className="muted">–</span>
        )}
      </td>
      <td className="cell-title">
        <a href={`#${href}`} tabIndex={-1} className="row-link" title={title ?? row.id}>
          {row.marked ? (
            <span className="mark-star" role="img" aria-label="Marked">
              ★
            </span>
          ) : null}
          {title ? truncate(title, 90) : <span className="untitled">No messages</span>}
        </a>
        <span className="cell-sub" title={row.name && row.firstMessage ? row.firstMessage : row.id}>
          {row.name && row.firstMessage ? truncate(row.firstMessage, 80) : row.id}
          {row.environment !== 'production' ? <span className="env-tag">{row.environment}</span> : null}
        </span>
        <span className="cell-sub narrow-only">
          {[
            formatDateTime(row.startedAt),
            row.customerId,
            `${formatCount(row.messageCount)} msg${row.messageCount === 1 ? '' : 's'}`,
            formatCost(row.costUsd),
            formatDuration(row.durationMs),
          ]
            .filter(Boolean)
            .join(' · ')}
        </span>
      </td>
      <td className="col-optional col-roomy">
        {row.source ? (
          <span className="cell-clip cell-clip-short" title={row.source}>
            {row.source}
          </span>
        ) : (
          <span className="muted">–</span>
        )}
      </td>
      <td className="num col-optional">{formatCount(row.messageCount)}</td>
      <td className="num col-optional col-roomy">{formatCount(row.toolCallCount)}</td>
      <td className="num col-optional">{formatTokens(row.totalTokens)}</td>
      <td className="num col-optional">{formatCost(row.costUsd)}</td>
      <td className="num col-optional">{formatDuration(row.durationMs)}</td>
      <td className="num">
        <ErrorCount count={row.errorCount} />
      </td>
      <td className="col-feedback">
        <FeedbackSummary feedback={row.feedback} />
      </td>
    </tr>
  );
}
