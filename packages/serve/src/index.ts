/**
 * @sightline/serve — agents and interactive workflows as REST, SSE and WebSocket endpoints (a Hono router
 * that mounts in any app), an MCP endpoint for tools, and every served run tracked in Sightline.
 */

// Sessions and paused runs: memorySessions here; the durable stores and the types are @sightline/agents',
// re-exported so `import { sqliteSessions } from '@sightline/serve'` keeps working.
export {
  type CommitGroupStats,
  memoryRuns,
  type PostgresRunStore,
  type PostgresSessionStore,
  type PostgresSessionsOptions,
  postgresRuns,
  postgresServedEraser,
  postgresSessions,
  type RunStore,
  type ServedDataEraser,
  type ServedErasureCounts,
  type SqliteSessionStore,
  sqliteRuns,
  sqliteServedEraser,
  sqliteSessions,
} from '@sightline/agents';
// Errors
export { errorBodyOf, HTTP_STATUS, statusOf } from '@sightline/core/http';
// Agents over HTTP
export type { AgentDescription, AnyAgent, ServedAgents, ToolDescription } from './agents/agent-catalog.ts';
export { type AgentsRouter, type ServeAgentsOptions, serveAgents } from './agents/agent-routes.ts';
export type { ApprovalDecision, RunCaller } from './agents/agent-runs.ts';
export type { RunOutcome, RunStatus, RunUsage } from './agents/live-run.ts';
export type { RunMessageMetadata } from './agents/ui-message-chunks.ts';
// Several nodes: where runs are recorded (RunStore) and how they reach across nodes (RunBus)
export { type MemoryHub, memoryBus, memoryHub } from './bus/memory-bus.ts';
export { type NatsBusOptions, natsBus } from './bus/nats-bus.ts';
export type { CommandReply, LastFrame, RunBus, RunCommand } from './bus/run-bus.ts';
export { runFailure, ServeError } from './errors.ts';
// Shared hooks: auth, context, tracking, limits
export type { ServeEnv, ServeHooks } from './http/serve-hooks.ts';
export { type Caller, defaultUserId, type GetUser } from './http/user.ts';
export { createWebSocketSupport, type WebSocketSupport } from './http/websockets.ts';
// MCP: function tools as a Streamable HTTP MCP endpoint
export { type McpRouter, type ServeMcpOptions, serveMcp } from './mcp/mcp-routes.ts';
export type { AnyFunctionTool, McpApprovalPolicy } from './mcp/mcp-tools.ts';
export { defaultMcpConversation, type McpCallOrigin } from './mcp/mcp-tracking.ts';
export { type ServeNode, type ServeNodeOptions, serveNode } from './nodes/serve-node.ts';
export type { ConversationHistory } from './sessions/conversation-history.ts';
export { type HistoryMessageMetadata, historyMessages } from './sessions/history-messages.ts';
export {
  type ApprovalRequest,
  type MemorySessionsOptions,
  memorySessions,
  type PendingRun,
  type SessionStore,
} from './sessions/session-store.ts';
// Tracked conversations: partitioned by user, like sessions
export { newConversationId, trackedConversationId, userNamespace } from './sessions/tracked-conversation.ts';
export { eraseServedData } from './sessions/tracked-erasure.ts';
// Workflows: functions that talk with a person (say / ask / choose) over WebSocket or SSE
export {
  type AskOptions,
  type ChooseOptions,
  defineWorkflow,
  type Workflow,
  type WorkflowEvent,
  type WorkflowIO,
} from './workflows/workflow.ts';
export {
  type ServeWorkflowsOptions,
  serveWorkflows,
  type WorkflowsRouter,
} from './workflows/workflow-routes.ts';
export type { WorkflowRunStatus } from './workflows/workflow-run.ts';
export type { AnyWorkflow, WorkflowDescription } from './workflows/workflow-runs.ts';
