/**
 * Where a stored score counts in the score rollups: `score_hourly` (its hour, environment, name, data
 * type, source, agent version and category) and `score_customers` (its customer's, when it has one).
 * One function, used when a score is written, replaced, erased or moved, so that what is taken out is
 * exactly what was added.
 */
import { hourBucket } from '../buckets.ts';
import type { ScoresTable } from '../schema.ts';

/** The counters of a score rollup row: how many scores, and the sum of their values (booleans 1/0). */
export interface ScoreCounts {
  count: number;
  value_sum: number;
}

/** The key of a score_hourly row (in the key order rollup-changes.ts sorts by). */
export type ScoreHourKey = {
  bucket: number;
  environment: string;
  name: string;
  data_type: string;
  source: string;
  agent_version: string;
  category: string;
};

/** The key of a score_customers row. */
export type ScoreCustomerKey = {
  customer_id: string;
  name: string;
  data_type: string;
  source: string;
  category: string;
};

/** The columns of a score that decide where it counts. */
export type CountedScore = Pick<
  ScoresTable,
  | 'name'
  | 'data_type'
  | 'source'
  | 'value_num'
  | 'value_text'
  | 'agent_version'
  | 'customer_id'
  | 'environment'
  | 'timestamp'
>;

/** The rollup rows a score adds to, and what it adds. */
export function scoreRollupKeys(score: CountedScore): {
  hour: ScoreHourKey;
  customer: ScoreCustomerKey | null;
  counts: ScoreCounts;
} {
  const category = score.data_type === 'categorical' ? (score.value_text ?? '') : '';
  const common = { name: score.name, data_type: score.data_type, source: score.source, category };
  const hour: ScoreHourKey = {
    bucket: hourBucket(Number(score.timestamp)),
    environment: score.environment,
    name: score.name,
    data_type: score.data_type,
    source: score.source,
    agent_version: score.agent_version ?? '',
    category,
  };
  const customer = score.customer_id === null ? null : { customer_id: score.customer_id, ...common };
  const counts = { count: 1, value_sum: score.value_num === null ? 0 : Number(score.value_num) };
  return { hour, customer, counts };
}
