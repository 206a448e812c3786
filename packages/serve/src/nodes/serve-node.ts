/**
 * A serving node: this process as one of several behind a load balancer. It records its runs in a
 * `RunStore` (batched: the records and events of one event-loop turn are one write), publishes their
 * frames on a `RunBus`, heartbeats, and interrupts the runs of nodes that stopped heartbeating (giving
 * their readers a terminal event). `serveAgents` and `serveWorkflows` of one process share one node.
 */
import {
  memoryRuns,
  type RunEvent,
  type RunStore,
  type ServedRunKind,
  type ServedRunRecord,
  type StoredRun,
} from '@sightline/agents';
import { newId } from '@sightline/core';
import { FramePublisher } from '../bus/frame-publisher.ts';
import type { RunBus } from '../bus/run-bus.ts';
import type { FrameSink } from '../frame-log.ts';

export interface ServeNodeOptions {
  /** Where runs are recorded (default: in memory, this process only). */
  runs?: RunStore;
  /** How runs reach other nodes (default: none; runs are reachable on this process only). */
  bus?: RunBus;
  /** This node's id (default: a new UUIDv7). */
  nodeId?: string;
  /** Interval of heartbeats and of the check for silent nodes, in ms (default 1,000). */
  heartbeatMs?: number;
  /** A node silent this long is taken as dead and its running runs interrupted, in ms (default 5,000). */
  deadAfterMs?: number;
  /** Receives failures of background writes (default: one line on stderr). */
  onError?: (error: unknown) => void;
}

/** What the routers of one process share. */
export interface ServeNode {
  readonly nodeId: string;
  readonly runs: RunStore;
  readonly bus: RunBus | undefined;
  readonly deadAfterMs: number;
  /** Records a run's state; written with the others of this event-loop turn. */
  record(run: ServedRunRecord): void;
  /** Records a run's events; written with the others of this event-loop turn. */
  recordEvents(events: RunEvent[]): void;
  /** A sink publishing a run's frames on the bus; undefined without a bus. */
  publisher(runId: string): FrameSink | undefined;
  /** What to do with a run of `kind` found interrupted (tell its readers). */
  onInterrupted(kind: ServedRunKind, handler: (run: StoredRun) => Promise<void>): void;
  /** True while the run's node is alive (by its last heartbeat). */
  isLive(run: StoredRun): boolean;
  /** Interrupts the runs of silent nodes now (rather than at the next heartbeat). */
  reapNow(): Promise<void>;
  /** Resolves once what was recorded so far is stored (written with the rest of its tick's batch). */
  recorded(): Promise<void>;
  /** Resolves once everything recorded and published so far is stored. */
  flush(): Promise<void>;
  /** Stops heartbeating and leaves (the node's runs should have ended first). */
  close(): Promise<void>;
}

/** Creates a serving node and starts its heartbeat. */
export function serveNode(options: ServeNodeOptions = {}): ServeNode {
  return new Node(options);
}

class Node implements ServeNode {
  readonly nodeId: string;
  readonly runs: RunStore;
  readonly bus: RunBus | undefined;
  readonly deadAfterMs: number;
  readonly #publisher: FramePublisher | undefined;
  readonly #handlers = new Map<ServedRunKind, (run: StoredRun) => Promise<void>>();
  readonly #onError: (error: unknown) => void;
  readonly #timer: NodeJS.Timeout;
  readonly #joined: Promise<void>;
  #runs = new Map<string, ServedRunRecord>();
  #events: RunEvent[] = [];
  #scheduled = false;
  #writes: Promise<void> = Promise.resolve();
  /** Settles with the write of the batch being collected. */
  #batch = Promise.withResolvers<void>();
  #reaping: Promise<void> | undefined;
  #closed = false;

  constructor(options: ServeNodeOptions) {
    this.nodeId = options.nodeId ?? newId();
    this.runs = options.runs ?? memoryRuns();
    this.bus = options.bus;
    this.deadAfterMs = options.deadAfterMs ?? 5_000;
    this.#publisher = options.bus ? new FramePublisher(options.bus) : undefined;
    this.#onError =
      options.onError ?? ((error) => console.error('[sightline] serving node:', (error as Error).message));
    // Runs are recorded only after the node is known alive, so no node takes them for a dead one's.
    this.#joined = this.runs.heartbeat(this.nodeId).catch(this.#onError);
    this.#timer = setInterval(() => void this.#beat(), options.heartbeatMs ?? 1_000);
    this.#timer.unref();
  }

  record(run: ServedRunRecord): void {
    this.#runs.set(run.runId, run);
    this.#schedule();
  }

  recordEvents(events: RunEvent[]): void {
    for (const event of events) this.#events.push(event);
    this.#schedule();
  }

  publisher(runId: string): FrameSink | undefined {
    return this.#publisher?.sink(runId);
  }

  onInterrupted(kind: ServedRunKind, handler: (run: StoredRun) => Promise<void>): void {
    this.#handlers.set(kind, handler);
  }

  isLive(run: StoredRun): boolean {
    return run.status === 'running' && run.nodeSilentMs !== null && run.nodeSilentMs < this.deadAfterMs;
  }

  reapNow(): Promise<void> {
    this.#reaping ??= this.#reap().finally(() => {
      this.#reaping = undefined;
    });
    return this.#reaping;
  }

  recorded(): Promise<void> {
    return this.#scheduled ? this.#batch.promise : this.#writes;
  }

  async flush(): Promise<void> {
    this.#write();
    this.#publisher?.flush();
    await this.#writes;
    await this.bus?.flush();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.flush();
    await this.#reaping;
    await this.runs.leave(this.nodeId).catch(this.#onError);
  }

  async #beat(): Promise<void> {
    if (this.#closed) return;
    await this.runs.heartbeat(this.nodeId).catch(this.#onError);
    await this.reapNow();
  }

  async #reap(): Promise<void> {
    let interrupted: StoredRun[];
    try {
      interrupted = await this.runs.interruptRuns(this.deadAfterMs);
    } catch (error) {
      this.#onError(error);
      return;
    }
    for (const run of interrupted) {
      await this.#handlers.get(run.kind)?.(run).catch(this.#onError);
    }
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#write());
  }

  /** Writes what was recorded, after the previous write (so a run's states are stored in order). */
  #write(): void {
    this.#scheduled = false;
    if (this.#runs.size === 0 && this.#events.length === 0) return;
    const runs = [...this.#runs.values()];
    const events = this.#events;
    const batch = this.#batch;
    this.#runs = new Map();
    this.#events = [];
    this.#batch = Promise.withResolvers<void>();
    this.#writes = this.#writes.then(async () => {
      await this.#joined;
      try {
        if (runs.length > 0) await this.runs.saveRuns(runs);
        if (events.length > 0) await this.runs.appendEvents(events);
      } catch (error) {
        this.#onError(error);
      }
    });
    void this.#writes.then(batch.resolve);
  }
}
