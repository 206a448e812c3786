/**
 * An expiry run of one project: its policy read at `now` (retention-policy.ts), then batch after batch
 * (expire-batch.ts), each its own short transaction, with a pause between them so that appends waiting
 * for the database go first, until every target is done or the run's batch budget is spent (the next
 * run goes on). Rejected-event samples older than the project's cutoff go too. The run is recorded
 * (retention-runs.ts) when the project has a policy.
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
  const limit = Math.min(options.batchSize ?? 100, MAX_EXPIRY_BATCH);
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
      if (batches > 0) await pause(options.pauseMs ?? 0);
      const batch = await retryableOnTransient(() => expireBatch(ctx, { projectId, target, limit }));
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
