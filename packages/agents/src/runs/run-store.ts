/**
 * Where served runs are recorded, so any node (and a restarted one) can read them: a `RunStore` keeps one
 * record per run (agent or workflow: who, what, status, outcome, the node running it), the events of
 * workflow runs (says, asks, answers, result), and a heartbeat per serving node. A run whose node stopped
 * heartbeating is interrupted by whichever node notices first (`interruptRuns`: one winner per run).
 * `memoryRuns()`, `sqliteRuns(file)` and `postgresRuns(url | pool)` implement it.
 */

/** What a served run is. */
export type ServedRunKind = 'agent' | 'workflow';

/**
 * A run's status: `running` (on `nodeId`), `awaiting_approval` (an agent run paused on a tool approval,
 * run by no node), or ended: `completed`, `failed`, `cancelled`, `interrupted` (its node died).
 */
export type ServedRunStatus =
  | 'running'
  | 'awaiting_approval'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'interrupted';

/** One served run as recorded. */
export interface ServedRunRecord {
  runId: string;
  kind: ServedRunKind;
  /** The agent's or the workflow's name. */
  name: string;
  /** The user the run belongs to ('' when anonymous): only they reach it. */
  userId: string;
  conversationId: string;
  status: ServedRunStatus;
  /** The node that runs (or last ran) it. */
  nodeId: string | null;
  /** The outcome and whatever else the server keeps with the run (JSON). */
  data: Record<string, unknown>;
  createdAt: string;
}

/** A record as read back: with how long its node has been silent. */
export interface StoredRun extends ServedRunRecord {
  updatedAt: string;
  /**
   * Milliseconds since the node of the run last heartbeated, by the store's clock; null when that node is
   * not registered (it left, or never was).
   */
  nodeSilentMs: number | null;
}

/** One event of a run's stream (a workflow's say, ask, answer, result), numbered from 1. */
export interface RunEvent {
  runId: string;
  eventId: number;
  /** The event as JSON text (exact round trip). */
  data: string;
}

/** A query for a user's runs. */
export interface RunQuery {
  kind: ServedRunKind;
  userId: string;
  conversationId?: string | undefined;
  /** Most runs answered, newest first (default 50, at most 500). */
  limit?: number | undefined;
}

/** Run records, workflow events and node heartbeats of served agents and workflows. Each call is atomic. */
export interface RunStore {
  /** Inserts or replaces records (the last of a run in the batch wins). */
  saveRuns(runs: ServedRunRecord[]): Promise<void>;
  /** A run by id. */
  getRun(runId: string): Promise<StoredRun | undefined>;
  /** A user's runs of one kind, newest first (of one conversation when given). */
  listRuns(query: RunQuery): Promise<StoredRun[]>;
  /** Stores events; an event id already stored for the run is kept as it was. */
  appendEvents(events: RunEvent[]): Promise<void>;
  /** The run's events after `afterId`, in order (at most `limit`, default 10,000). */
  readEvents(runId: string, afterId: number, limit?: number): Promise<RunEvent[]>;
  /** Records that node `nodeId` is alive now (registering it the first time). */
  heartbeat(nodeId: string): Promise<void>;
  /** Forgets a node that stopped cleanly. */
  leave(nodeId: string): Promise<void>;
  /**
   * Marks `interrupted` every running run whose node has not heartbeated for `deadAfterMs` (or is not
   * registered), and returns those records: each to one caller only, across processes.
   */
  interruptRuns(deadAfterMs: number): Promise<StoredRun[]>;
  /** Releases what the store opened (a pool from a URL); optional. */
  close?(): Promise<void>;
}

/** Statuses of runs that ended. */
export const ENDED_RUN_STATUSES: ReadonlySet<ServedRunStatus> = new Set([
  'completed',
  'failed',
  'cancelled',
  'interrupted',
]);

/** The last record of each run in `runs` (a batch may name a run twice; the last one wins). */
export function lastOfEachRun(runs: ServedRunRecord[]): ServedRunRecord[] {
  const byId = new Map<string, ServedRunRecord>();
  for (const run of runs) {
    byId.delete(run.runId);
    byId.set(run.runId, run);
  }
  return [...byId.values()];
}

/** The limit of a listing: default 50, 1..500. */
export function listLimit(limit: number | undefined): number {
  return Math.min(500, Math.max(1, Math.trunc(limit ?? 50)));
}
