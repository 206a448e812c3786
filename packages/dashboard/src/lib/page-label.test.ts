import { describe, expect, it } from 'vitest';
import { pageLabel } from './page-label.ts';

describe('page label', () => {
  it('says how many rows there are when it knows, and that there are more when it does not', () => {
    expect(pageLabel({ offset: 0, shown: 50, hasMore: true })).toBe('1–50 of more than 50');
    expect(pageLabel({ offset: 50, shown: 6, hasMore: false })).toBe('51–56 of 56');
    expect(pageLabel({ offset: 0, shown: 1, hasMore: false })).toBe('1 of 1');
    expect(pageLabel({ offset: null, shown: 50, hasMore: true })).toBe('50 shown · more after these');
    expect(pageLabel({ offset: null, shown: 6, hasMore: false })).toBe('6 shown · the last ones');
  });
});
