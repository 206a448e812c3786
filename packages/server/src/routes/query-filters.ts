/** Turns validated query parameters (ISO times, strings) into the store's filters (epoch ms). */
import type {
  ConversationFilter,
  CustomerFilter,
  conversationListQuerySchema,
  customerListQuerySchema,
  MetricsFilter,
  metricsQuerySchema,
} from '@sightline/core';
import type { z } from 'zod';
import { ServerError } from '../errors.ts';

type ListQuery = z.output<typeof conversationListQuerySchema>;
type CustomersQuery = z.output<typeof customerListQuerySchema>;
type MetricsQueryOut = z.output<typeof metricsQuerySchema>;

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
  return defined({ ...query, from, to, metadata }) as ConversationFilter;
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
