import type { Telemetry } from 'ai';
import { type ConversationHandle, TrackedConversation } from '../conversation-handle.ts';
import { describeError, TrackerError } from '../errors.ts';
import { currentScope, runWithStep, scopeStorage, type TrackingScope } from '../step-context.ts';
import { TrackedStep } from '../step-handle.ts';
import type { Tracker } from '../tracker.ts';
import type { StepHandle } from '../tracking-options.ts';

/** Options of {@link sightlineTelemetry}. */
export interface SightlineTelemetryOptions {
  /** Record every call into this conversation instead of the one of the async context. */
  conversation?: ConversationHandle;
  /** Tracker whose current conversation records the calls (default: the conversation of the async context). */
  tracker?: Tracker;
  /** Record prompts/messages as step input (default true). */
  recordInputs?: boolean;
  /** Record generated text, tool calls and tool results as step output (default true). */
  recordOutputs?: boolean;
}

/** What one AI SDK call (one `callId`) has open. */
interface CallState {
  conversation: ConversationHandle;
  scope: TrackingScope | undefined;
  root: StepHandle;
  llm: StepHandle | undefined;
  tools: Map<string, StepHandle>;
  toolNames: Set<string>;
}

type Loose = Record<string, unknown>;

const TEXT_OPERATIONS = new Set(['ai.generateText', 'ai.streamText', 'ai.generateObject', 'ai.streamObject']);

/**
 * An AI SDK telemetry integration (the `Telemetry` interface of `ai` v7) that records
 * `generateText` / `streamText` calls into the current Sightline conversation: a `run` step per
 * call, an `llm` step per model call (model, provider, token usage, time to first output, tool
 * calls) and a `tool` step per tool execution; code run by a tool nests under its tool step.
 *
 * ```ts
 * registerTelemetry(sightlineTelemetry());                              // every call
 * await generateText({ model, prompt, telemetry: { integrations: [sightlineTelemetry()] } }); // one call
 * ```
 */
export function sightlineTelemetry(options: SightlineTelemetryOptions = {}): Telemetry {
  const calls = new Map<string, CallState>();
  const recordInputs = options.recordInputs !== false;
  const recordOutputs = options.recordOutputs !== false;

  const guard =
    <E>(handler: (event: E) => void) =>
    (event: E): void => {
      try {
        handler(event);
      } catch (error) {
        const conversation = calls.get((event as { callId?: string }).callId ?? '')?.conversation;
        if (conversation instanceof TrackedConversation) {
          conversation.core.report(
            new TrackerError('internal', `ai-sdk telemetry: ${describeError(error)}`, { cause: error }),
          );
        }
      }
    };

  const finishCall = (callId: string, result: Parameters<StepHandle['end']>[0]) => {
    const state = calls.get(callId);
    if (!state) return;
    calls.delete(callId);
    for (const tool of state.tools.values())
      tool.end({ error: new Error('the call ended before the tool finished') });
    state.llm?.end(result?.error === undefined ? {} : { error: result.error });
    state.root.end({ ...result, ...(state.toolNames.size > 0 ? { toolsUsed: [...state.toolNames] } : {}) });
  };

  return {
    onStart: guard((raw: unknown) => {
      const event = raw as Loose;
      const operation = String(event.operationId ?? '');
      if (!TEXT_OPERATIONS.has(operation)) return;
      const scope = currentScope();
      const conversation =
        options.conversation ?? options.tracker?.currentConversation() ?? scope?.conversation;
      if (!conversation) return;
      const name = typeof event.functionId === 'string' ? event.functionId : operation.replace(/^ai\./, '');
      const input = recordInputs ? promptOf(event) : undefined;
      const start = () =>
        conversation.startStep({ type: 'run', name, ...(input === undefined ? {} : { input }) });
      const root = scope ? scopeStorage.run(scope, start) : start();
      calls.set(String(event.callId), {
        conversation,
        scope,
        root,
        llm: undefined,
        tools: new Map(),
        toolNames: new Set(),
      });
    }),

    onLanguageModelCallStart: guard((event) => {
      const state = calls.get(event.callId);
      if (!state) return;
      const input = recordInputs ? promptOf(event as unknown as Loose) : undefined;
      state.llm = state.conversation.startStep({
        type: 'llm',
        name: `chat ${event.modelId}`,
        parentId: state.root.id,
        ...(input === undefined ? {} : { input }),
      });
    }),

    onLanguageModelCallEnd: guard((event) => {
      const state = calls.get(event.callId);
      if (!state?.llm) return;
      const toolCalls = event.content
        .filter((part) => part.type === 'tool-call')
        .map((part) => {
          const call = part as unknown as { toolName: string; input: unknown; toolCallId: string };
          return { name: call.toolName, input: call.input, id: call.toolCallId };
        });
      const text = event.content
        .filter((part) => part.type === 'text')
        .map((part) => (part as { text: string }).text)
        .join('');
      const usage = event.usage;
      state.llm.end({
        ...(recordOutputs
          ? { output: toolCalls.length > 0 ? { text: text || undefined, toolCalls } : text }
          : {}),
        usage: {
          model: event.modelId,
          provider: event.provider,
          ...defined('inputTokens', usage.inputTokens),
          ...defined('outputTokens', usage.outputTokens),
          ...defined('totalTokens', usage.totalTokens),
          ...defined('timeToFirstTokenMs', event.performance?.timeToFirstOutputMs),
        },
        ...(toolCalls.length > 0 ? { toolsUsed: toolCalls.map((call) => call.name) } : {}),
        metadata: { finishReason: event.finishReason, responseId: event.responseId },
      });
      state.llm = undefined;
    }),

    onStepError: guard((event) => {
      const state = calls.get(event.callId);
      state?.llm?.end({ error: event.error });
      if (state) state.llm = undefined;
    }),

    onToolExecutionStart: guard((event) => {
      const state = calls.get(event.callId);
      if (!state) return;
      const { toolCall } = event;
      state.toolNames.add(toolCall.toolName);
      const step = state.conversation.startStep({
        type: 'tool',
        name: toolCall.toolName,
        parentId: state.root.id,
        ...(recordInputs ? { input: toolCall.input } : {}),
        metadata: { toolCallId: toolCall.toolCallId },
      });
      state.tools.set(toolCall.toolCallId, step);
    }),

    onToolExecutionEnd: guard((event) => {
      const state = calls.get(event.callId);
      const step = state?.tools.get(event.toolCall.toolCallId);
      if (!state || !step) return;
      state.tools.delete(event.toolCall.toolCallId);
      const output = event.toolOutput as { type: string; output?: unknown; error?: unknown };
      step.end(
        output.type === 'tool-error'
          ? { error: output.error }
          : recordOutputs
            ? { output: output.output }
            : {},
      );
    }),

    // Runs the tool inside its step, so tracking done by the tool (or a nested generateText) nests under it.
    executeTool: <T>(event: { callId: string; toolCallId: string; execute: () => PromiseLike<T> }) => {
      const state = calls.get(event.callId);
      const step = state?.tools.get(event.toolCallId);
      if (!state || !(step instanceof TrackedStep)) return event.execute();
      return runWithStep(step.conversation, step, event.execute);
    },

    onEnd: guard((raw: unknown) => {
      const event = raw as Loose;
      const callId = String(event.callId);
      if (!calls.has(callId)) return;
      const text = typeof event.text === 'string' ? event.text : undefined;
      const usage = (event.usage ?? {}) as Loose;
      finishCall(callId, {
        ...(recordOutputs && text !== undefined ? { output: text } : {}),
        metadata: {
          finishReason: event.finishReason,
          totalUsage: usage,
          steps: (event.steps as unknown[] | undefined)?.length,
        },
      });
    }),

    onAbort: guard((event) =>
      finishCall(event.callId, { error: new Error('aborted'), metadata: { aborted: true } }),
    ),

    onError: guard((event: unknown) => {
      const { callId, error } = (event ?? {}) as { callId?: string; error?: unknown };
      if (callId) finishCall(callId, { error: error ?? new Error('unknown error') });
    }),
  };
}

function promptOf(event: Loose): unknown {
  const messages = event.messages;
  const instructions = event.instructions ?? event.system;
  if (instructions === undefined) return messages;
  return { instructions, messages };
}

function defined<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return typeof value === 'number' && Number.isFinite(value) ? ({ [key]: value } as Record<K, number>) : {};
}
