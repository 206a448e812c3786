/**
 * Serving nodes in one process for tests: routers on a shared session store, run store and in-process bus
 * hub act as nodes behind a load balancer; `silent` makes a node that heartbeats once and then never again
 * (as a killed process would look to the others).
 */
import { memoryRuns, type RunStore } from '@sightline/agents';
import { memoryBus, memoryHub } from '../src/bus/memory-bus.ts';
import type { RunBus } from '../src/bus/run-bus.ts';
import { type ServeNode, serveNode } from '../src/nodes/serve-node.ts';
import { memorySessions, type SessionStore } from '../src/sessions/session-store.ts';

export interface TestCluster {
  sessions: SessionStore;
  runs: RunStore;
  /** A node that heartbeats every 50 ms and takes others for dead after 1.5 s of silence (a loaded test machine can stall a process for a few hundred ms). */
  node(options?: { silent?: boolean; bus?: RunBus }): ServeNode;
  close(): Promise<void>;
}

/** A cluster of in-process nodes on one session store, run store and bus hub. */
export function testCluster(options: { runs?: RunStore; sessions?: SessionStore } = {}): TestCluster {
  const hub = memoryHub();
  const nodes: ServeNode[] = [];
  const runs = options.runs ?? memoryRuns();
  return {
    sessions: options.sessions ?? memorySessions(),
    runs,
    node(nodeOptions = {}) {
      const node = serveNode({
        runs,
        bus: nodeOptions.bus ?? memoryBus({ hub }),
        heartbeatMs: nodeOptions.silent ? 3_600_000 : 50,
        deadAfterMs: 1_500,
      });
      nodes.push(node);
      return node;
    },
    async close() {
      await Promise.all(nodes.map((node) => node.close()));
    },
  };
}
