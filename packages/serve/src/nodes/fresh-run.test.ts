import type { StoredRun } from '@sightline/agents';
import { newId } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import { readFreshRun, uuidV7Time } from './fresh-run.ts';

const found = { runId: 'x' } as StoredRun;

describe('readFreshRun', () => {
  it('reads the time a UUIDv7 was made, and nothing from other ids', () => {
    const before = Date.now();
    const time = uuidV7Time(newId()) as number;
    expect(time).toBeGreaterThanOrEqual(before - 1);
    expect(time).toBeLessThanOrEqual(Date.now());
    expect(uuidV7Time('0190a0b0-0000-4000-8000-000000000000')).toBeUndefined(); // v4
    expect(uuidV7Time('conversation-1')).toBeUndefined();
  });

  it('waits for the record of a run id made a moment ago', async () => {
    let reads = 0;
    const run = await readFreshRun(newId(), async () => (++reads >= 3 ? found : undefined), 2_000);
    expect(run).toBe(found);
    expect(reads).toBe(3);
  });

  it('reads once for an id that is not a UUIDv7 or was made long ago', async () => {
    let reads = 0;
    const read = async () => {
      reads += 1;
      return undefined;
    };
    expect(await readFreshRun('not-a-uuid', read, 2_000)).toBeUndefined();
    expect(await readFreshRun('018f0000-0000-7000-8000-000000000000', read, 2_000)).toBeUndefined(); // 2024
    expect(reads).toBe(2);
  });

  it('gives up after the window', async () => {
    let reads = 0;
    const read = async () => {
      reads += 1;
      return undefined;
    };
    expect(await readFreshRun(newId(), read, 60)).toBeUndefined();
    expect(reads).toBeGreaterThan(1);
  });
});
