/** Tokens (input/output, stacked) and cost per model, as horizontal bars. */
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { ModelMetrics } from '../api/types.ts';
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
  const format = props.measure === 'tokens' ? (v: number) => formatTokens(v) : (v: number) => formatCost(v);
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
        tickFormatter={format}
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
      {props.measure === 'tokens' ? (
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
