/**
 * Value axes that read right: a "nice" scale from zero to just above the data (steps of 1, 2, 2.5 or
 * 5 × 10ⁿ, or whole time units, so the top stays well within 2× the largest value: never 0–400% for
 * 2% data), and tick labels
 * that share one precision per axis ("0.0 s, 2.5 s, 5.0 s", "$0.00, $0.50, $1.00", "0%, 1%, 2%").
 */

export interface AxisScale {
  /** Top of the axis (the bottom is 0). */
  max: number;
  /** Tick values from 0 to `max`, evenly spaced. */
  ticks: number[];
  step: number;
}

export type AxisKind = 'count' | 'tokens' | 'percent' | 'cost' | 'duration';

const NICE = [1, 2, 2.5, 5, 10];
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Steps of a duration axis (ms): round numbers of milliseconds, seconds, minutes, hours and days. */
const DURATION_STEPS = [
  ...[1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500],
  ...[1, 2, 2.5, 5, 10, 15, 20, 30].map((n) => n * SECOND),
  ...[1, 2, 3, 5, 10, 15, 20, 30].map((n) => n * MINUTE),
  ...[1, 2, 3, 6, 12].map((n) => n * HOUR),
  ...[1, 2, 5, 7, 10, 14, 30].map((n) => n * DAY),
];

/**
 * A zero-based scale covering `dataMax` with about `intervals` steps (at most that many + 1).
 * `integer` keeps steps whole (counts); `duration` picks steps of whole time units; `emptyMax` is
 * the top when there is no data above zero.
 */
export function niceScale(
  dataMax: number,
  options: {
    intervals?: number;
    integer?: boolean;
    duration?: boolean;
    /** Steps of 1, 2 or 5 × 10ⁿ only (money: a tick of $0.025 would not read in cents). */
    noQuarters?: boolean;
    emptyMax?: number;
  } = {},
): AxisScale {
  const intervals = options.intervals ?? 4;
  const top = Number.isFinite(dataMax) && dataMax > 0 ? dataMax : (options.emptyMax ?? 1);
  const raw = top / intervals;
  let step: number;
  if (options.duration && raw <= DAY * 30) {
    step = DURATION_STEPS.find((candidate) => candidate >= raw) ?? DAY * 30;
  } else {
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    const nice = options.noQuarters ? NICE.filter((n) => n !== 2.5) : NICE;
    step = (nice.find((n) => n * magnitude >= raw * (1 - 1e-9)) ?? 10) * magnitude;
  }
  if (options.integer && step < 1) step = 1;
  if (options.integer && step === 2.5) step = 2; // 2.5 is not whole: 2 keeps the top within 2x
  const count = Math.max(1, Math.ceil(top / step - 1e-9));
  const ticks = Array.from({ length: count + 1 }, (_, index) => roundTo(index * step, step));
  return { max: ticks[ticks.length - 1]!, ticks, step };
}

/** The formatter of an axis's tick labels: one precision for every label of the axis. */
export function tickFormatter(kind: AxisKind, scale: AxisScale): (value: number) => string {
  switch (kind) {
    case 'percent': {
      const decimals = decimalsOf(scale.step * 100);
      return (value) => `${(value * 100).toFixed(decimals)}%`;
    }
    case 'cost': {
      // As formatCost writes amounts: cents, or four decimals below a cent.
      const decimals = Math.max(scale.step < 0.01 ? 4 : 2, decimalsOf(scale.step));
      return (value) =>
        `$${value.toLocaleString('en', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })}`;
    }
    case 'duration':
      return durationTicks(scale);
    case 'tokens':
    case 'count': {
      const compact = scale.max >= 10_000;
      const format = new Intl.NumberFormat('en', compact ? { notation: 'compact' } : {});
      return (value) => format.format(value);
    }
  }
}

function durationTicks(scale: AxisScale): (value: number) => string {
  // The unit changes only when its steps are whole ("0 s, 30 s … 120 s", not "0.0 min, 0.5 min").
  const [unit, size]: [string, number] =
    scale.max >= 3 * DAY
      ? ['d', DAY]
      : scale.max >= 3 * HOUR
        ? ['h', HOUR]
        : scale.max >= 5 * MINUTE
          ? ['min', MINUTE]
          : scale.max >= SECOND
            ? ['s', SECOND]
            : ['ms', 1];
  const decimals = decimalsOf(scale.step / size);
  return (value) => `${(value / size).toFixed(decimals)} ${unit}`;
}

/** Decimals needed to write multiples of `step` exactly (0.25 -> 2, 2.5 -> 1, 50 -> 0). */
export function decimalsOf(step: number): number {
  for (let decimals = 0; decimals < 10; decimals++) {
    const scaled = step * 10 ** decimals;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return decimals;
  }
  return 10;
}

function roundTo(value: number, step: number): number {
  const decimals = decimalsOf(step);
  return Number(value.toFixed(Math.min(20, decimals + 2)));
}
