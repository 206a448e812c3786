import { describe, expect, it } from 'vitest';
import {
  activeFilterCount,
  describeFilters,
  filtersFromQuery,
  filtersToApiParams,
  filtersToListFilter,
  filtersToRoute,
} from './conversation-query.ts';

describe('conversation filters in the address', () => {
  it('round-trips every filter through the route and turns it into the API query', () => {
    const route =
      '/conversations?range=24h&customerId=acme&source=web&environment=staging&hasError=true&feedback=negative&marked=true&search=refund&metadata=plan%3Dpro&metadata=tier%3D1&cursor=abc';
    const filters = filtersFromQuery(new URLSearchParams(route.split('?')[1]));
    expect(filtersToRoute(filters)).toBe(route);
    expect(activeFilterCount(filters)).toBe(10);
    const now = Date.parse('2026-01-02T00:00:00Z');
    expect(filtersToApiParams(filters, now)).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      to: undefined,
      customerId: 'acme',
      source: 'web',
      environment: 'staging',
      hasError: 'true',
      feedback: 'negative',
      marked: 'true',
      search: 'refund',
      metadata: ['plan=pro', 'tier=1'],
      cursor: 'abc',
      limit: 50,
    });
  });

  it('ignores values the API would refuse and keeps a custom range', () => {
    const filters = filtersFromQuery(
      new URLSearchParams(
        'hasError=maybe&feedback=great&marked=yes&metadata=novalue&from=2026-01-01T00:00:00.000Z',
      ),
    );
    expect(filters).toEqual({ range: { preset: 'custom', from: '2026-01-01T00:00:00.000Z' }, metadata: [] });
    expect(filtersToRoute(filters)).toBe('/conversations?from=2026-01-01T00%3A00%3A00.000Z');
  });

  it('turns the filters into the list filter a dataset add sends: no cursor, no page size, nothing unset', () => {
    const now = Date.parse('2026-01-02T00:00:00Z');
    const filters = filtersFromQuery(
      new URLSearchParams('range=24h&customerId=acme&hasError=true&metadata=plan%3Dpro&cursor=abc'),
    );
    expect(filtersToListFilter(filters, now)).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      customerId: 'acme',
      hasError: 'true',
      metadata: ['plan=pro'],
    });
    expect(filtersToListFilter(filtersFromQuery(new URLSearchParams('')), now)).toEqual({});
  });

  it('says the filters in words', () => {
    const filters = filtersFromQuery(
      new URLSearchParams('range=24h&customerId=acme&metadata=plan%3Dpro&cursor=abc'),
    );
    expect(describeFilters(filters)).toBe('Last 24 hours · customerId acme · metadata plan=pro');
    expect(describeFilters(filtersFromQuery(new URLSearchParams('')))).toBe('All time');
  });
});
