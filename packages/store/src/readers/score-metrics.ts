/**
 * Scores in the overview (per name, data type and source, with a series per time bucket) and per
 * customer, read from the score rollups: a 30-day overview reads hourly sums, never the scores.
 */
import type { MetricsFilter, ScoreMetrics, ScoreSummary } from '@sightline/core';
import { dayBucket, hourBucket } from '../buckets.ts';
import type { ReadContext } from './conversations.ts';
import { averageOf, ScoreTally } from './score-tally.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The scores given in the filter's range, per name, data type and source, each with its series. */
export async function readScoreMetrics(
  ctx: ReadContext,
  projectId: string,
  filter: MetricsFilter,
): Promise<ScoreMetrics[]> {
  let query = ctx.db
    .selectFrom('score_hourly')
    .select(['bucket', 'name', 'data_type', 'source', 'category'])
    .select((eb) => [eb.fn.sum<number>('count').as('count'), eb.fn.sum<number>('value_sum').as('value_sum')])
    .where('project_id', '=', projectId)
    .where('bucket', '>=', hourBucket(filter.from))
    .where('bucket', '<=', filter.to);
  if (filter.environment) query = query.where('environment', '=', filter.environment);
  const rows = await query.groupBy(['bucket', 'name', 'data_type', 'source', 'category']).execute();
  const tally = new ScoreTally();
  const toBucket = filter.bucket === 'hour' ? hourBucket : dayBucket;
  const series = new Map<string, Map<number, { count: number; sum: number }>>();
  for (const row of rows) {
    tally.add(row);
    const key = `${row.name}\u0000${row.data_type}\u0000${row.source}`;
    const points = series.get(key) ?? new Map<number, { count: number; sum: number }>();
    series.set(key, points);
    const bucket = toBucket(Number(row.bucket));
    const point = points.get(bucket) ?? { count: 0, sum: 0 };
    point.count += Number(row.count);
    point.sum += Number(row.value_sum);
    points.set(bucket, point);
  }
  const buckets = bucketStarts(filter);
  return tally.summaries().map((summary) => {
    const points = series.get(`${summary.name}\u0000${summary.dataType}\u0000${summary.source}`);
    return {
      ...summary,
      series: buckets.map((t) => {
        const point = points?.get(t) ?? { count: 0, sum: 0 };
        return {
          t: new Date(t).toISOString(),
          count: point.count,
          average: averageOf(summary.dataType, point.count, point.sum),
        };
      }),
    };
  });
}

/** The starts of the buckets of the range (as the overview's series has them). */
function bucketStarts(filter: MetricsFilter): number[] {
  const step = filter.bucket === 'hour' ? HOUR : DAY;
  const start = (filter.bucket === 'hour' ? hourBucket : dayBucket)(filter.from);
  const out: number[] = [];
  for (let t = start; t <= filter.to; t += step) out.push(t);
  return out;
}

/** The all-time scores of some customers, by customer (one query). */
export async function readCustomerScores(
  ctx: ReadContext,
  projectId: string,
  customerIds: string[],
): Promise<Map<string, ScoreSummary[]>> {
  const out = new Map<string, ScoreSummary[]>();
  if (customerIds.length === 0) return out;
  const rows = await ctx.db
    .selectFrom('score_customers')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('customer_id', 'in', customerIds)
    .execute();
  const tallies = new Map<string, ScoreTally>();
  for (const row of rows) {
    const tally = tallies.get(row.customer_id) ?? new ScoreTally();
    tallies.set(row.customer_id, tally);
    tally.add(row);
  }
  for (const [customerId, tally] of tallies) out.set(customerId, tally.summaries());
  return out;
}
