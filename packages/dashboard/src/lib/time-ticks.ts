/**
 * Which buckets of a time axis get a label: every k-th one, evenly spaced, k a round number of hours
 * (1, 2, 3, 4, 6, 12, 24: labels fall on the clock, 00:00, 06:00, 12:00…) or days (1, 2, 7, 14, 28…),
 * the smallest k that fits `maxLabels` labels.
 */

const HOUR_STEPS = [1, 2, 3, 4, 6, 12, 24, 48, 72, 168];
const DAY_STEPS = [1, 2, 7, 14, 28, 56, 91, 182, 364];

/** The bucket starts (ms) to label, from `times` (every bucket start, ascending, none missing). */
export function evenTimeTicks(times: readonly number[], bucket: 'hour' | 'day', maxLabels: number): number[] {
  if (times.length === 0) return [];
  const limit = Math.max(1, Math.floor(maxLabels));
  // Hour labels start on the clock (the first bucket at a multiple of the step, in local time).
  const hourOf = (index: number) => new Date(times[index]!).getHours();
  for (const step of bucket === 'hour' ? HOUR_STEPS : DAY_STEPS) {
    let first = 0;
    if (bucket === 'hour') {
      const align = Math.min(step, 24);
      while (first < times.length - 1 && first < step && hourOf(first) % align !== 0) first++;
    }
    const ticks = times.filter((_, index) => index >= first && (index - first) % step === 0);
    if (ticks.length <= limit) return ticks;
  }
  const step = Math.ceil(times.length / limit);
  return times.filter((_, index) => index % step === 0);
}
