/**
 * The part of @sightline/tracker's `Tracker` the tracing processor uses, written structurally so the
 * real tracker (`createTracker()`) fits it and tests can pass a recording fake.
 */
import type { Usage } from '@sightline/core';

/** Options of a conversation (the tracker's `ConversationOptions`, the fields we set). */
export interface AgentConversationOptions {
  customerId?: string;
  source?: string;
  metadata?: Record<string, unknown>;
  /** The version of the agent whose run the events record (see agent-version.ts); rides on every later event. */
  agentVersion?: string;
}

/** A finished step's result (the tracker's `StepHandle.end` argument). */
export interface AgentStepResult {
  output?: unknown;
  error?: unknown;
  usage?: Usage;
  endedAt?: Date;
  metadata?: Record<string, unknown>;
  toolsUsed?: string[];
}

/** A running step (the tracker's `StepHandle`). */
export interface AgentStepHandle {
  readonly id: string;
  end(result?: AgentStepResult): void;
}

/** Options of a step started with an explicit lifecycle (the tracker's `startStep` argument). */
export interface AgentStepStart {
  type: string;
  name: string;
  input?: unknown;
  metadata?: Record<string, unknown>;
  parentId?: string | null;
  stepId?: string;
  startedAt?: Date;
}

/** A finished step recorded as one event (the tracker's `ActionOptions`, the fields we set). */
export interface AgentAction {
  name: string;
  type?: string;
  startedAt?: Date;
  endedAt?: Date;
  toolsUsed?: string[];
  input?: unknown;
  response?: unknown;
  error?: unknown;
  metadata?: Record<string, unknown>;
  parentId?: string | null;
}

/** A finished model call recorded as one `llm` event (the tracker's `GenerationOptions`, the fields we set). */
export interface AgentGeneration {
  model: string;
  provider?: string;
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  startedAt?: Date;
  endedAt?: Date;
  name?: string;
  input?: unknown;
  output?: unknown;
  error?: unknown;
  metadata?: Record<string, unknown>;
  parentId?: string | null;
}

/** A conversation (the tracker's `ConversationHandle`). */
export interface AgentConversationHandle {
  readonly id: string;
  update(context: AgentConversationOptions): void;
  trackHumanMessage(
    content: string,
    options?: { metadata?: Record<string, unknown>; timestamp?: Date },
  ): string;
  trackAgentMessage(
    content: string,
    options?: { metadata?: Record<string, unknown>; timestamp?: Date; messageId?: string },
  ): string;
  startStep(options: AgentStepStart): AgentStepHandle;
  trackAction(action: AgentAction): string;
  trackGeneration(generation: AgentGeneration): string;
}

/** The tracker (the tracker's `Tracker`): conversations, the ambient conversation, flushing. */
export interface AgentTracker {
  conversation(id: string, context?: AgentConversationOptions): AgentConversationHandle;
  currentConversation?(): AgentConversationHandle | undefined;
  /** The step the caller runs inside (`conversation.step(...)`), if any. */
  currentStep?(): AgentStepHandle | undefined;
  flush?(options?: { timeoutMs?: number }): Promise<unknown>;
  /** Runs `hook` first in every flush and shutdown (lets the processor map spans after the run). */
  addFlushHook?(hook: () => void): () => void;
}
