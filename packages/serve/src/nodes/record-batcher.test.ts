import { memoryRuns, type RunStore, type ServedRunRecord } from '@sightline/agents';
import { describe, expect, it } from 'vitest';
import { RecordBatcher } from './record-batcher.ts';

const record = (runId: string, status: ServedRunRecord['status'] = 'running'): ServedRunRecord => ({
  runId,
  kind: 'agent',
  name: 'calculator',
  userId: 'alice',
  conversationId: `c-${runId}`,
  status,
  nodeId: status === 'running' ? 'node-a' : null,
  data: {},
  createdAt: new Date().toISOString(),
});

/** A run store whose writes wait until released, counting the records of each write. */
function gatedRuns(): { runs: RunStore; writes: string[][]; release(): void } {
  const inner = memoryRuns();
  const writes: string[][] = [];
  let gate = Promise.withResolvers<void>();
  return {
    writes,
    release: () => {
      gate.resolve();
      gate = Promise.withResolvers<void>();
    },
    runs: {
      ...inner,
      async saveRuns(records) {
        writes.push(records.map((one) => `${one.runId}:${one.status}`));
        await gate.promise;
        await inner.saveRuns(records);
      },
    },
  };
}

describe('RecordBatcher', () => {
  it('writes one batch at a time: what is recorded during a write is the next write, each run once', async () => {
    const { runs, writes, release } = gatedRuns();
    const batcher = new RecordBatcher(runs, Promise.resolve(), (error) => {
      throw error;
    });
    batcher.record(record('r1'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([['r1:running']]);
    // While r1's write is in flight: r1 ends, r2 starts and ends, r3 starts.
    batcher.record(record('r1', 'completed'));
    batcher.record(record('r2'));
    batcher.record(record('r2', 'completed'));
    batcher.record(record('r3'));
    const stored = batcher.recorded();
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes[1]).toEqual(['r1:completed', 'r2:completed', 'r3:running']);
    release();
    await stored;
    expect((await runs.getRun('r2'))?.status).toBe('completed');
    expect((await runs.getRun('r3'))?.status).toBe('running');
    await batcher.flush();
    expect(writes).toHaveLength(2);
  });

  it('flush() writes what is collected at once and waits for it; recorded() waits for the write under way', async () => {
    const runs = memoryRuns();
    let joined = false;
    const heartbeat = new Promise<void>((resolve) =>
      setTimeout(() => {
        joined = true;
        resolve();
      }, 20),
    );
    const batcher = new RecordBatcher(runs, heartbeat, (error) => {
      throw error;
    });
    batcher.record(record('r1', 'completed'));
    batcher.recordEvents([{ runId: 'r1', eventId: 1, data: '{"type":"started"}' }]);
    await batcher.flush();
    expect(joined).toBe(true); // nothing is written before the node is known alive
    expect((await runs.getRun('r1'))?.status).toBe('completed');
    expect(await runs.readEvents('r1', 0)).toHaveLength(1);
    await batcher.recorded();
  });

  it('gives a failed write to onError, and goes on with the next', async () => {
    const inner = memoryRuns();
    let fail = true;
    const errors: unknown[] = [];
    const runs: RunStore = {
      ...inner,
      async saveRuns(records) {
        if (fail) throw new Error('database down');
        await inner.saveRuns(records);
      },
    };
    const batcher = new RecordBatcher(runs, Promise.resolve(), (error) => errors.push(error));
    batcher.record(record('r1'));
    await batcher.flush();
    fail = false;
    batcher.record(record('r2'));
    await batcher.recorded();
    expect(errors).toHaveLength(1);
    expect(await inner.getRun('r2')).toBeDefined();
  });
});
