/**
 * The collector's retention worker: every `intervalMs` it runs expiry (store.expireData) for each
 * project in turn, in small batches with a pause between them, so ingest keeps the database between
 * batches; it logs what each project's run removed. A run still going when the next is due makes that
 * tick skip; runs asked for through the API (`runProject`) queue behind it. `stop()` aborts between
 * batches and waits for the batch under way to commit.
 */
import type { ExpiredRows } from '@sightline/core';
import type { Store } from '@sightline/store';
import type { Logger } from './logger.ts';

/** How the worker runs (see SightlineAppOptions.retention). */
export interface RetentionWorkerOptions {
  /** Between runs, in ms (default 10 minutes). */
  intervalMs?: number;
  /** Before the first run, in ms (default 30 s: not during start-up). */
  firstRunMs?: number;
  /** Conversations per batch (default 10: a batch holds the SQLite writer some 20-70 ms). */
  batchSize?: number;
  /** Batches per project per run (default 500); the rest waits for the next run. */
  maxBatches?: number;
  /** Pause between batches, in ms (default 50): writes waiting for the database go first. */
  pauseMs?: number;
  /**
   * How long a batch should take, in ms: batches shrink (to one conversation) or grow (to `batchSize`)
   * to take about this long, and each pause lasts at least as long as the batch before it (store
   * ExpiryOptions.batchMs). Default 20 on SQLite, where a batch holds the only writer and an append
   * waits for it; none on PostgreSQL, where appends to other conversations do not wait (0: none).
   */
  batchMs?: number;
}

const total = (rows: ExpiredRows) => Object.values(rows).reduce((sum, n) => sum + n, 0);

/** Runs expiry in the background (see the file comment). */
export class RetentionWorker {
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #options: RetentionWorkerOptions;
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  /** Runs, one after another (a run for the API waits for the background one, and the reverse). */
  #chain: Promise<void> = Promise.resolve();
  #pending = 0;

  constructor(deps: { store: Store; logger: Logger; options?: RetentionWorkerOptions }) {
    this.#store = deps.store;
    this.#logger = deps.logger;
    this.#options = deps.options ?? {};
  }

  /** Schedules the runs. */
  start(): void {
    const interval = this.#options.intervalMs ?? 600_000;
    this.#timer = setTimeout(() => {
      this.#tick();
      this.#timer = setInterval(() => this.#tick(), interval);
      this.#timer.unref();
    }, this.#options.firstRunMs ?? 30_000);
    this.#timer.unref();
  }

  /** Runs expiry for every project now, after any run under way; resolves when done. */
  runNow(): Promise<void> {
    return this.#enqueue(() => this.#runAll());
  }

  /** Runs expiry for one project now, after any run under way; resolves when done. */
  runProject(projectId: string): Promise<void> {
    return this.#enqueue(() => this.#runProject(projectId));
  }

  /** Stops scheduling, aborts between batches, waits for the batch under way. */
  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    clearInterval(this.#timer);
    this.#abort.abort();
    await this.#chain;
  }

  #enqueue(work: () => Promise<void>): Promise<void> {
    this.#pending += 1;
    const run = this.#chain.then(work).finally(() => {
      this.#pending -= 1;
    });
    this.#chain = run.catch(() => undefined);
    return run;
  }

  #tick(): void {
    if (this.#pending > 0 || this.#abort.signal.aborted) return;
    this.runNow().catch((error) => this.#logger.warn({ err: error }, 'retention run failed'));
  }

  async #runAll(): Promise<void> {
    for (const project of await this.#store.listProjects()) {
      if (this.#abort.signal.aborted) return;
      await this.#runProject(project.id);
    }
  }

  async #runProject(projectId: string): Promise<void> {
    const started = performance.now();
    const batchMs = this.#options.batchMs ?? (this.#store.dialect === 'sqlite' ? 20 : 0);
    const outcome = await this.#store.expireData(projectId, {
      batchSize: this.#options.batchSize ?? 10,
      maxBatches: this.#options.maxBatches ?? 500,
      pauseMs: this.#options.pauseMs ?? 50,
      ...(batchMs > 0 ? { batchMs } : {}),
      signal: this.#abort.signal,
    });
    if (total(outcome.removed) === 0) return;
    this.#logger.info(
      {
        projectId,
        removed: outcome.removed,
        caughtUp: outcome.caughtUp,
        batches: outcome.batches,
        ms: Math.round(performance.now() - started),
      },
      'retention: expired data removed',
    );
  }
}
