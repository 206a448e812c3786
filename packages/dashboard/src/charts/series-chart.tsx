/**
 * A time-series chart over metric buckets (recharts): lines, bars or areas, optionally stacked, with
 * an optional second axis. Values are drawn as they are (straight segments between buckets, so a
 * curve never passes above or below the data); each value axis runs from zero to a nice step just
 * above its data (axis-scale.ts); the time axis labels evenly spaced buckets, as many as fit.
 */
import { Area, Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { useElementWidth } from '../components/use-element-width.ts';
import { type AxisKind, niceScale, tickFormatter } from '../lib/axis-scale.ts';
import { formatCost, formatCount, formatDuration, formatPercent, formatTokens } from '../lib/format.ts';
import { evenTimeTicks } from '../lib/time-ticks.ts';
import { COLORS } from './chart-colors.ts';

export interface SeriesSpec<Row> {
  key: string;
  label: string;
  color: string;
  kind: 'line' | 'bar' | 'area';
  value: (row: Row) => number | null;
  stack?: string;
  axis?: 'left' | 'right';
}

const hourLabel = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', hour12: false });
const dayLabel = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric' });
const fullLabel = new Intl.DateTimeFormat('en', {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

const AXIS_WIDTH = 56;
/** Room a time label needs ("Nov 26", "14:00") with a gap either side. */
const LABEL_ROOM = { hour: 46, day: 52 } as const;
/** Above this many buckets, points are not marked (the line alone reads better). */
const MAX_DOTS = 48;

const VALUE_FORMAT: Record<AxisKind, (value: number) => string> = {
  count: formatCount,
  tokens: formatTokens,
  percent: formatPercent,
  cost: formatCost,
  duration: formatDuration,
};

const EMPTY_MAX: Record<AxisKind, number> = {
  count: 1,
  tokens: 1,
  percent: 0.01,
  cost: 0.01,
  duration: 1000,
};

/** The scale of one value axis over the series drawn on it (stacked series summed per bucket). */
function axisScale<Row>(rows: Row[], series: Array<SeriesSpec<Row>>, kind: AxisKind) {
  let max = 0;
  for (const row of rows) {
    const stacks = new Map<string, number>();
    for (const spec of series) {
      const value = spec.value(row) ?? 0;
      if (spec.stack) stacks.set(spec.stack, (stacks.get(spec.stack) ?? 0) + value);
      else max = Math.max(max, value);
    }
    for (const sum of stacks.values()) max = Math.max(max, sum);
  }
  const scale = niceScale(max, {
    integer: kind === 'count' || kind === 'tokens',
    duration: kind === 'duration',
    noQuarters: kind === 'cost',
    emptyMax: EMPTY_MAX[kind],
  });
  return { scale, format: tickFormatter(kind, scale) };
}

export function SeriesChart<Row extends { t: string }>(props: {
  rows: Row[];
  bucket: 'hour' | 'day';
  series: Array<SeriesSpec<Row>>;
  /** What the left axis measures (default count); `rightAxis` for series with `axis: 'right'`. */
  axis?: AxisKind;
  rightAxis?: AxisKind;
  height?: number;
}) {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const leftKind = props.axis ?? 'count';
  const rightKind = props.rightAxis ?? leftKind;
  const leftSeries = props.series.filter((spec) => spec.axis !== 'right');
  const rightSeries = props.series.filter((spec) => spec.axis === 'right');
  const left = axisScale(props.rows, leftSeries, leftKind);
  const right = rightSeries.length > 0 ? axisScale(props.rows, rightSeries, rightKind) : null;

  const times = props.rows.map((row) => Date.parse(row.t));
  const data = props.rows.map((row, index) => {
    const point: Record<string, number | null> = { t: times[index]! };
    for (const spec of props.series) point[spec.key] = spec.value(row);
    return point;
  });
  const plotWidth = width - AXIS_WIDTH - (right ? AXIS_WIDTH : 8);
  const xTicks = evenTimeTicks(times, props.bucket, plotWidth / LABEL_ROOM[props.bucket]);
  const spansDays = times.length > 0 && times[times.length - 1]! - times[0]! >= 86_400_000;
  const timeTick = (value: number) => {
    const date = new Date(value);
    if (props.bucket === 'day') return dayLabel.format(date);
    return spansDays && date.getHours() === 0 ? dayLabel.format(date) : hourLabel.format(date);
  };
  const byLabel = new Map(props.series.map((spec) => [spec.label, spec]));
  const showDots = props.rows.length <= MAX_DOTS;

  return (
    <div ref={ref} className="series-chart">
      <ComposedChart
        responsive
        data={data}
        style={{ width: '100%', height: props.height ?? 220 }}
        margin={{ top: 8, right: right ? 0 : 8, bottom: 0, left: 0 }}
      >
        <CartesianGrid stroke={COLORS.grid} vertical={false} />
        <XAxis
          dataKey="t"
          type="category"
          ticks={xTicks}
          interval={0}
          tickFormatter={timeTick}
          tick={{ fontSize: 11, fill: COLORS.axis }}
          tickLine={false}
          axisLine={false}
        />
        <YAxis
          yAxisId="left"
          width={AXIS_WIDTH}
          domain={[0, left.scale.max]}
          ticks={left.scale.ticks}
          interval={0}
          tickFormatter={left.format}
          tick={{ fontSize: 11, fill: COLORS.axis }}
          tickLine={false}
          axisLine={false}
        />
        {right ? (
          <YAxis
            yAxisId="right"
            orientation="right"
            width={AXIS_WIDTH}
            domain={[0, right.scale.max]}
            ticks={right.scale.ticks}
            interval={0}
            tickFormatter={right.format}
            tick={{ fontSize: 11, fill: COLORS.axis }}
            tickLine={false}
            axisLine={false}
          />
        ) : null}
        <Tooltip
          labelFormatter={(value) => fullLabel.format(new Date(Number(value)))}
          formatter={(value, name) => {
            const spec = byLabel.get(String(name));
            const kind = spec?.axis === 'right' ? rightKind : leftKind;
            return typeof value === 'number' ? VALUE_FORMAT[kind](value) : '–';
          }}
          contentStyle={{ fontSize: 12, borderRadius: 6 }}
        />
        {props.series.length > 1 ? <Legend iconSize={8} wrapperStyle={{ fontSize: 12 }} /> : null}
        {props.series.map((spec) => {
          const common = {
            dataKey: spec.key,
            name: spec.label,
            yAxisId: spec.axis ?? 'left',
            isAnimationActive: false,
            ...(spec.stack ? { stackId: spec.stack } : {}),
          };
          const dot = showDots ? { r: 2.5, fill: spec.color, strokeWidth: 0 } : false;
          if (spec.kind === 'bar')
            return <Bar key={spec.key} {...common} fill={spec.color} maxBarSize={28} />;
          if (spec.kind === 'area')
            return (
              <Area
                key={spec.key}
                {...common}
                type="linear"
                stroke={spec.color}
                fill={spec.color}
                fillOpacity={0.15}
                strokeWidth={2}
                dot={dot}
              />
            );
          return (
            <Line
              key={spec.key}
              {...common}
              type="linear"
              stroke={spec.color}
              strokeWidth={2}
              dot={dot}
              connectNulls
            />
          );
        })}
      </ComposedChart>
    </div>
  );
}
