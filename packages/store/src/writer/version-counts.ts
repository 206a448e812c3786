/**
 * What a finished step of a stamped agent version adds to that version's rollups (`version_hourly`, and
 * run durations in the latency histograms under metric `run`, key = the version), counted the same way
 * when a batch is appended (batch-plan.ts) and when stored steps are taken back out (rollup-footprint.ts).
 */
import { dayBucket, hourBucket } from '../buckets.ts';
import { latencyBin } from '../histogram.ts';
import type { StepsTable } from '../schema.ts';
import type { Increments } from './increments.ts';

/** The counters of a `version_hourly` row. */
export const VERSION_COUNTERS = [
  'runs',
  'run_errors',
  'tool_calls',
  'tool_errors',
  'llm_calls',
  'errors',
  'input_tokens',
  'output_tokens',
  'cost_usd',
] as const;
export type VersionCounter = (typeof VERSION_COUNTERS)[number];
export type VersionKey = { environment: string; bucket: number; agent_version: string };

/** The latency histogram metric of a version's run durations. */
export const RUN_LATENCY_METRIC = 'run';

type LatencyKey = { environment: string; bucket: number; metric: string; key: string; bin: number };

/** Where a version's counts go. */
export interface VersionTargets {
  versions: Increments<VersionKey, VersionCounter>;
  latency: Increments<LatencyKey, 'count'>;
  latencyDaily: Increments<LatencyKey, 'count'>;
}

/** The columns of a finished step its version's counts come from. */
export type VersionStep = Pick<
  StepsTable,
  | 'type'
  | 'started_at'
  | 'duration_ms'
  | 'error'
  | 'model'
  | 'input_tokens'
  | 'output_tokens'
  | 'cost_usd'
  | 'agent_version'
>;

/**
 * Adds a finished step to its version's counts (nothing for a step without a version), in the hour it
 * started; `toolCall` says whether it counts as a tool call.
 */
export function countVersionStep(
  targets: VersionTargets,
  options: { environment: string; step: VersionStep; toolCall: boolean },
): void {
  const { environment, step } = options;
  const version = step.agent_version;
  if (version === null || version === undefined) return;
  const at = Number(step.started_at);
  const failed = step.error !== null ? 1 : 0;
  const counts: Partial<Record<VersionCounter, number>> = { errors: failed };
  if (step.type === 'run') {
    counts.runs = 1;
    counts.run_errors = failed;
    if (step.duration_ms !== null) {
      const key = {
        environment,
        metric: RUN_LATENCY_METRIC,
        key: version,
        bin: latencyBin(Number(step.duration_ms)),
      };
      targets.latency.add({ ...key, bucket: hourBucket(at) }, { count: 1 });
      targets.latencyDaily.add({ ...key, bucket: dayBucket(at) }, { count: 1 });
    }
  }
  if (options.toolCall) {
    counts.tool_calls = 1;
    counts.tool_errors = failed;
  }
  if (step.model !== null) {
    counts.llm_calls = 1;
    counts.input_tokens = Number(step.input_tokens ?? 0);
    counts.output_tokens = Number(step.output_tokens ?? 0);
    counts.cost_usd = Number(step.cost_usd ?? 0);
  }
  targets.versions.add({ environment, bucket: hourBucket(at), agent_version: version }, counts);
}
