import { describe, expect, it } from 'vitest';
import { DeferredWork } from './deferred-work.ts';

describe('DeferredWork', () => {
  it('runs actions in order once the event loop turns, not before', async () => {
    const done: number[] = [];
    const work = new DeferredWork((action) => action());
    for (let n = 0; n < 3; n += 1) work.add(() => done.push(n));
    expect(done).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toEqual([0, 1, 2]);
  });

  it('drains at once when the queue reaches its limit, and on drain(), keeping the order', () => {
    const done: number[] = [];
    const work = new DeferredWork((action) => action(), 3);
    work.add(() => done.push(1));
    work.add(() => done.push(2));
    expect(done).toEqual([]);
    work.add(() => done.push(3));
    expect(done).toEqual([1, 2, 3]);
    work.add(() => {
      work.add(() => done.push(5));
      work.drain(); // nested: returns, the outer drain runs it next
      done.push(4);
    });
    work.drain();
    expect(done).toEqual([1, 2, 3, 4, 5]);
    expect(work.size).toBe(0);
  });
});
