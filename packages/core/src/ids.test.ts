import { describe, expect, it } from 'vitest';
import { isUuidV7, newId } from './ids.ts';

describe('newId', () => {
  it('makes valid UUIDv7s that are unique and sort in creation order, even many per millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect(ids.every(isUuidV7)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('carries the creation time in its first 48 bits', () => {
    const before = Date.now();
    const id = newId();
    const millis = Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(millis).toBeLessThanOrEqual(Date.now() + 1);
  });
});
