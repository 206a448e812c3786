import type { ReactNode } from 'react';

/** A titled panel holding one chart. */
export function ChartCard(props: { title: string; subtitle?: string; children: ReactNode; wide?: boolean }) {
  return (
    <section className={`chart-card${props.wide ? ' chart-wide' : ''}`} aria-label={props.title}>
      <header>
        <h2>{props.title}</h2>
        {props.subtitle ? <span className="muted small">{props.subtitle}</span> : null}
      </header>
      {props.children}
    </section>
  );
}
