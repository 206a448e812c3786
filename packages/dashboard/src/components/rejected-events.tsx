import { useState } from 'react';
import type { IngestionHealth } from '../api/types.ts';
import { formatFullTime, formatRelative } from '../lib/format.ts';
import { JsonView } from './json-view.tsx';

/** The most recent rejected events: when, which field, why, and the sample the collector kept. */
export function RejectedEvents(props: { rejected: IngestionHealth['rejected'] }) {
  const [open, setOpen] = useState<number | null>(null);
  if (props.rejected.length === 0) return <p className="muted">Nothing rejected recently.</p>;
  return (
    <ul className="rejected-list">
      {props.rejected.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rejections have no id of their own
        <li key={index} className="rejected-item">
          <button
            type="button"
            className="rejected-toggle"
            aria-expanded={open === index}
            onClick={() => setOpen(open === index ? null : index)}
          >
            <span aria-hidden="true">{open === index ? '▾' : '▸'}</span>
            <span className="muted nowrap" title={formatFullTime(item.at)}>
              {formatRelative(item.at)}
            </span>
            <code>{item.path}</code>
            <span>{item.message}</span>
          </button>
          {open === index ? (
            <div className="rejected-body">
              <p className="small">
                Event id: <code>{item.eventId ?? 'unreadable'}</code>
              </p>
              {item.sample ? (
                <JsonView value={item.sample} openDepth={3} label="Sample" />
              ) : (
                <p className="muted small">No sample kept.</p>
              )}
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
