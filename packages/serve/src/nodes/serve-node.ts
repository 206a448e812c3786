/**
 * A serving node: this process as one of several behind a load balancer. It records its runs in a
 * `RunStore` (batched: what is recorded while a write is in flight is the next write), publishes their
 * frames on a `RunBus`, answers other nodes' commands for its runs (one subscription for all of them),
 * heartbeats, and interrupts the runs of nodes that stopped heartbeating (giving their readers a terminal
 * event). `serveAgents` and `serveWorkflows` of one process share one node.
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
import { busRunId, type CommandReply, type RunBus, type RunCommand } from '../bus/run-bus.ts';
import type { FrameSink } from '../http/frame-log.ts';
import { readFreshRun } from './fresh-run.ts';
import { RecordBatcher } from './record-batcher.ts';

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
  /** Answers other nodes' commands for run `runId` of this node until the returned function is called. */
  handleCommands(runId: string, handler: (command: RunCommand) => Promise<CommandReply>): () => void;
  /** Sends a command to the node `run`'s record names; undefined when no node runs it (or no bus). */
  sendCommand(run: StoredRun, command: RunCommand): Promise<CommandReply | undefined>;
  /**
   * A run by id from the run store. With a bus, a run id made a moment ago whose record is not stored yet
   * (its node writes it with its next batch) is waited for briefly.
   */
  getRun(runId: string): Promise<StoredRun | undefined>;
  /** What to do with a run of `kind` found interrupted (tell its readers). */
  onInterrupted(kind: ServedRunKind, handler: (run: StoredRun) => Promise<void>): void;
  /** True while the run's node is alive (by its last heartbeat). */
  isLive(run: StoredRun): boolean;
  /** Interrupts the runs of silent nodes now (rather than at the next heartbeat). */
  reapNow(): Promise<void>;
  /** Resolves once what was recorded so far is stored (written with the rest of its batch). */
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

/** How long a lookup waits for the record of a run id made a moment ago, in ms. */
const FRESH_RUN_WINDOW_MS = 2_000;

class Node implements ServeNode {
  readonly nodeId: string;
  readonly runs: RunStore;
  readonly bus: RunBus | undefined;
  readonly deadAfterMs: number;
  readonly #publisher: FramePublisher | undefined;
  readonly #records: RecordBatcher;
  readonly #handlers = new Map<ServedRunKind, (run: StoredRun) => Promise<void>>();
  readonly #commands = new Map<string, (command: RunCommand) => Promise<CommandReply>>();
  readonly #stopListening: (() => void) | undefined;
  readonly #onError: (error: unknown) => void;
  readonly #timer: NodeJS.Timeout;
  #reaping: Promise<void> | undefined;
  #beating: Promise<void> | undefined;
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
    const joined = this.runs.heartbeat(this.nodeId).catch(this.#onError);
    this.#records = new RecordBatcher(this.runs, joined, this.#onError);
    this.#stopListening = options.bus?.listen(this.nodeId, async (runId, command) =>
      this.#commands.get(runId)?.(command),
    );
    this.#timer = setInterval(() => this.#beat(), options.heartbeatMs ?? 1_000);
    this.#timer.unref();
  }

  record(run: ServedRunRecord): void {
    this.#records.record(run);
  }

  recordEvents(events: RunEvent[]): void {
    this.#records.recordEvents(events);
  }

  publisher(runId: string): FrameSink | undefined {
    return this.#publisher?.sink(runId);
  }

  handleCommands(runId: string, handler: (command: RunCommand) => Promise<CommandReply>): () => void {
    if (!this.bus || !busRunId(runId)) return () => undefined;
    this.#commands.set(runId, handler);
    return () => {
      if (this.#commands.get(runId) === handler) this.#commands.delete(runId);
    };
  }

  async sendCommand(run: StoredRun, command: RunCommand): Promise<CommandReply | undefined> {
    if (!this.bus || run.nodeId === null || !busRunId(run.runId)) return undefined;
    return this.bus.request(run.nodeId, run.runId, command);
  }

  getRun(runId: string): Promise<StoredRun | undefined> {
    const read = () => this.runs.getRun(runId);
    return this.bus ? readFreshRun(runId, read, FRESH_RUN_WINDOW_MS) : read();
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
    return this.#records.recorded();
  }

  async flush(): Promise<void> {
    this.#publisher?.flush();
    await this.#records.flush();
    await this.bus?.flush();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#stopListening?.();
    await this.flush();
    await this.#beating; // a heartbeat under way (and its reaping) ends before the node leaves
    await this.#reaping;
    await this.runs.leave(this.nodeId).catch(this.#onError);
  }

  #beat(): void {
    if (this.#closed || this.#beating) return;
    this.#beating = (async () => {
      await this.runs.heartbeat(this.nodeId).catch(this.#onError);
      if (!this.#closed) await this.reapNow();
    })().finally(() => {
      this.#beating = undefined;
    });
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
}
