import { formatDuration } from '../lib/format.ts';

/** Tick labels over the waterfall: 0, ¼, ½, ¾ and the whole span. */
export function TimelineAxis(props: { spanMs: number }) {
  return (
    <span className="timeline-axis">
      {[0, 0.25, 0.5, 0.75, 1].map((fraction) => (
        <span key={fraction} className="timeline-tick" style={{ left: `${fraction * 100}%` }}>
          {formatDuration(props.spanMs * fraction)}
        </span>
      ))}
    </span>
  );
}
