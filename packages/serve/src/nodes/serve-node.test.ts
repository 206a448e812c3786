import { memoryRuns, type RunStore } from '@sightline/agents';
import { describe, expect, it } from 'vitest';
import { serveNode } from './serve-node.ts';

describe('serveNode', () => {
  it('lets a heartbeat under way (and its reaping) end before it leaves: nothing touches the store after close()', async () => {
    const inner = memoryRuns();
    let closed = false;
    const calls: string[] = [];
    const runs: RunStore = {
      ...inner,
      async heartbeat(nodeId) {
        if (closed) calls.push('heartbeat after close');
        await new Promise((resolve) => setTimeout(resolve, 80));
        await inner.heartbeat(nodeId);
      },
      async interruptRuns(deadAfterMs) {
        if (closed) calls.push('interruptRuns after close');
        return inner.interruptRuns(deadAfterMs);
      },
      async leave(nodeId) {
        await inner.leave(nodeId);
        closed = true; // the store is closed right after the node left
      },
    };
    const errors: unknown[] = [];
    const node = serveNode({ runs, heartbeatMs: 20, onError: (error) => errors.push(error) });
    await new Promise((resolve) => setTimeout(resolve, 130)); // the first interval's heartbeat is under way
    await node.close();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(calls).toEqual([]);
    expect(errors).toEqual([]);
  });
});
