/**
 * Log-scale latency histograms: a duration falls in bin `floor(log(ms + 1) / log(1.05))`, so a
 * percentile read back from the bins is within 5% of the true value, and bins from many hours add up.
 */
const GROWTH = Math.log(1.05);

/** The bin a duration in milliseconds falls into. */
export function latencyBin(ms: number): number {
  return Math.floor(Math.log(Math.max(0, ms) + 1) / GROWTH);
}

/** The representative duration of a bin (its geometric middle), in milliseconds. */
export function binValue(bin: number): number {
  const low = Math.exp(bin * GROWTH) - 1;
  const high = Math.exp((bin + 1) * GROWTH) - 1;
  return Math.round(Math.sqrt(Math.max(low, 0.5) * high));
}

/** Percentile (0..1) of a histogram given as bin -> count, or null when it is empty. */
export function histogramPercentile(bins: Map<number, number>, percentile: number): number | null {
  let total = 0;
  for (const count of bins.values()) total += count;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(percentile * total));
  let seen = 0;
  for (const bin of [...bins.keys()].sort((a, b) => a - b)) {
    seen += bins.get(bin) ?? 0;
    if (seen >= rank) return binValue(bin);
  }
  return null;
}

/** Exact percentile (0..1) of a list of numbers, or null when it is empty. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? null;
}
