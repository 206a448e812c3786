/**
 * The waterfall's time scale: round tick values (0, 200 ms, 400 ms… or 0 s, 30 s, 1 min…) as many as
 * fit the track's width without their labels touching, and where each bar's duration label goes
 * (after the bar, before it, or inside a bar that fills the track).
 */
import { niceScale, tickFormatter } from './axis-scale.ts';

/** Room a tick label needs ("865 ms", "1.5 min") with a gap. */
const TICK_ROOM_PX = 72;

export interface TimelineTick {
  /** Milliseconds since the first step started. */
  ms: number;
  /** Position on the track, 0 (left) to 1 (right). */
  at: number;
  label: string;
}

/** Ticks from 0 to at most `spanMs`, at least `TICK_ROOM_PX` apart on a track `widthPx` wide. */
export function timelineTicks(spanMs: number, widthPx: number): TimelineTick[] {
  const span = Math.max(1, spanMs);
  const intervals = Math.max(1, Math.floor(widthPx / TICK_ROOM_PX));
  const scale = niceScale(span, { duration: true, intervals });
  // The unit follows the span the track shows (865 ms reads in ms, although the scale's top is 1 s).
  const format = tickFormatter('duration', { ...scale, max: span });
  return scale.ticks
    .filter((ms) => ms <= span * (1 + 1e-9))
    .map((ms) => ({ ms, at: ms / span, label: format(ms) }));
}

/** Where a bar spanning [start, end] (fractions of the track) shows its duration label. */
export function barLabelPlace(start: number, end: number): 'after' | 'before' | 'inside' {
  if (end <= 0.7) return 'after';
  if (start >= 0.3) return 'before';
  return 'inside';
}
