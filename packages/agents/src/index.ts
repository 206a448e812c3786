/**
 * @sightline/agents — what the OpenAI Agents SDK lacks for production: durable sessions, self-hosted
 * tracing into Sightline, and an offline demo model.
 */

// Sessions
// Arithmetic the demo model understands (safe: a small parser, never eval)
export { evaluateArithmetic, findArithmetic } from './demo/arithmetic.ts';
// Models
export {
  DEMO_MODEL_NAME,
  DEMO_PROVIDER,
  DemoModel,
  type DemoModelOptions,
  demoModel,
  demoModelProvider,
  estimateTokens,
} from './demo/demo-model.ts';
export { chooseModel, type ModelChoice } from './demo/models.ts';
// Errors
export {
  GuardrailRejectedError,
  SessionConflictError,
  SessionInputError,
  SessionStorageError,
  SessionTurnClosedError,
  SightlineAgentsError,
  toGuardrailError,
} from './errors.ts';
// Evaluators: model judges (code evaluators and the runner: @sightline/core, @sightline/server)
export { DEMO_JUDGE_MODEL_NAME, demoJudgeModel } from './evaluators/demo-judge.ts';
export type { AiSdkLanguageModel, JudgeAnswer, JudgeModel } from './evaluators/judge-model.ts';
export { type JudgeScale, JudgeVerdictError } from './evaluators/judge-prompt.ts';
export { type ModelEvaluatorOptions, modelEvaluator } from './evaluators/model-evaluator.ts';
// Served runs: records, workflow events and node heartbeats, shared by the nodes serving them
export { type MemoryRunsOptions, memoryRuns } from './runs/memory-runs.ts';
export { type PostgresRunStore, type PostgresRunsOptions, postgresRuns } from './runs/postgres-runs.ts';
export {
  ENDED_RUN_STATUSES,
  type RunEvent,
  type RunQuery,
  type RunStore,
  type ServedRunKind,
  type ServedRunRecord,
  type ServedRunStatus,
  type StoredRun,
} from './runs/run-store.ts';
export { sqliteRuns } from './runs/sqlite-runs.ts';
// Served sessions: the stores @sightline/serve keeps conversations and paused runs in
export type { CommitGroupStats } from './sessions/commit-group.ts';
export {
  DurableSession,
  type DurableSessionOptions,
  type HistoryStore,
  type ListSessionsOptions,
  type SessionKey,
  type SessionSummary,
  type SessionUser,
} from './sessions/durable-session.ts';
export type { EncodedItem, HistoryChange } from './sessions/history-change.ts';
export { NewConversationTurn } from './sessions/new-conversation-turn.ts';
export {
  closeSessionPools,
  type PostgresListOptions,
  PostgresSession,
  sessionPool,
} from './sessions/postgres-session.ts';
export {
  type PostgresSessionStore,
  type PostgresSessionsOptions,
  postgresSessions,
} from './sessions/postgres-sessions.ts';
export {
  postgresServedEraser,
  type ServedDataEraser,
  type ServedErasureCounts,
  sqliteServedEraser,
} from './sessions/served-data-erasure.ts';
export {
  type ApprovalRequest,
  commitStoreTurn,
  type PendingRun,
  type SessionStore,
} from './sessions/session-store.ts';
export {
  beginSessionTurn,
  SessionTurn,
  type SessionTurnOptions,
  type TurnTarget,
  withSessionTurn,
} from './sessions/session-turn.ts';
export {
  closeSessionDatabases,
  openSessionDatabase,
  type SqliteDatabase,
  type SqliteListOptions,
  SqliteSession,
} from './sessions/sqlite-session.ts';
export { type SqliteSessionStore, sqliteSessions } from './sessions/sqlite-sessions.ts';
// Tracing
export { type AgentVersionLabel, agentFingerprint, agentVersionOf } from './tracing/agent-version.ts';
export { withAnswerMessageId } from './tracing/answer-message.ts';
export {
  type ConversationBinding,
  currentConversationBinding,
  inConversation,
} from './tracing/conversation-scope.ts';
export { instrumentAgents, uninstrumentAgents } from './tracing/instrument.ts';
export { trailingUserText } from './tracing/item-text.ts';
export { providerOf } from './tracing/span-mapping.ts';
export {
  SightlineTracingProcessor,
  type TracingOptions,
  type TracingStats,
} from './tracing/tracing-processor.ts';
export type {
  AgentConversationHandle,
  AgentConversationOptions,
  AgentStepHandle,
  AgentStepResult,
  AgentStepStart,
  AgentTracker,
} from './tracing/tracker-contract.ts';
