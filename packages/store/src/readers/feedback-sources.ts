/** Feedback that is not the customer's (platform, auto) in the overview, read from feedback_hourly. */
import type { FeedbackCounts, MetricPoint, MetricsFilter } from '@sightline/core';
import { hourBucket } from '../buckets.ts';
import type { ReadContext } from './conversations.ts';

/** A feedback_hourly sum: one hour, source and sentiment. */
export interface FeedbackSourceRow {
  bucket: number | string;
  source: string;
  sentiment: string;
  count: number | string;
}

/** Platform and automatic feedback per hour, source and sentiment in the filter's range. */
export function readFeedbackBySource(
  ctx: ReadContext,
  projectId: string,
  filter: MetricsFilter,
): Promise<FeedbackSourceRow[]> {
  let query = ctx.db
    .selectFrom('feedback_hourly')
    .select(['bucket', 'source', 'sentiment', (eb) => eb.fn.sum<number>('count').as('count')])
    .where('project_id', '=', projectId)
    .where('bucket', '>=', hourBucket(filter.from))
    .where('bucket', '<=', filter.to);
  if (filter.environment) query = query.where('environment', '=', filter.environment);
  return query.groupBy(['bucket', 'source', 'sentiment']).execute();
}

/** Adds a row to a point's platform or automatic feedback. */
export function addFeedbackBySource(
  point: Pick<MetricPoint, 'platformFeedback' | 'autoFeedback'>,
  row: FeedbackSourceRow,
): void {
  const counts: FeedbackCounts | undefined =
    row.source === 'platform'
      ? point.platformFeedback
      : row.source === 'auto'
        ? point.autoFeedback
        : undefined;
  const sentiment = row.sentiment as keyof FeedbackCounts;
  if (counts && sentiment in counts) counts[sentiment] += Number(row.count);
}
