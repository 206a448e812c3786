/**
 * An expiry run of one project: its policy read at `now` (retention-policy.ts), then batch after batch
 * (expire-batch.ts), each its own short transaction, with a pause between them so that appends waiting
 * for the database go first, until every target is done or the run's batch budget is spent (the next
 * run goes on). Rejected-event samples older than the project's cutoff go too. The run is recorded
 * (retention-runs.ts) when the project has a policy.
 *
 * With `batchMs`, a batch's size follows how long batches take: it starts at one conversation, doubles
 * while a batch takes under half of `batchMs` and shrinks in proportion when one takes longer, within
 * 1..`batchSize`; and the pause after a batch is at least as long as the batch took. An append waiting
 * for the database then waits at most about `batchMs` (SQLite: a batch holds the only writer; its
 * duration is mostly the conversations' customer bookkeeping and the commit), and expiry holds the
 * database at most half of the time, on any machine.
 */
import { type ExpiredRows, noExpiredRows } from '@sightline/core';
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialect.ts';
import type { Database } from '../schema.ts';
import { retryableOnTransient } from '../transient-errors.ts';
import { expireBatch, MAX_EXPIRY_BATCH } from './expire-batch.ts';
import { readRetentionPolicy } from './retention-policy.ts';
import { addExpiredRows, recordRetentionRun } from './retention-runs.ts';

/** How a run goes. */
export interface ExpiryOptions {
  /** The moment the windows end at (epoch ms; default now). */
  now?: number;
  /** Conversations per batch (default 100, at most 128). */
  batchSize?: number;
  /** Batches per run at most (default 50): a run that stops here is not caught up. */
  maxBatches?: number;
  /** Milliseconds to wait between batches (default 0: one turn of the event loop). */
  pauseMs?: number;
  /**
   * Milliseconds a batch should take: the batch size adapts to it (1..batchSize) and each pause lasts at
   * least as long as the batch before it (see the file comment). Default: none, every batch `batchSize`.
   */
  batchMs?: number;
  /** Stops the run between batches. */
  signal?: AbortSignal;
}

/** What a run did. */
export interface ExpiryOutcome {
  removed: ExpiredRows;
  /** The project's cutoff (ISO 8601); null when the project keeps its data forever. */
  cutoff: string | null;
  /** Nothing past the window is left (false: stopped at the budget or by the signal). */
  caughtUp: boolean;
  batches: number;
}

type Ctx = { db: Kysely<Database>; adapter: DialectAdapter };

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs expiry for one project (see the file comment). */
export async function runExpiry(
  ctx: Ctx,
  projectId: string,
  options: ExpiryOptions = {},
): Promise<ExpiryOutcome> {
  const now = options.now ?? Date.now();
  const size = new BatchSizer(Math.min(options.batchSize ?? 100, MAX_EXPIRY_BATCH), options.batchMs);
  const budget = options.maxBatches ?? 50;
  const policy = await readRetentionPolicy(ctx.db, projectId, now);
  const removed = noExpiredRows();
  let batches = 0;
  let caughtUp = true;
  for (const target of policy.targets) {
    for (;;) {
      if (batches >= budget || options.signal?.aborted) {
        caughtUp = false;
        break;
      }
      if (batches > 0) await pause(size.pauseAfter(options.pauseMs ?? 0));
      const limit = size.next();
      const started = performance.now();
      const batch = await retryableOnTransient(() => expireBatch(ctx, { projectId, target, limit }));
      size.took(performance.now() - started);
      batches += 1;
      addExpiredRows(removed, batch.removed);
      if (batch.found < limit) break;
    }
    if (!caughtUp) break;
  }
  if (policy.projectCutoff !== null) {
    const samples = await ctx.db
      .deleteFrom('ingest_rejections')
      .where('project_id', '=', projectId)
      .where('at', '<', policy.projectCutoff)
      .executeTakeFirst();
    removed.ingestRejections += Number(samples.numDeletedRows);
  }
  const cutoff = policy.projectCutoff;
  if (policy.targets.length > 0)
    await recordRetentionRun(ctx.db, { projectId, ranAt: Date.now(), cutoff, caughtUp, removed });
  return { removed, cutoff: cutoff === null ? null : new Date(cutoff).toISOString(), caughtUp, batches };
}

/** The size of the next batch and the pause before it (`batchMs`: see the file comment). */
class BatchSizer {
  readonly #max: number;
  readonly #targetMs: number | undefined;
  #size: number;
  #lastMs = 0;

  constructor(max: number, targetMs: number | undefined) {
    this.#max = Math.max(1, max);
    this.#targetMs = targetMs !== undefined && targetMs > 0 ? targetMs : undefined;
    this.#size = this.#targetMs === undefined ? this.#max : 1;
  }

  /** Conversations the next batch takes at most. */
  next(): number {
    return this.#size;
  }

  /** Records how long the last batch took, and sizes the next one. */
  took(ms: number): void {
    this.#lastMs = ms;
    const target = this.#targetMs;
    if (target === undefined) return;
    const wanted = ms < target / 2 ? this.#size * 2 : Math.floor((this.#size * target) / Math.max(ms, 1e-3));
    this.#size = Math.min(this.#max, Math.max(1, wanted));
  }

  /** The pause before the next batch: `pauseMs`, and with `batchMs` at least the last batch's duration. */
  pauseAfter(pauseMs: number): number {
    return this.#targetMs === undefined ? pauseMs : Math.max(pauseMs, this.#lastMs);
  }
}
