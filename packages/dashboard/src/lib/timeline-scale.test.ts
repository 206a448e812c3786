import { describe, expect, it } from 'vitest';
import { barLabelPlace, timelineTicks } from './timeline-scale.ts';

describe('timeline scale', () => {
  it('puts round ticks no closer than a label needs, fewer on a narrow track', () => {
    const wide = timelineTicks(865, 350);
    expect(wide.map((tick) => tick.label)).toEqual(['0 ms', '250 ms', '500 ms', '750 ms']);
    const narrow = timelineTicks(865, 150);
    expect(narrow.map((tick) => tick.label)).toEqual(['0 ms', '500 ms']);
    for (const ticks of [wide, narrow]) {
      const gaps = ticks.slice(1).map((tick, i) => (tick.at - ticks[i]!.at) * (ticks === wide ? 350 : 150));
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(72);
      expect(ticks.at(-1)!.at).toBeLessThanOrEqual(1);
    }
    expect(timelineTicks(100_000, 400).map((tick) => tick.label)).toEqual([
      '0 s',
      '20 s',
      '40 s',
      '60 s',
      '80 s',
      '100 s',
    ]);
  });

  it('labels a bar after it, before it, or inside it when it fills the track', () => {
    expect(barLabelPlace(0.1, 0.3)).toBe('after');
    expect(barLabelPlace(0.75, 0.99)).toBe('before');
    expect(barLabelPlace(0, 1)).toBe('inside');
  });
});
