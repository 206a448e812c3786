import { timelineTicks } from '../lib/timeline-scale.ts';
import { useElementWidth } from './use-element-width.ts';

/** Tick labels over the waterfall: round durations, as many as fit the track's width. */
export function TimelineAxis(props: { spanMs: number }) {
  const [ref, width] = useElementWidth<HTMLSpanElement>();
  const ticks = width > 0 ? timelineTicks(props.spanMs, width) : [];
  return (
    <span ref={ref} className="timeline-axis">
      {ticks.map((tick, index) => (
        <span
          key={tick.ms}
          className={`timeline-tick${index === 0 ? ' tick-start' : tick.at > 0.9 ? ' tick-end' : ''}`}
          style={{ left: `${tick.at * 100}%` }}
        >
          {tick.label}
        </span>
      ))}
    </span>
  );
}
