import { describe, expect, it } from 'vitest';
import { exportHref } from './export-link.ts';

describe('exportHref', () => {
  it('carries every filter but the page, the format and the key', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const href = exportHref(
      {
        range: { preset: '24h' },
        customerId: 'cust 1',
        hasError: 'true',
        metadata: ['plan=pro', 'tier=a&b'],
        cursor: 'abc',
      },
      'jsonl',
      'sl_read_x',
      now,
    );
    const [path, query] = href.split('?');
    expect(path).toBe('/v1/exports/conversations');
    const params = new URLSearchParams(query);
    expect(params.get('from')).toBe('2026-02-28T12:00:00.000Z');
    expect(params.get('customerId')).toBe('cust 1');
    expect(params.get('hasError')).toBe('true');
    expect(params.getAll('metadata')).toEqual(['plan=pro', 'tier=a&b']);
    expect(params.get('format')).toBe('jsonl');
    expect(params.get('access_token')).toBe('sl_read_x');
    expect(params.has('cursor')).toBe(false);
    expect(params.has('limit')).toBe(false);
  });
});
