/**
 * Statistics and table rows for bench/agents/overhead.ts: per-run latency samples (wall clock) and CPU
 * per block, compared with the anchor variant measured in the same rounds.
 */

/**
 * What one variant measured: run latencies and the CPU used during each run in ms (in round order), and
 * process CPU in µs over `cpuRuns` runs including background work.
 */
export interface VariantSamples {
  name: string;
  latencies: number[];
  runCpu: number[];
  cpuMicros: number;
  cpuRuns: number;
}

/** The q-quantile (0..1) of samples, by rank. */
export function quantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/**
 * The p50 ratio to the anchor in each of `segments` consecutive parts of the run (each part holds the
 * same rounds for both), sorted: its spread shows how much the machine's load moved the figure.
 */
export function segmentRatios(variant: readonly number[], anchor: readonly number[], segments = 5): number[] {
  const size = Math.floor(Math.min(variant.length, anchor.length) / segments);
  const ratios: number[] = [];
  for (let index = 0; index < segments; index += 1) {
    const part = (list: readonly number[]) => list.slice(index * size, (index + 1) * size);
    ratios.push(quantile(part(variant), 0.5) / quantile(part(anchor), 0.5));
  }
  return ratios.sort((a, b) => a - b);
}

/**
 * The median over runs of (variant run / anchor run), pairing the i-th run of each: the same input, on
 * a session of the same history length, in the same round. Each pair shares what makes runs differ
 * (history length, machine load of that moment), so this is the steadier estimate of per-run overhead.
 */
export function pairedRatio(variant: readonly number[], anchor: readonly number[]): number {
  const count = Math.min(variant.length, anchor.length);
  const ratios = Array.from({ length: count }, (_, index) => (variant[index] ?? 0) / (anchor[index] ?? 1));
  return quantile(ratios, 0.5);
}

const ms = (value: number) => `${value.toFixed(3)} ms`;
const pct = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`;

/**
 * Markdown rows: latency quantiles, the p50 ratio (with its spread over segments) and CPU per run.
 * `runCpu`: show the CPU used during each run (meaningful only when runs never wait: otherwise other
 * variants' background work, done while a run waits, is counted in it).
 */
export function latencyTable(results: readonly VariantSamples[], runCpu = true): string[] {
  const anchor = results[0] as VariantSamples;
  const anchorP50 = quantile(anchor.latencies, 0.5);
  const anchorRunCpu = quantile(anchor.runCpu, 0.5);
  const anchorCpu = anchor.cpuMicros / anchor.cpuRuns;
  const rows = [
    '| variant | p50 | p95 | p99 | mean | p50 vs anchor | spread over 5 segments | paired: median of run / anchor run | CPU in the run, p50 vs anchor | CPU per run with background work | vs anchor |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const variant of results) {
    const { latencies } = variant;
    const p50 = quantile(latencies, 0.5);
    const mean = latencies.reduce((sum, value) => sum + value, 0) / latencies.length;
    const spread = segmentRatios(latencies, anchor.latencies);
    const inRun = quantile(variant.runCpu, 0.5);
    const cpu = variant.cpuMicros / variant.cpuRuns;
    rows.push(
      `| ${variant.name} | ${ms(p50)} | ${ms(quantile(latencies, 0.95))} | ${ms(quantile(latencies, 0.99))} | ${ms(mean)} | ${(p50 / anchorP50).toFixed(3)} (${pct(p50 / anchorP50)}) | ${pct(spread[0] ?? 1)} .. ${pct(spread[spread.length - 1] ?? 1)} | ${pct(pairedRatio(latencies, anchor.latencies))} | ${runCpu ? `${ms(inRun)} (${pct(inRun / anchorRunCpu)})` : 'n/a (runs wait)'} | ${ms(cpu / 1000)} | ${pct(cpu / anchorCpu)} |`,
    );
  }
  return rows;
}
