/**
 * The evaluation runner: runs evaluators (code functions, model judges; see @sightline/core's
 * `Evaluator`) over conversations and stores their verdicts as scores (verdict-events.ts).
 *
 * - In the background (`start()`): every `intervalMs` it looks, in each project, for conversations that
 *   became idle (no event for `idleSeconds`) since its last look, takes a sample of them (`sampleRate`,
 *   deterministic by conversation id: every evaluator scores the same ones) and evaluates them. A conversation active again is evaluated again
 *   once idle; its score (id `eval:<evaluator>`) is replaced. Judge runs are never evaluated.
 * - On demand: `evaluateConversations(projectId, ids)` and `evaluateFiltered(projectId, filter)`.
 *
 * At most `concurrency` evaluations run at once. It reads the store directly and writes its verdicts
 * through `write` (the collector passes its write queue: redaction, the live feed and the ingestion
 * counts apply to verdicts and judge runs as to any ingested event). A failing evaluator, an invalid
 * verdict or a failed or refused write is counted (`stats().failed`) and logged; nothing is thrown into
 * the host.
 */
import type { ConversationFilter, Evaluator, ParsedEvent } from '@sightline/core';
import type { Store } from '@sightline/store';
import { ServerError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { isSampled } from './evaluation-sampling.ts';
import { JUDGE_RUN_SOURCE, verdictEvents } from './verdict-events.ts';

/** How the runner works (see the file comment). */
export interface EvaluationRunnerOptions {
  evaluators: readonly Evaluator[];
  /** Share of new conversations evaluated in the background, 0..1 (default 1). */
  sampleRate?: number;
  /** Evaluations at once (default 4). */
  concurrency?: number;
  /** A conversation is evaluated once it has had no event for this long (default 60 s). */
  idleSeconds?: number;
  /** Between background looks, in ms (default 30 s). */
  intervalMs?: number;
  /**
   * The background runner looks at conversations active at or after this (epoch ms; default
   * `idleSeconds` before the runner was made: conversations idle before it started are not new).
   */
  since?: number;
  /** Projects evaluated in the background (default: all). */
  projectIds?: readonly string[];
}

/** What an evaluation pass did. */
export interface EvaluationCounts {
  /** Conversations considered. */
  conversations: number;
  /** Evaluator runs left out by sampling. */
  sampledOut: number;
  /** Scores written. */
  scored: number;
  /** Evaluator runs that had nothing to score (`undefined`) or whose conversation is gone. */
  skipped: number;
  /** Evaluator runs that threw, answered an invalid verdict or could not be written. */
  failed: number;
}

/** How one on-demand pass runs. */
export interface EvaluationPassOptions {
  /** Share evaluated, 0..1 (default 1: all). */
  sampleRate?: number;
  /** The evaluators to run, by name (default: all). */
  evaluators?: readonly string[];
  /** Counts to update as the pass goes (a job's progress); by default a fresh object. */
  counts?: EvaluationCounts;
}

/** Counts all zero. */
export const emptyCounts = (): EvaluationCounts => ({
  conversations: 0,
  sampledOut: 0,
  scored: 0,
  skipped: 0,
  failed: 0,
});
const PAGE = 100;

/**
 * Stores a verdict's events; throws when any of them is not stored (the collector's write queue: a
 * redaction rule that fails on one refuses it, fail closed).
 */
export type VerdictWrite = (projectId: string, events: ParsedEvent[]) => Promise<void>;

/** What the runner works with: the store it reads, how it writes verdicts (default: `store.append`). */
export interface EvaluationRunnerDeps {
  store: Store;
  logger: Logger;
  options: EvaluationRunnerOptions;
  write?: VerdictWrite;
}

/** Runs evaluators over conversations and stores their scores (see the file comment). */
export class EvaluationRunner {
  readonly #store: Store;
  readonly #write: VerdictWrite;
  readonly #logger: Logger;
  readonly #options: EvaluationRunnerOptions;
  readonly #abort = new AbortController();
  readonly #totals = emptyCounts();
  /** Per project: conversations idle since before this time have been looked at (epoch ms). */
  readonly #watermarks = new Map<string, number>();
  readonly #startedAt = Date.now();
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> = Promise.resolve();
  #ticking = false;

  constructor(deps: EvaluationRunnerDeps) {
    this.#store = deps.store;
    this.#write =
      deps.write ?? (async (projectId, events) => void (await deps.store.append(projectId, events)));
    this.#logger = deps.logger;
    this.#options = deps.options;
    const names = deps.options.evaluators.map((evaluator) => evaluator.name);
    if (new Set(names).size !== names.length)
      throw new ServerError('invalid_request', `evaluator names must differ (got ${names.join(', ')})`);
  }

  /** The evaluators, by name. */
  get evaluatorNames(): string[] {
    return this.#options.evaluators.map((evaluator) => evaluator.name);
  }

  /** Totals since the runner was made, background and on demand. */
  stats(): EvaluationCounts {
    return { ...this.#totals };
  }

  /** Starts the background evaluation of new conversations. */
  start(): void {
    this.#timer = setInterval(() => {
      if (!this.#ticking) this.#tick = this.runBackgroundPass();
    }, this.#options.intervalMs ?? 30_000);
    this.#timer.unref();
  }

  /** Stops the background work and waits for the pass under way (its evaluators see an aborted signal). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#abort.abort();
    await this.#tick;
  }

  /** One background pass now: the conversations of each project that became idle since the last one. */
  async runBackgroundPass(): Promise<void> {
    this.#ticking = true;
    try {
      const projects = this.#options.projectIds ?? (await this.#store.listProjects()).map((p) => p.id);
      for (const projectId of projects) {
        if (this.#abort.signal.aborted) return;
        await this.#backgroundProject(projectId);
      }
    } catch (error) {
      this.#logger.warn({ err: error }, 'evaluation pass failed');
    } finally {
      this.#ticking = false;
    }
  }

  /** Evaluates these conversations with every evaluator (no sampling unless `sampleRate` is given). */
  async evaluateConversations(
    projectId: string,
    conversationIds: readonly string[],
    options: EvaluationPassOptions = {},
  ): Promise<EvaluationCounts> {
    const counts = options.counts ?? emptyCounts();
    const evaluators = this.#pick(options.evaluators);
    await runPool(conversationIds, this.#options.concurrency ?? 4, (id) =>
      this.#evaluateOne({ projectId, conversationId: id, evaluators, rate: options.sampleRate ?? 1, counts }),
    );
    return counts;
  }

  /** Evaluates the conversations a list filter finds, newest activity first, at most `max` (default 1,000). */
  async evaluateFiltered(
    projectId: string,
    filter: Omit<ConversationFilter, 'limit' | 'cursor'>,
    options: EvaluationPassOptions & { max?: number } = {},
  ): Promise<EvaluationCounts> {
    const max = options.max ?? 1_000;
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#store.listConversations(projectId, {
        ...filter,
        limit: Math.min(PAGE, max - ids.length),
        ...(cursor === undefined ? {} : { cursor }),
      });
      for (const item of page.data) if (item.source !== JUDGE_RUN_SOURCE) ids.push(item.id);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && ids.length < max);
    const { max: _max, ...pass } = options;
    return this.evaluateConversations(projectId, ids, pass);
  }

  async #backgroundProject(projectId: string): Promise<void> {
    const idleBefore = Date.now() - (this.#options.idleSeconds ?? 60) * 1000;
    const since =
      this.#watermarks.get(projectId) ??
      this.#options.since ??
      this.#startedAt - (this.#options.idleSeconds ?? 60) * 1000;
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#store.listConversations(projectId, {
        from: since,
        limit: PAGE,
        ...(cursor === undefined ? {} : { cursor }),
      });
      for (const item of page.data) {
        const at = Date.parse(item.lastActivityAt);
        if (at < idleBefore && item.source !== JUDGE_RUN_SOURCE) ids.push(item.id);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && !this.#abort.signal.aborted);
    this.#watermarks.set(projectId, idleBefore);
    if (ids.length === 0) return;
    const counts = await this.evaluateConversations(projectId, ids, {
      sampleRate: this.#options.sampleRate ?? 1,
    });
    this.#logger.info({ projectId, ...counts }, 'evaluated idle conversations');
  }

  #pick(names: readonly string[] | undefined): readonly Evaluator[] {
    if (names === undefined) return this.#options.evaluators;
    return this.#options.evaluators.filter((evaluator) => names.includes(evaluator.name));
  }

  async #evaluateOne(job: {
    projectId: string;
    conversationId: string;
    evaluators: readonly Evaluator[];
    rate: number;
    counts: EvaluationCounts;
  }): Promise<void> {
    const count = (field: keyof EvaluationCounts) => {
      job.counts[field] += 1;
      this.#totals[field] += 1;
    };
    count('conversations');
    const chosen = isSampled(job.conversationId, job.rate) ? job.evaluators : [];
    for (let i = chosen.length; i < job.evaluators.length; i++) count('sampledOut');
    if (chosen.length === 0 || this.#abort.signal.aborted) return;
    let conversation: Awaited<ReturnType<Store['getConversation']>>;
    try {
      conversation = await this.#store.getConversation(job.projectId, job.conversationId);
    } catch (error) {
      this.#logger.warn({ err: error, conversationId: job.conversationId }, 'evaluation could not read');
      for (const _ of chosen) count('failed');
      return;
    }
    if (conversation === null) {
      for (const _ of chosen) count('skipped');
      return;
    }
    for (const evaluator of chosen) {
      try {
        const verdict = await evaluator.evaluate(conversation, { signal: this.#abort.signal });
        if (verdict === undefined) {
          count('skipped');
          continue;
        }
        await this.#write(job.projectId, verdictEvents(evaluator, conversation.conversation, verdict));
        count('scored');
      } catch (error) {
        count('failed');
        this.#logger.warn(
          { err: error, evaluator: evaluator.name, conversationId: job.conversationId },
          'evaluator failed',
        );
      }
    }
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function runPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
