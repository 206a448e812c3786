/**
 * A time-series chart over metric buckets (recharts): lines, bars or areas, optionally stacked,
 * with an optional second axis. Labels follow the bucket (hour -> "14:00", day -> "Nov 23").
 */
import { Area, Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
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

export function SeriesChart<Row extends { t: string }>(props: {
  rows: Row[];
  bucket: 'hour' | 'day';
  series: Array<SeriesSpec<Row>>;
  format?: (value: number) => string;
  rightFormat?: (value: number) => string;
  height?: number;
}) {
  const data = props.rows.map((row) => {
    const point: Record<string, number | string | null> = { t: Date.parse(row.t) };
    for (const spec of props.series) point[spec.key] = spec.value(row);
    return point;
  });
  const format = props.format ?? ((value: number) => value.toLocaleString('en'));
  const tick = (value: number) => (props.bucket === 'hour' ? hourLabel : dayLabel).format(new Date(value));
  const hasRight = props.series.some((spec) => spec.axis === 'right');
  const byKey = new Map(props.series.map((spec) => [spec.key, spec]));
  return (
    <ComposedChart
      responsive
      data={data}
      style={{ width: '100%', height: props.height ?? 220 }}
      margin={{ top: 8, right: hasRight ? 0 : 8, bottom: 0, left: 0 }}
    >
      <CartesianGrid stroke={COLORS.grid} vertical={false} />
      <XAxis
        dataKey="t"
        type="category"
        tickFormatter={tick}
        tick={{ fontSize: 11, fill: COLORS.axis }}
        tickLine={false}
        axisLine={false}
        minTickGap={24}
      />
      <YAxis
        yAxisId="left"
        width={52}
        tickFormatter={format}
        tick={{ fontSize: 11, fill: COLORS.axis }}
        tickLine={false}
        axisLine={false}
        allowDecimals={false}
      />
      {hasRight ? (
        <YAxis
          yAxisId="right"
          orientation="right"
          width={52}
          tickFormatter={props.rightFormat ?? format}
          tick={{ fontSize: 11, fill: COLORS.axis }}
          tickLine={false}
          axisLine={false}
        />
      ) : null}
      <Tooltip
        labelFormatter={(value) => fullLabel.format(new Date(Number(value)))}
        formatter={(value, name) => {
          const spec = [...byKey.values()].find((s) => s.label === name);
          const f = spec?.axis === 'right' ? (props.rightFormat ?? format) : format;
          return typeof value === 'number' ? f(value) : '–';
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
        if (spec.kind === 'bar') return <Bar key={spec.key} {...common} fill={spec.color} maxBarSize={28} />;
        if (spec.kind === 'area')
          return (
            <Area
              key={spec.key}
              {...common}
              type="monotone"
              stroke={spec.color}
              fill={spec.color}
              fillOpacity={0.15}
              strokeWidth={2}
            />
          );
        return (
          <Line
            key={spec.key}
            {...common}
            type="monotone"
            stroke={spec.color}
            strokeWidth={2}
            dot={false}
            connectNulls
          />
        );
      })}
    </ComposedChart>
  );
}
