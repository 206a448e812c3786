import { describe, expect, it } from 'vitest';
import { decimalsOf, niceScale, tickFormatter } from './axis-scale.ts';

const labels = (kind: Parameters<typeof tickFormatter>[0], dataMax: number, options = {}) => {
  const scale = niceScale(dataMax, options);
  return scale.ticks.map(tickFormatter(kind, scale));
};

describe('axis scales', () => {
  it('ends just above the data: within 2x of the largest value, whatever its size', () => {
    for (const max of [0.0007, 0.02, 0.022, 0.37, 1, 3, 7, 9.5, 13, 99, 101, 480, 26_400, 4.2e6]) {
      for (const integer of [false, true]) {
        const scale = niceScale(max, { integer });
        expect(scale.max, `${max}`).toBeGreaterThanOrEqual(max);
        expect(scale.max, `${max}`).toBeLessThanOrEqual(Math.max(2 * max, integer ? 1 : 0));
        expect(scale.ticks.length).toBeLessThanOrEqual(6);
        expect(scale.ticks[0]).toBe(0);
      }
    }
    for (const max of [450, 2_400, 14_000, 119_600, 600_000, 5_400_000, 3 * 86_400_000]) {
      const scale = niceScale(max, { duration: true });
      expect(scale.max, `${max}`).toBeGreaterThanOrEqual(max);
      expect(scale.max, `${max}`).toBeLessThanOrEqual(2 * max);
    }
  });

  it('keeps counts whole and covers an empty series with a small axis', () => {
    expect(niceScale(3, { integer: true }).ticks).toEqual([0, 1, 2, 3]);
    expect(niceScale(0, { integer: true }).ticks).toEqual([0, 1]);
    expect(niceScale(0, { emptyMax: 0.01 }).max).toBe(0.01);
  });

  it('writes every label of an axis with one precision', () => {
    expect(labels('percent', 0.022)).toEqual(['0%', '1%', '2%', '3%']);
    expect(labels('percent', 0.018)).toEqual(['0.0%', '0.5%', '1.0%', '1.5%', '2.0%']);
    expect(labels('percent', 0.37)).toEqual(['0%', '10%', '20%', '30%', '40%']);
    expect(labels('cost', 1.5, { noQuarters: true })).toEqual(['$0.00', '$0.50', '$1.00', '$1.50']);
    expect(labels('cost', 0.0054, { noQuarters: true })).toEqual([
      '$0.0000',
      '$0.0020',
      '$0.0040',
      '$0.0060',
    ]);
    expect(labels('cost', 0.09, { noQuarters: true })).toEqual(['$0.00', '$0.05', '$0.10']);
    expect(labels('duration', 14_000, { duration: true })).toEqual(['0 s', '5 s', '10 s', '15 s']);
    expect(labels('duration', 9_000, { duration: true })).toEqual([
      '0.0 s',
      '2.5 s',
      '5.0 s',
      '7.5 s',
      '10.0 s',
    ]);
    expect(labels('duration', 600_000, { duration: true })).toEqual([
      '0 min',
      '3 min',
      '6 min',
      '9 min',
      '12 min',
    ]);
    expect(labels('count', 26_400, { integer: true })).toEqual(['0', '10K', '20K', '30K']);
    expect(labels('duration', 119_600, { duration: true })).toEqual(['0 s', '30 s', '60 s', '90 s', '120 s']);
    expect(labels('duration', 2.5 * 3_600_000, { duration: true })).toEqual(['0 h', '1 h', '2 h', '3 h']);
    expect(labels('duration', 100 * 60_000, { duration: true })).toEqual([
      '0 min',
      '30 min',
      '60 min',
      '90 min',
      '120 min',
    ]);
    expect(decimalsOf(0.25)).toBe(2);
  });
});
