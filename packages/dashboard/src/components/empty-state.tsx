import type { ReactNode } from 'react';

/** What a view says when there is nothing to show, and what to do about it. */
export function EmptyState(props: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{props.title}</p>
      {props.children ? <div className="muted">{props.children}</div> : null}
    </div>
  );
}
