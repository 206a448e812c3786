/**
 * A tracker that records in memory what it is told (conversations, messages, steps), for testing the
 * tracing processor, or your own instrumentation, without a collector.
 */
import { randomUUID } from 'node:crypto';
import type {
  AgentConversationHandle,
  AgentConversationOptions,
  AgentStepResult,
  AgentStepStart,
  AgentTracker,
} from '../tracing/tracker-contract.ts';

export interface RecordedConversation {
  id: string;
  options: AgentConversationOptions;
  updates: AgentConversationOptions[];
}

export interface RecordedMessage {
  id: string;
  conversationId: string;
  role: 'human' | 'agent';
  content: string;
  timestamp: Date | undefined;
  metadata: Record<string, unknown> | undefined;
  /** The agent version the handle carried when the message was tracked (as the tracker's scope does). */
  agentVersion: string | undefined;
}

export interface RecordedStep extends AgentStepStart, AgentStepResult {
  id: string;
  conversationId: string;
  parentId: string | null;
  ended: boolean;
  /** The agent version the handle carried when the step was tracked or started. */
  agentVersion: string | undefined;
}

/**
 * A recording tracker: the processor's view of `@sightline/tracker`, kept in arrays. Like the real one it
 * has flush hooks, so the processor maps spans after each run; reading an array runs the hooks first,
 * so it always shows every run that finished.
 */
export interface RecordingTracker extends AgentTracker {
  readonly conversations: RecordedConversation[];
  readonly messages: RecordedMessage[];
  readonly steps: RecordedStep[];
  flushes: number;
  /** Steps of a conversation whose type matches, in start order. */
  stepsOf(conversationId: string, type?: string): RecordedStep[];
  /** The chain of step types from a step up to its root, e.g. ['llm', 'turn', 'agent', 'run']. */
  ancestry(step: RecordedStep): string[];
}

/** Creates an empty recording tracker. */
export function createRecordingTracker(): RecordingTracker {
  const records: Records = { conversations: [], messages: [], steps: [] };
  const hooks = new Set<() => void>();
  const settled = () => {
    for (const hook of hooks) hook();
    return records;
  };
  const tracker: RecordingTracker = {
    get conversations() {
      return settled().conversations;
    },
    get messages() {
      return settled().messages;
    },
    get steps() {
      return settled().steps;
    },
    flushes: 0,
    conversation(id, options = {}) {
      let record = records.conversations.find((conversation) => conversation.id === id);
      if (!record) {
        record = { id, options, updates: [] };
        records.conversations.push(record);
      }
      return handleFor(records, record, options.agentVersion);
    },
    addFlushHook(hook) {
      const entry = () => hook();
      hooks.add(entry);
      return () => hooks.delete(entry);
    },
    async flush() {
      settled();
      tracker.flushes += 1;
      return { sent: 0 };
    },
    stepsOf(conversationId, type) {
      return tracker.steps.filter(
        (step) => step.conversationId === conversationId && (type === undefined || step.type === type),
      );
    },
    ancestry(step) {
      const chain: string[] = [];
      let current: RecordedStep | undefined = step;
      for (let depth = 0; current && depth < 100; depth += 1) {
        chain.push(current.type);
        const parentId: string | null = current.parentId;
        current =
          parentId === null ? undefined : tracker.steps.find((candidate) => candidate.id === parentId);
      }
      return chain;
    },
  };
  return tracker;
}

interface Records {
  conversations: RecordedConversation[];
  messages: RecordedMessage[];
  steps: RecordedStep[];
}

function handleFor(
  tracker: Records,
  record: RecordedConversation,
  initialVersion: string | undefined,
): AgentConversationHandle {
  // Like the tracker's conversation scope: an update's agentVersion rides on this handle's later events.
  let agentVersion = initialVersion;
  const message =
    (role: 'human' | 'agent') =>
    (
      content: string,
      options: { metadata?: Record<string, unknown>; timestamp?: Date; messageId?: string } = {},
    ) => {
      const id = options.messageId ?? randomUUID();
      tracker.messages.push({
        id,
        conversationId: record.id,
        role,
        content,
        timestamp: options.timestamp,
        metadata: options.metadata,
        agentVersion,
      });
      return id;
    };
  return {
    id: record.id,
    update(context) {
      record.updates.push(context);
      agentVersion = context.agentVersion ?? agentVersion;
    },
    trackHumanMessage: message('human'),
    trackAgentMessage: message('agent'),
    trackAction(action) {
      const { response, ...rest } = action;
      const step: RecordedStep = {
        ...rest,
        type: action.type ?? 'action',
        id: randomUUID(),
        conversationId: record.id,
        parentId: action.parentId ?? null,
        ended: true,
        agentVersion,
        ...(response !== undefined ? { output: response } : {}),
      };
      tracker.steps.push(step);
      return step.id;
    },
    trackGeneration(generation) {
      const { model, provider, inputTokens, outputTokens, totalTokens, ...rest } = generation;
      const usage = {
        model,
        provider,
        inputTokens,
        outputTokens,
        totalTokens: totalTokens ?? sum(inputTokens, outputTokens),
      };
      const step: RecordedStep = {
        ...rest,
        type: 'llm',
        name: generation.name ?? model,
        id: randomUUID(),
        conversationId: record.id,
        parentId: generation.parentId ?? null,
        ended: true,
        agentVersion,
        usage: Object.fromEntries(
          Object.entries(usage).filter(([, v]) => v !== undefined),
        ) as RecordedStep['usage'] & object,
      };
      tracker.steps.push(step);
      return step.id;
    },
    startStep(options) {
      const step: RecordedStep = {
        ...options,
        id: options.stepId ?? randomUUID(),
        conversationId: record.id,
        parentId: options.parentId ?? null,
        ended: false,
        agentVersion,
      };
      tracker.steps.push(step);
      return {
        id: step.id,
        end(result = {}) {
          if (step.ended) return;
          Object.assign(step, result, { ended: true });
        },
      };
    },
  };
}

function sum(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a + b;
}
