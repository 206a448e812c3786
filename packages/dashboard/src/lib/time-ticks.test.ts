import { describe, expect, it } from 'vitest';
import { evenTimeTicks } from './time-ticks.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const start = new Date(2026, 10, 26, 0, 0, 0).getTime(); // local midnight

const gaps = (ticks: number[]) => ticks.slice(1).map((t, i) => t - ticks[i]!);

describe('time axis ticks', () => {
  it('labels a week of days every day, or every other day when space is short, evenly', () => {
    const days = Array.from({ length: 8 }, (_, i) => start + i * DAY);
    expect(evenTimeTicks(days, 'day', 10)).toEqual(days);
    const fewer = evenTimeTicks(days, 'day', 5);
    expect(fewer).toHaveLength(4);
    expect(new Set(gaps(fewer))).toEqual(new Set([2 * DAY]));
    const month = Array.from({ length: 31 }, (_, i) => start + i * DAY);
    expect(new Set(gaps(evenTimeTicks(month, 'day', 6)))).toEqual(new Set([7 * DAY]));
  });

  it('labels hours on the clock (00:00, 06:00…), evenly, within the room there is', () => {
    const hours = Array.from({ length: 25 }, (_, i) => start + 5 * HOUR + i * HOUR); // 05:00 → 05:00
    const ticks = evenTimeTicks(hours, 'hour', 5);
    expect(ticks.length).toBeLessThanOrEqual(5);
    expect(new Set(gaps(ticks))).toEqual(new Set([6 * HOUR]));
    expect(ticks.map((t) => new Date(t).getHours())).toEqual([6, 12, 18, 0]);
    expect(evenTimeTicks(hours, 'hour', 30)).toEqual(hours);
  });

  it('never gives more labels than asked, even for long ranges', () => {
    const many = Array.from({ length: 800 }, (_, i) => start + i * DAY);
    expect(evenTimeTicks(many, 'day', 5).length).toBeLessThanOrEqual(5);
    expect(evenTimeTicks([], 'day', 5)).toEqual([]);
  });
});
