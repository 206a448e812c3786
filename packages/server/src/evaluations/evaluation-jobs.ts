/**
 * On-demand evaluation jobs (`POST /v1/evaluations`): each runs in the background on the runner and
 * keeps its counts, updated as it goes, for `GET /v1/evaluations/:jobId`. Jobs live in this node's
 * memory: the last 100 are kept, and at most `maxRunning` (default 2) run at once on a node, so a burst
 * of requests cannot multiply the runner's concurrency.
 */
import { type ConversationFilter, newId } from '@sightline/core';
import { ServerError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { type EvaluationCounts, type EvaluationRunner, emptyCounts } from './evaluation-runner.ts';

/** An evaluation job as the API shows it. */
export interface EvaluationJob {
  jobId: string;
  status: 'running' | 'done' | 'failed';
  evaluators: string[];
  counts: EvaluationCounts;
  startedAt: string;
  endedAt: string | null;
  /** Why a failed job failed (reading the list failed; evaluator failures are counted, not fatal). */
  error: string | null;
}

/** What to evaluate: these conversations, or those a list filter finds (at most `max`). */
export type EvaluationTarget =
  | { conversationIds: readonly string[] }
  | { filter: Omit<ConversationFilter, 'limit' | 'cursor'>; max: number };

const KEPT = 100;

/** The jobs of one node (see the file comment). */
export class EvaluationJobs {
  readonly #runner: EvaluationRunner;
  readonly #logger: Logger;
  readonly #maxRunning: number;
  readonly #jobs = new Map<string, { projectId: string; job: EvaluationJob; done: Promise<void> }>();

  constructor(deps: { runner: EvaluationRunner; logger: Logger; maxRunning?: number }) {
    this.#runner = deps.runner;
    this.#logger = deps.logger;
    this.#maxRunning = deps.maxRunning ?? 2;
  }

  /** Starts a job; throws `rate_limited` when `maxRunning` jobs already run. */
  start(
    projectId: string,
    request: { target: EvaluationTarget; evaluators: string[]; sampleRate?: number },
  ): EvaluationJob {
    const running = [...this.#jobs.values()].filter((entry) => entry.job.status === 'running').length;
    if (running >= this.#maxRunning)
      throw new ServerError(
        'rate_limited',
        `${running} evaluation jobs are running on this node; retry later`,
      );
    const job: EvaluationJob = {
      jobId: newId(),
      status: 'running',
      evaluators: request.evaluators,
      counts: emptyCounts(),
      startedAt: new Date().toISOString(),
      endedAt: null,
      error: null,
    };
    const pass = {
      evaluators: request.evaluators,
      counts: job.counts,
      ...(request.sampleRate === undefined ? {} : { sampleRate: request.sampleRate }),
    };
    const work =
      'conversationIds' in request.target
        ? this.#runner.evaluateConversations(projectId, request.target.conversationIds, pass)
        : this.#runner.evaluateFiltered(projectId, request.target.filter, {
            ...pass,
            max: request.target.max,
          });
    const done = work.then(
      () => this.#end(job, null),
      (error: unknown) => {
        this.#logger.warn({ err: error, jobId: job.jobId }, 'evaluation job failed');
        this.#end(job, error instanceof Error ? error.message : String(error));
      },
    );
    this.#jobs.set(job.jobId, { projectId, job, done });
    this.#prune();
    return job;
  }

  /** A job of this project, or null (another project's job is not found either). */
  get(projectId: string, jobId: string): EvaluationJob | null {
    const entry = this.#jobs.get(jobId);
    return entry && entry.projectId === projectId ? entry.job : null;
  }

  /** Waits for every running job (they stop early once the runner is stopped). */
  async drain(): Promise<void> {
    await Promise.all([...this.#jobs.values()].map((entry) => entry.done));
  }

  #end(job: EvaluationJob, error: string | null): void {
    job.status = error === null ? 'done' : 'failed';
    job.error = error;
    job.endedAt = new Date().toISOString();
  }

  #prune(): void {
    for (const [id, entry] of this.#jobs) {
      if (this.#jobs.size <= KEPT) return;
      if (entry.job.status !== 'running') this.#jobs.delete(id);
    }
  }
}
