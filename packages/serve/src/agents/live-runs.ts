/**
 * The runs this process holds in memory: by run id, and the latest run of each conversation (what a
 * `useChat` reconnect asks for). Finished runs stay a while so a dropped stream can still be resumed.
 */
import type { LiveRun } from './live-run.ts';

export interface LiveRunsOptions {
  /** How long a finished or paused run stays, in ms. */
  keepFinishedMs: number;
  /** Most runs held; the oldest finished ones go first beyond it (default 10,000). */
  maxRuns?: number;
}

/** Registry of in-memory runs. */
export class LiveRuns {
  readonly #runs = new Map<string, LiveRun>();
  readonly #latest = new Map<string, string>();
  /** Finished or paused runs and when to forget them, oldest first (all wait the same keepFinishedMs). */
  readonly #finished = new Map<LiveRun, number>();
  /** One timer for the whole registry: it fires at the oldest expiry, forgets what expired, re-arms. */
  #sweep: NodeJS.Timeout | undefined;
  /** The held runs that are working: counted on every start (capacity check), so kept, not walked. */
  readonly #running = new Set<LiveRun>();
  readonly #options: LiveRunsOptions;

  constructor(options: LiveRunsOptions) {
    this.#options = options;
  }

  /** Runs working right now. */
  get runningCount(): number {
    return this.#running.size;
  }

  /** Holds a run (again, when it resumes). */
  add(run: LiveRun): void {
    this.#finished.delete(run);
    this.#runs.delete(run.runId);
    this.#runs.set(run.runId, run);
    this.#latest.set(key(run.userId, run.conversationId), run.runId);
    if (run.running) this.#running.add(run);
    this.#evict();
  }

  /** The run with this id, if it belongs to `userId`. */
  get(runId: string, userId: string): LiveRun | undefined {
    const run = this.#runs.get(runId);
    return run && run.userId === userId ? run : undefined;
  }

  /** The latest run of a conversation of `userId`. */
  latestOf(conversationId: string, userId: string): LiveRun | undefined {
    const runId = this.#latest.get(key(userId, conversationId));
    return runId === undefined ? undefined : this.get(runId, userId);
  }

  /** A run's phase ended: forget it after `keepFinishedMs` unless it resumes meanwhile. */
  settledOne(run: LiveRun): void {
    if (run.running) return;
    this.#running.delete(run);
    this.#finished.delete(run);
    this.#finished.set(run, Date.now() + this.#options.keepFinishedMs);
    this.#arm();
  }

  /** Aborts every running run and waits until each settled. */
  async abortAll(): Promise<void> {
    const running = [...this.#running].filter((run) => run.running);
    for (const run of running) run.controller.abort();
    await Promise.all(running.map((run) => run.settled));
    clearTimeout(this.#sweep);
    this.#sweep = undefined;
    this.#finished.clear();
  }

  #arm(): void {
    if (this.#sweep) return;
    const first = this.#finished.values().next();
    if (first.done) return;
    this.#sweep = setTimeout(() => this.#expire(), Math.max(0, first.value - Date.now()));
    this.#sweep.unref();
  }

  /** Forgets the runs whose time is up (the oldest first), then waits for the next one. */
  #expire(): void {
    this.#sweep = undefined;
    const now = Date.now();
    for (const [run, expiresAt] of this.#finished) {
      if (expiresAt > now) break;
      this.#forget(run);
    }
    this.#arm();
  }

  #forget(run: LiveRun): void {
    this.#finished.delete(run);
    if (this.#runs.get(run.runId) !== run || run.running) return;
    this.#runs.delete(run.runId);
    const conversation = key(run.userId, run.conversationId);
    if (this.#latest.get(conversation) === run.runId) this.#latest.delete(conversation);
  }

  #evict(): void {
    const max = this.#options.maxRuns ?? 10_000;
    if (this.#runs.size <= max) return;
    for (const run of this.#runs.values()) {
      if (this.#runs.size <= max) return;
      if (!run.running) this.#forget(run);
    }
  }
}

function key(userId: string, conversationId: string): string {
  return `${userId}\u0000${conversationId}`;
}
