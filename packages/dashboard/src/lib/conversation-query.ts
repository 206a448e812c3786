/**
 * The conversations view's state as a route: every filter of `GET /v1/conversations` and the page
 * cursor live in the address, so a filtered view is a link someone else can open.
 */
import type { QueryParams } from '../api/client.ts';
import { describeRange, rangeFromQuery, rangeToQuery, resolveRange, type TimeRange } from './time-range.ts';

export const DEFAULT_CONVERSATION_RANGE = 'all' as const;

export interface ConversationFilters {
  range: TimeRange;
  customerId?: string | undefined;
  source?: string | undefined;
  environment?: string | undefined;
  hasError?: 'true' | 'false' | undefined;
  feedback?: 'positive' | 'neutral' | 'negative' | undefined;
  /** Marked (true) or unmarked (false) conversations only. */
  marked?: 'true' | 'false' | undefined;
  search?: string | undefined;
  /** `key=value` pairs, matched against conversation metadata (all must match). */
  metadata: string[];
  cursor?: string | undefined;
}

const TEXT_FIELDS = ['customerId', 'source', 'environment', 'search', 'cursor'] as const;

/** Reads the filters from a route query. */
export function filtersFromQuery(query: URLSearchParams): ConversationFilters {
  const filters: ConversationFilters = {
    range: rangeFromQuery(query, DEFAULT_CONVERSATION_RANGE),
    metadata: query.getAll('metadata').filter((pair) => pair.includes('=')),
  };
  for (const field of TEXT_FIELDS) {
    const value = query.get(field)?.trim();
    if (value) filters[field] = value;
  }
  const hasError = query.get('hasError');
  if (hasError === 'true' || hasError === 'false') filters.hasError = hasError;
  const marked = query.get('marked');
  if (marked === 'true' || marked === 'false') filters.marked = marked;
  const feedback = query.get('feedback');
  if (feedback === 'positive' || feedback === 'neutral' || feedback === 'negative')
    filters.feedback = feedback;
  return filters;
}

/** The route of a filtered conversations view. */
export function filtersToRoute(filters: ConversationFilters): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(rangeToQuery(filters.range, DEFAULT_CONVERSATION_RANGE)))
    if (value) search.set(name, value);
  for (const field of [
    'customerId',
    'source',
    'environment',
    'hasError',
    'feedback',
    'marked',
    'search',
  ] as const) {
    const value = filters[field];
    if (value) search.set(field, value);
  }
  for (const pair of filters.metadata) search.append('metadata', pair);
  if (filters.cursor) search.set('cursor', filters.cursor);
  const text = search.toString();
  return text ? `/conversations?${text}` : '/conversations';
}

/** The API query of the filters at `now` (a preset range is relative to the moment it is read). */
export function filtersToApiParams(filters: ConversationFilters, now: number, limit = 50): QueryParams {
  const { from, to } = resolveRange(filters.range, now);
  return {
    from,
    to,
    customerId: filters.customerId,
    source: filters.source,
    environment: filters.environment,
    hasError: filters.hasError,
    feedback: filters.feedback,
    marked: filters.marked,
    search: filters.search,
    metadata: filters.metadata,
    cursor: filters.cursor,
    limit,
  };
}

/**
 * The filters as the body of a write that takes the list's filters (`filter` of
 * `POST /v1/datasets/:id/items`): the API query at `now` without page size or cursor, values as in the
 * query string, unset ones left out.
 */
export function filtersToListFilter(
  filters: ConversationFilters,
  now: number,
): Record<string, string | string[]> {
  const { limit: _limit, cursor: _cursor, ...params } = filtersToApiParams(filters, now);
  const filter: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) {
      if (value.length > 0) filter[name] = [...value];
    } else if (value !== undefined && value !== null && value !== '') filter[name] = String(value);
  }
  return filter;
}

/** The filters in words, for a person to check before acting on them: `Last 24 hours · customerId acme`. */
export function describeFilters(filters: ConversationFilters): string {
  const parts = [describeRange(filters.range)];
  for (const field of [
    'customerId',
    'source',
    'environment',
    'hasError',
    'feedback',
    'marked',
    'search',
  ] as const) {
    const value = filters[field];
    if (value) parts.push(`${field} ${value}`);
  }
  for (const pair of filters.metadata) parts.push(`metadata ${pair}`);
  return parts.join(' · ');
}

/** How many filters (besides the range) are set: for the "clear filters" button. */
export function activeFilterCount(filters: ConversationFilters): number {
  const set = [
    filters.customerId,
    filters.source,
    filters.environment,
    filters.hasError,
    filters.feedback,
    filters.marked,
    filters.search,
  ];
  return (
    set.filter(Boolean).length +
    filters.metadata.length +
    (filters.range.preset === DEFAULT_CONVERSATION_RANGE ? 0 : 1)
  );
}
