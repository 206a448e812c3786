/** Tokens (input/output, stacked) and cost per model, as horizontal bars on a nice zero-based axis. */
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { ModelMetrics } from '../api/types.ts';
import { niceScale, tickFormatter } from '../lib/axis-scale.ts';
import { formatCost, formatTokens } from '../lib/format.ts';
import { COLORS } from './chart-colors.ts';

export function ModelUsageChart(props: { models: ModelMetrics[]; measure: 'tokens' | 'cost' }) {
  const data = props.models.slice(0, 10).map((m) => ({
    model: m.model,
    input: m.inputTokens,
    output: m.outputTokens,
    cost: m.costUsd,
  }));
  const height = Math.max(120, data.length * 34 + 40);
  const tokens = props.measure === 'tokens';
  const format = tokens ? (v: number) => formatTokens(v) : (v: number) => formatCost(v);
  const max = Math.max(0, ...data.map((m) => (tokens ? m.input + m.output : m.cost)));
  const scale = niceScale(max, tokens ? { integer: true } : { noQuarters: true, emptyMax: 0.01 });
  const tick = tickFormatter(tokens ? 'tokens' : 'cost', scale);
  return (
    <BarChart
      responsive
      layout="vertical"
      data={data}
      style={{ width: '100%', height }}
      margin={{ top: 4, right: 16, bottom: 0, left: 0 }}
    >
      <CartesianGrid stroke={COLORS.grid} horizontal={false} />
      <XAxis
        type="number"
        domain={[0, scale.max]}
        ticks={scale.ticks}
        interval={0}
        tickFormatter={tick}
        tick={{ fontSize: 11, fill: COLORS.axis }}
        tickLine={false}
        axisLine={false}
      />
      <YAxis
        type="category"
        dataKey="model"
        width={130}
        tick={{ fontSize: 11, fill: COLORS.axis }}
        tickLine={false}
        axisLine={false}
      />
      <Tooltip
        formatter={(value) => (typeof value === 'number' ? format(value) : '–')}
        contentStyle={{ fontSize: 12 }}
      />
      {tokens ? (
        <>
          <Legend iconSize={8} wrapperStyle={{ fontSize: 12 }} />
          <Bar
            dataKey="input"
            name="Input tokens"
            stackId="t"
            fill={COLORS.primary}
            isAnimationActive={false}
            barSize={16}
          />
          <Bar
            dataKey="output"
            name="Output tokens"
            stackId="t"
            fill={COLORS.secondary}
            isAnimationActive={false}
            barSize={16}
          />
        </>
      ) : (
        <Bar dataKey="cost" name="Cost" fill={COLORS.warm} isAnimationActive={false} barSize={16} />
      )}
    </BarChart>
  );
}
