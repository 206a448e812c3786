import { describe, expect, it } from 'vitest';
import { formatCost, formatCount, formatDuration, formatPercent, formatTokens } from './format.ts';

describe('formatting', () => {
  it('reads numbers and rates compactly', () => {
    expect([formatCount(1234), formatCount(1_234_567), formatCount(null)]).toEqual(['1,234', '1.2M', '–']);
    expect([formatTokens(9_999), formatTokens(12_345)]).toEqual(['9,999', '12.3K']);
    expect([formatPercent(0.0423), formatPercent(0.5), formatPercent(0.0001), formatPercent(0)]).toEqual([
      '4.2%',
      '50%',
      '<0.1%',
      '0%',
    ]);
    // Rounded before choosing the decimals: 9.96% is "10%", never "10.0%".
    expect([formatPercent(0.0996), formatPercent(0.0994), formatPercent(0.0006)]).toEqual([
      '10%',
      '9.9%',
      '0.1%',
    ]);
  });

  it('writes every cost in one format, and an unpriced call as "unpriced", not $0', () => {
    expect([
      formatCost(0),
      formatCost(0.00421),
      formatCost(0.001),
      formatCost(0.00002),
      formatCost(0.123),
      formatCost(12.5),
      formatCost(1234),
    ]).toEqual(['$0.00', '$0.0042', '$0.0010', '<$0.0001', '$0.12', '$12.50', '$1,234.00']);
    expect([formatCost(null), formatCost(undefined)]).toEqual(['unpriced', 'unpriced']);
    // Just under a cent rounds to a cent in the cents format, not to "$0.0100".
    expect([formatCost(0.00996), formatCost(0.00994)]).toEqual(['$0.01', '$0.0099']);
  });

  it('formats durations, carrying a rounding into the next unit (never "1m 60s")', () => {
    expect([
      formatDuration(12),
      formatDuration(2400),
      formatDuration(24_500),
      formatDuration(192_000),
      formatDuration(3_720_000),
      formatDuration(180_000_000),
    ]).toEqual(['12 ms', '2.40 s', '24.5 s', '3m 12s', '1h 2m', '2d 2h']);
    expect([
      formatDuration(999.6),
      formatDuration(9_996),
      formatDuration(59_960),
      formatDuration(119_600),
      formatDuration(3_599_600),
      formatDuration(172_799_000),
    ]).toEqual(['1.00 s', '10.0 s', '1m 0s', '2m 0s', '1h 0m', '2d 0h']);
    for (let ms = 0; ms < 4 * 3_600_000; ms += 997) {
      const text = formatDuration(ms);
      expect(text, `${ms} ms`).not.toMatch(/\b60s|\b60m|\b1000 ms|60\.0 s|10\.00 s/);
    }
  });
});
