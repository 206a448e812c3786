import type { ReactNode } from 'react';

/** One headline figure with its label and an optional secondary line. */
export function StatCard(props: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  tone?: 'bad' | 'good';
}) {
  return (
    <div className={`stat-card${props.tone ? ` stat-${props.tone}` : ''}`}>
      <div className="stat-label">{props.label}</div>
      <div className="stat-value">{props.value}</div>
      {props.detail ? <div className="stat-detail">{props.detail}</div> : null}
    </div>
  );
}
