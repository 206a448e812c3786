/**
 * The collector as a Hono app: ingest, queries, feedback, live feed, health, OpenAPI and docs, and
 * (optionally) the dashboard. `createSightlineApp` builds it; `startServer` listens on a port.
 */

import { OpenAPIHono } from '@hono/zod-openapi';
import type { ParsedEvent } from '@sightline/core';
import { errorHandler, notFoundHandler } from '@sightline/core/http';
import type { Store } from '@sightline/store';
import type { MiddlewareHandler } from 'hono';
import { mountDocs } from './api-docs.ts';
import { type AppEnv, KeyCache } from './auth.ts';
import { type EraseHook, Eraser } from './erasure.ts';
import { HTTP_STATUS_BY_CODE, ServerError } from './errors.ts';
import { EvaluationJobs } from './evaluations/evaluation-jobs.ts';
import {
  EvaluationRunner,
  type EvaluationRunnerDeps,
  type EvaluationRunnerOptions,
  type VerdictWrite,
} from './evaluations/evaluation-runner.ts';
import { LiveFeed } from './live-feed.ts';
import { LiveRelay } from './live-relay.ts';
import { createLogger, type Logger } from './logger.ts';
import { Redactor } from './redaction/redactor.ts';
import { requestTextGuard } from './request-text.ts';
import { RetentionWorker, type RetentionWorkerOptions } from './retention-worker.ts';
import { agentVersionRoutes } from './routes/agent-versions.ts';
import { conversationAdminRoutes } from './routes/conversation-admin.ts';
import { datasetRoutes } from './routes/datasets.ts';
import { evaluationRoutes } from './routes/evaluations.ts';
import { experimentRoutes } from './routes/experiments.ts';
import { exportRoutes } from './routes/exports.ts';
import { feedbackRoutes } from './routes/feedback.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { liveRoutes } from './routes/live.ts';
import { otlpRoutes } from './routes/otlp.ts';
import { projectSettingsRoutes } from './routes/project-settings.ts';
import { queryRoutes } from './routes/query.ts';
import { retentionRoutes } from './routes/retention.ts';
import { scoreRoutes } from './routes/scores.ts';
import { serveFile } from './static-files.ts';
import { WriteQueue } from './write-queue.ts';

export interface SightlineAppOptions {
  store: Store;
  logger?: Logger;
  /** Largest ingest body in bytes (default: core LIMITS.maxBatchBytes). */
  maxBatchBytes?: number;
  /** Most events waiting to be written before ingest answers 503. */
  maxQueuedEvents?: number;
  /** Directory of the built dashboard, served at `/`. */
  dashboardDir?: string;
  /** Interval of SSE keep-alive comments on `/v1/live`, in ms. */
  liveKeepAliveMs?: number;
  /** Level of the one-line log of each request (default `info`; `debug` keeps a terminal quiet). */
  requestLogLevel?: 'info' | 'debug';
  /** How long a project's redaction rules are cached before its settings are read again (default 5,000 ms). */
  redactionCacheMs?: number;
  /** Most milliseconds a project's own redaction patterns may take on one event (default 100 ms). */
  redactionBudgetMs?: number;
  /**
   * Run after each erasure (`DELETE /v1/conversations/:id`, `/v1/customers/:id`), for data kept beside
   * the collector (served agents' sessions); more can be added with `addEraseHook`.
   */
  onErase?: EraseHook;
  /** The background expiry of data past each project's retention (RetentionWorkerOptions); false: off. */
  retention?: RetentionWorkerOptions | false;
  /**
   * Evaluators run over new conversations in the background (unless `background` is false) and on
   * demand (`POST /v1/evaluations`); see EvaluationRunnerOptions. None: the routes answer 404.
   */
  evaluations?: EvaluationRunnerOptions & { background?: boolean };
}

export interface SightlineApp {
  app: OpenAPIHono<AppEnv>;
  queue: WriteQueue;
  live: LiveFeed;
  keys: KeyCache;
  logger: Logger;
  /** Redacts every batch before the write queue takes it (the project's redaction settings). */
  redactor: Redactor;
  /** Expires data past each project's retention in the background; stopped by shutdown. */
  retention: RetentionWorker;
  /** Runs the evaluators (null without `evaluations`); stopped by shutdown. */
  evaluations: EvaluationRunner | null;
  /** Adds a hook run after each erasure (see SightlineAppOptions.onErase); returns its removal. */
  addEraseHook(hook: EraseHook): () => void;
  /** Resolves when background set-up (the cross-node live relay) is done. */
  ready(): Promise<void>;
  /** Stops taking writes and live streams, waits for queued writes to commit. */
  shutdown(): Promise<void>;
  /** True until shutdown begins. */
  readonly accepting: boolean;
}

/** Builds the collector app over a migrated store. */
export function createSightlineApp(options: SightlineAppOptions): SightlineApp {
  const logger = options.logger ?? createLogger();
  const live = new LiveFeed();
  const keys = new KeyCache(options.store);
  const relay =
    options.store.dialect === 'postgres' ? new LiveRelay({ store: options.store, live, logger }) : null;
  const relayReady = relay ? relay.start() : Promise.resolve();
  relayReady.catch((error) =>
    logger.warn({ err: error }, 'live relay unavailable: /v1/live shows this node only'),
  );
  const redactor = new Redactor({
    store: options.store,
    logger,
    ...(options.redactionCacheMs !== undefined ? { cacheMs: options.redactionCacheMs } : {}),
    ...(options.redactionBudgetMs !== undefined ? { budgetMs: options.redactionBudgetMs } : {}),
  });
  const queue = new WriteQueue({
    store: options.store,
    ...(options.maxQueuedEvents ? { maxQueuedEvents: options.maxQueuedEvents } : {}),
    prepare: (projectId, events) => redactor.prepare(projectId, events),
    onCommitted: (projectId, events) => {
      const published = live.publish(projectId, events);
      relay?.send(projectId, published);
      countReplacedText({ store: options.store, logger }, projectId, events);
      redactor.countCommitted(projectId, events);
    },
  });
  const eraser = new Eraser({ store: options.store, live, relay, logger });
  if (options.onErase) eraser.addHook(options.onErase);
  const retention = new RetentionWorker({
    store: options.store,
    logger,
    ...(options.retention ? { options: options.retention } : {}),
  });
  if (options.retention !== false) retention.start();
  const evaluations = options.evaluations
    ? startEvaluations({ store: options.store, logger, write: verdictWrite(queue) }, options.evaluations)
    : null;
  let accepting = true;
  let signalClosing: () => void = () => undefined;
  const closing = new Promise<void>((resolve) => {
    signalClosing = resolve;
  });

  const app = new OpenAPIHono<AppEnv>();
  app.use(requestLog(logger, options.requestLogLevel ?? 'info'));
  app.use(requestTextGuard());
  app.use('/v1/*', async (c, next) => {
    if (!accepting && c.req.method !== 'GET')
      throw new ServerError('overloaded', 'the server is shutting down; retry against another node');
    await next();
  });
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (!accepting) return c.json({ status: 'shutting down' }, 503);
    try {
      await options.store.ping();
      return c.json({ status: 'ready', queue: queue.depth });
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed');
      return c.json({ status: 'database unavailable' }, 503);
    }
  });
  app.route(
    '/',
    ingestRoutes({
      store: options.store,
      queue,
      keys,
      logger,
      redactor,
      ...(options.maxBatchBytes ? { maxBatchBytes: options.maxBatchBytes } : {}),
    }),
  );
  app.route(
    '/',
    otlpRoutes({
      store: options.store,
      queue,
      keys,
      ...(options.maxBatchBytes ? { maxBatchBytes: options.maxBatchBytes } : {}),
    }),
  );
  app.route('/', feedbackRoutes({ store: options.store, queue, keys }));
  app.route('/', scoreRoutes({ store: options.store, queue, keys }));
  // Before the read routes: its PATCH and DELETE answer before their read-key check.
  app.route('/', conversationAdminRoutes({ store: options.store, keys, eraser }));
  app.route('/', retentionRoutes({ store: options.store, keys, runNow: (id) => retention.runProject(id) }));
  app.route('/', evaluationRoutes({ keys, evaluations }));
  app.route('/', agentVersionRoutes({ store: options.store, keys }));
  app.route('/', datasetRoutes({ store: options.store, keys }));
  app.route('/', experimentRoutes({ store: options.store, keys }));
  app.route('/', queryRoutes({ store: options.store, keys }));
  app.route('/', projectSettingsRoutes({ store: options.store, keys, redactor }));
  app.route(
    '/',
    liveRoutes({
      live,
      keys,
      closing,
      ...(options.liveKeepAliveMs ? { keepAliveMs: options.liveKeepAliveMs } : {}),
    }),
  );
  app.route('/', exportRoutes({ store: options.store, keys, logger, closing }));
  mountDocs(app);
  if (options.dashboardDir) mountDashboard(app, options.dashboardDir);
  app.notFound(notFoundHandler());
  app.onError(
    errorHandler({ report: (error, c) => logger.error({ err: error, path: c.req.path }, 'request failed') }),
  );

  return {
    app,
    queue,
    live,
    keys,
    logger,
    redactor,
    retention,
    evaluations: evaluations?.runner ?? null,
    get accepting() {
      return accepting;
    },
    addEraseHook: (hook) => eraser.addHook(hook),
    ready: () => relayReady.catch(() => undefined),
    async shutdown() {
      accepting = false;
      signalClosing();
      await retention.stop();
      await evaluations?.runner.stop();
      await evaluations?.jobs.drain();
      await queue.drain();
      await relay?.stop();
    },
  };
}

/** The evaluation runner, started in the background unless told not to, and its on-demand jobs. */
function startEvaluations(
  deps: Omit<EvaluationRunnerDeps, 'options'>,
  options: EvaluationRunnerOptions & { background?: boolean },
): { runner: EvaluationRunner; jobs: EvaluationJobs } {
  const { background = true, ...runnerOptions } = options;
  const runner = new EvaluationRunner({ ...deps, options: runnerOptions });
  if (background) runner.start();
  return { runner, jobs: new EvaluationJobs({ runner, logger: deps.logger }) };
}

/**
 * Verdicts go through the write queue like ingested events: redacted before they are written, on the live
 * feed, counted. A full queue is waited out (a verdict is not dropped for a burst of ingest); an event a
 * redaction rule refused fails the verdict (the rest of it is stored).
 */
function verdictWrite(queue: WriteQueue): VerdictWrite {
  return async (projectId, events) => {
    const { rejected } = await submitWhenRoom(queue, { projectId, events });
    if (rejected.size === 0) return;
    const [issue] = [...rejected.values()].flat();
    throw new ServerError(
      'invalid_request',
      `${rejected.size} of the verdict's events were refused by redaction${issue ? `: ${issue.message}` : ''}`,
    );
  };
}

/** Submits to the queue, retrying while it is full (up to ~30 s), as a tracker retries a 503. */
async function submitWhenRoom(queue: WriteQueue, batch: { projectId: string; events: ParsedEvent[] }) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await queue.submit(batch.projectId, batch.events);
    } catch (error) {
      if (!(error instanceof ServerError) || error.code !== 'overloaded' || attempt >= 30) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

/** Counts, for the ingestion page, the stored fields whose unstorable characters became U+FFFD. */
function countReplacedText(
  deps: { store: Store; logger: Logger },
  projectId: string,
  events: ReadonlyArray<ParsedEvent>,
): void {
  let replaced = 0;
  for (const event of events) replaced += event.sanitized?.length ?? 0;
  if (replaced === 0) return;
  deps.store
    .addIngestCounts(projectId, { text_replaced: replaced })
    .catch((error) => deps.logger.warn({ err: error }, 'could not count replaced text'));
}

function requestLog(logger: Logger, level: 'info' | 'debug'): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    if (!logger.isLevelEnabled(level) || c.req.path === '/healthz' || c.req.path === '/readyz') return;
    logger[level](
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  };
}

function mountDashboard(app: OpenAPIHono<AppEnv>, root: string): void {
  app.get('*', async (c, next) => {
    if (c.req.path.startsWith('/v1/')) return next();
    return (
      (await serveFile(c, { root, spaFallback: true, immutable: c.req.path.startsWith('/assets/') })) ??
      next()
    );
  });
}

export { HTTP_STATUS_BY_CODE };
