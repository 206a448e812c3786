/**
 * @sightline/server — the collector: ingest (JSON), queries, feedback, live feed, auth by project
 * API keys, OpenAPI at `/openapi.json` and a reference at `/docs`, and the dashboard at `/`.
 */

// The app and running it
export { createSightlineApp, type SightlineApp, type SightlineAppOptions } from './app.ts';
// Auth
export {
  type AppEnv,
  type AuthContext,
  describeScopes,
  KeyCache,
  projectKeyChecker,
  requireKey,
  SCOPES,
  scopeProblem,
} from './auth.ts';
// Erasure
export type { EraseHook, Erasure } from './erasure.ts';
// Errors and their HTTP statuses
export { HTTP_STATUS_BY_CODE, ServerError, statusOf } from './errors.ts';
export type { EvaluationJob, EvaluationTarget } from './evaluations/evaluation-jobs.ts';
export {
  type EvaluationCounts,
  type EvaluationPassOptions,
  EvaluationRunner,
  type EvaluationRunnerOptions,
} from './evaluations/evaluation-runner.ts';
export { isSampled } from './evaluations/evaluation-sampling.ts';
export { evaluationScoreId, JUDGE_RUN_SOURCE } from './evaluations/verdict-events.ts';
// Building blocks
export { LiveFeed } from './live-feed.ts';
export { createLogger, type Logger } from './logger.ts';
export { RetentionWorker, type RetentionWorkerOptions } from './retention-worker.ts';
export { type ListenOptions, listen, type RunningServer } from './server.ts';
export { WriteQueue, type WriteQueueOptions } from './write-queue.ts';
