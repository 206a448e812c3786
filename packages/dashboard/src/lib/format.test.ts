import { describe, expect, it } from 'vitest';
import { formatCost, formatCount, formatDuration, formatPercent, formatTokens } from './format.ts';

describe('formatting', () => {
  it('reads numbers, money, durations and rates compactly', () => {
    expect([formatCount(1234), formatCount(1_234_567), formatCount(null)]).toEqual(['1,234', '1.2M', '–']);
    expect([formatTokens(9_999), formatTokens(12_345)]).toEqual(['9,999', '12.3K']);
    expect([
      formatCost(0),
      formatCost(0.00421),
      formatCost(0.123),
      formatCost(12.5),
      formatCost(1234),
    ]).toEqual(['$0', '$0.0042', '$0.123', '$12.50', '$1,234']);
    expect([
      formatDuration(12),
      formatDuration(2400),
      formatDuration(192_000),
      formatDuration(3_720_000),
    ]).toEqual(['12 ms', '2.40 s', '3m 12s', '1h 2m']);
    expect([formatPercent(0.0423), formatPercent(0.5), formatPercent(0.0001), formatPercent(0)]).toEqual([
      '4.2%',
      '50%',
      '<0.1%',
      '0%',
    ]);
  });
});
