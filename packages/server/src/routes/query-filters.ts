/** Turns validated query parameters (ISO times, strings) into the store's filters (epoch ms). */
import {
  type ConversationFilter,
  type CustomerFilter,
  type conversationListQuerySchema,
  type customerListQuerySchema,
  type MetricsFilter,
  type metricsQuerySchema,
  scoreFilterIssues,
  type VersionComparisonFilter,
  type versionComparisonQuerySchema,
} from '@sightline/core';
import type { z } from 'zod';
import { ServerError } from '../errors.ts';

type ListQuery = z.output<typeof conversationListQuerySchema>;
type CustomersQuery = z.output<typeof customerListQuerySchema>;
type MetricsQueryOut = z.output<typeof metricsQuerySchema>;
type VersionsQuery = z.output<typeof versionComparisonQuerySchema>;

const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

/** Drops undefined values so optional fields stay absent (exactOptionalPropertyTypes). */
function defined<T extends object>(value: T): Defined<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Defined<T>;
}

type Defined<T> = { [K in keyof T]: Exclude<T[K], undefined> };

function checkRange(from: number | undefined, to: number | undefined): void {
  if (from !== undefined && to !== undefined && from > to) {
    throw new ServerError('invalid_request', 'from: must not be after to', {
      issues: [{ path: 'from', message: 'must not be after to' }],
    });
  }
}

export function toConversationFilter(query: ListQuery): ConversationFilter {
  const from = ms(query.from);
  const to = ms(query.to);
  checkRange(from, to);
  const metadata =
    query.metadata === undefined
      ? undefined
      : Array.isArray(query.metadata)
        ? query.metadata
        : [query.metadata];
  const filter = defined({ ...query, from, to, metadata }) as ConversationFilter;
  const issues = scoreFilterIssues(filter);
  const first = issues[0];
  if (first) throw new ServerError('invalid_request', `${first.path}: ${first.message}`, { issues });
  return filter;
}

export function toCustomerFilter(query: CustomersQuery): CustomerFilter {
  const from = ms(query.from);
  const to = ms(query.to);
  checkRange(from, to);
  return defined({ ...query, from, to }) as CustomerFilter;
}

const MAX_RANGE_MS = { hour: 31 * 86_400_000, day: 731 * 86_400_000 };

export function toMetricsFilter(query: MetricsQueryOut): MetricsFilter {
  const from = Date.parse(query.from);
  const to = Date.parse(query.to);
  checkRange(from, to);
  if (to - from > MAX_RANGE_MS[query.bucket]) {
    const days = MAX_RANGE_MS[query.bucket] / 86_400_000;
    throw new ServerError('invalid_request', `to: a ${query.bucket} bucket covers at most ${days} days`, {
      issues: [
        { path: 'to', message: `with bucket=${query.bucket}, the range must be at most ${days} days` },
      ],
    });
  }
  return defined({ from, to, bucket: query.bucket, environment: query.environment }) as MetricsFilter;
}

/** A version comparison's range (at most 731 days) and versions. */
export function toVersionComparisonFilter(query: VersionsQuery): VersionComparisonFilter {
  const from = Date.parse(query.from);
  const to = Date.parse(query.to);
  checkRange(from, to);
  if (to - from > MAX_RANGE_MS.day)
    throw new ServerError('invalid_request', 'to: the range must be at most 731 days', {
      issues: [{ path: 'to', message: 'the range must be at most 731 days' }],
    });
  const versions = query.version === undefined ? undefined : [query.version].flat();
  return defined({ from, to, environment: query.environment, versions }) as VersionComparisonFilter;
}
