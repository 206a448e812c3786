import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { Serialized } from '@langchain/core/load/serializable';
import type { BaseMessage } from '@langchain/core/messages';
import type { LLMResult } from '@langchain/core/outputs';
import type { ConversationHandle } from '../conversation-handle.ts';
import { TrackedConversation } from '../conversation-handle.ts';
import { describeError, TrackerError } from '../errors.ts';
import { currentScope } from '../step-context.ts';
import type { Tracker } from '../tracker.ts';
import type { StepHandle } from '../tracking-options.ts';

/** Options of {@link SightlineCallbackHandler}. */
export interface SightlineCallbackHandlerOptions {
  /** Record every run into this conversation. */
  conversation?: ConversationHandle;
  /** Tracker used to open the conversation named in run metadata (`conversation_id`, `thread_id`, `session_id`). */
  tracker?: Tracker;
  /** Record chain runs as steps (default true); LLM, tool and retriever runs are always recorded. */
  recordChains?: boolean;
}

interface OpenRun {
  step: StepHandle;
  conversation: ConversationHandle;
  startPerf: number;
  firstTokenMs?: number;
  model?: string;
  provider?: string;
}

type Loose = Record<string, unknown>;
const METADATA_CONVERSATION_KEYS = ['conversation_id', 'conversationId', 'thread_id', 'session_id'];

/**
 * A LangChain.js callback handler: LLM and chat model calls become `llm` steps (model, token usage,
 * time to first token, tool calls), tools `tool` steps, retrievers `retrieval` steps and chains
 * `chain` steps, nested by LangChain's run ids under the step current when the root run started.
 * The conversation is, in order: the one given, the one named in run metadata, or the one of the
 * async context. Handlers run inline (`awaitHandlers`), which is cheap: they only append to memory.
 *
 * ```ts
 * await agent.invoke(input, { callbacks: [new SightlineCallbackHandler()] });
 * ```
 */
export class SightlineCallbackHandler extends BaseCallbackHandler {
  name = 'sightline_tracker';
  override awaitHandlers = true;
  private readonly runs = new Map<string, OpenRun>();
  private readonly options: SightlineCallbackHandlerOptions;

  constructor(options: SightlineCallbackHandlerOptions = {}) {
    super();
    this.options = options;
  }

  override handleChatModelStart(
    llm: Serialized,
    messages: BaseMessage[][],
    runId: string,
    parentRunId?: string,
    extraParams?: Record<string, unknown>,
    _tags?: string[],
    metadata?: Record<string, unknown>,
    runName?: string,
  ): void {
    this.startLlm(llm, (messages[0] ?? []).map(messageToJson), {
      runId,
      parentRunId,
      extraParams,
      metadata,
      runName,
    });
  }

  override handleLLMStart(
    llm: Serialized,
    prompts: string[],
    runId: string,
    parentRunId?: string,
    extraParams?: Record<string, unknown>,
    _tags?: string[],
    metadata?: Record<string, unknown>,
    runName?: string,
  ): void {
    this.startLlm(llm, prompts.length === 1 ? prompts[0] : prompts, {
      runId,
      parentRunId,
      extraParams,
      metadata,
      runName,
    });
  }

  override handleLLMNewToken(_token: string, _idx: unknown, runId: string): void {
    const run = this.runs.get(runId);
    if (run && run.firstTokenMs === undefined) run.firstTokenMs = performance.now() - run.startPerf;
  }

  override handleLLMEnd(output: LLMResult, runId: string): void {
    this.finish(runId, (run) => {
      const generation = (output.generations?.[0]?.[0] ?? {}) as Loose;
      const message = (generation.message ?? {}) as Loose;
      const usage = tokenUsage(output, message);
      const toolCalls = ((message.tool_calls as Loose[] | undefined) ?? []).map((call) => ({
        name: String(call.name),
        args: call.args,
      }));
      const llmOutput = (output.llmOutput ?? {}) as Loose;
      const model =
        stringOr(llmOutput.model_name, run.model) ??
        stringOr(((message.response_metadata ?? {}) as Loose).model_name, undefined);
      const text = typeof generation.text === 'string' ? generation.text : '';
      return {
        output: toolCalls.length > 0 ? { text: text || undefined, toolCalls } : text,
        usage: {
          model: model ?? 'unknown',
          ...(run.provider ? { provider: run.provider } : {}),
          ...usage,
          ...(run.firstTokenMs === undefined ? {} : { timeToFirstTokenMs: run.firstTokenMs }),
        },
        ...(toolCalls.length > 0 ? { toolsUsed: toolCalls.map((call) => call.name) } : {}),
      };
    });
  }

  override handleLLMError(error: unknown, runId: string): void {
    this.finish(runId, () => ({ error }));
  }

  // LangChain calls this as (chain, inputs, runId, parentRunId, tags, metadata, runType, runName);
  // the parameter names follow the call, the types the declaration.
  override handleChainStart(
    chain: Serialized,
    inputs: Record<string, unknown>,
    runId: string,
    parentRunId?: string,
    _tags?: string[],
    metadata?: Record<string, unknown>,
    runType?: string,
    runName?: string,
  ): void {
    if (this.options.recordChains === false) return;
    const name = runName ?? lastId(chain) ?? 'chain';
    this.start({
      runId,
      parentRunId,
      metadata,
      type: runType === 'prompt' ? 'prompt' : 'chain',
      name,
      input: inputs,
    });
  }

  override handleChainEnd(outputs: Record<string, unknown>, runId: string): void {
    this.finish(runId, () => ({ output: outputs }));
  }

  override handleChainError(error: unknown, runId: string): void {
    this.finish(runId, () => ({ error }));
  }

  override handleToolStart(
    tool: Serialized,
    input: string,
    runId: string,
    parentRunId?: string,
    _tags?: string[],
    metadata?: Record<string, unknown>,
    runName?: string,
    toolCallId?: string,
  ): void {
    const name = runName ?? lastId(tool) ?? 'tool';
    this.start({
      runId,
      parentRunId,
      metadata: toolCallId ? { ...metadata, toolCallId } : metadata,
      type: 'tool',
      name,
      input: parseMaybeJson(input),
    });
  }

  override handleToolEnd(output: unknown, runId: string): void {
    this.finish(runId, () => ({ output: (output as { content?: unknown } | undefined)?.content ?? output }));
  }

  override handleToolError(error: unknown, runId: string): void {
    this.finish(runId, () => ({ error }));
  }

  override handleRetrieverStart(
    retriever: Serialized,
    query: string,
    runId: string,
    parentRunId?: string,
    _tags?: string[],
    metadata?: Record<string, unknown>,
    name?: string,
  ): void {
    this.start({
      runId,
      parentRunId,
      metadata,
      type: 'retrieval',
      name: name ?? lastId(retriever) ?? 'retriever',
      input: query,
    });
  }

  override handleRetrieverEnd(documents: unknown[], runId: string): void {
    this.finish(runId, () => ({ output: documents }));
  }

  override handleRetrieverError(error: unknown, runId: string): void {
    this.finish(runId, () => ({ error }));
  }

  private startLlm(
    llm: Serialized,
    input: unknown,
    run: {
      runId: string;
      parentRunId: string | undefined;
      extraParams: Record<string, unknown> | undefined;
      metadata: Record<string, unknown> | undefined;
      runName: string | undefined;
    },
  ): void {
    const params = (run.extraParams?.invocation_params ?? {}) as Loose;
    const model = stringOr(
      params.model,
      stringOr(params.model_name, stringOr(run.metadata?.ls_model_name, undefined)),
    );
    const provider = stringOr(run.metadata?.ls_provider, undefined);
    const open = this.start({
      runId: run.runId,
      parentRunId: run.parentRunId,
      metadata: run.metadata,
      type: 'llm',
      name: run.runName ?? (model ? `chat ${model}` : (lastId(llm) ?? 'llm')),
      input,
    });
    if (open) {
      if (model) open.model = model;
      if (provider) open.provider = provider;
    }
  }

  private start(run: {
    runId: string;
    parentRunId: string | undefined;
    metadata: Record<string, unknown> | undefined;
    type: string;
    name: string;
    input: unknown;
  }): OpenRun | undefined {
    try {
      const parent = run.parentRunId ? this.runs.get(run.parentRunId) : undefined;
      const conversation = parent?.conversation ?? this.conversationFor(run.metadata);
      if (!conversation) return undefined;
      const step = conversation.startStep({
        type: run.type,
        name: run.name,
        input: run.input,
        // A child run nests under its parent run; a root run under the step current in the async context.
        ...(parent ? { parentId: parent.step.id } : {}),
      });
      const open: OpenRun = { step, conversation, startPerf: performance.now() };
      this.runs.set(run.runId, open);
      return open;
    } catch (error) {
      this.report(error);
      return undefined;
    }
  }

  private finish(runId: string, result: (run: OpenRun) => Parameters<StepHandle['end']>[0]): void {
    const run = this.runs.get(runId);
    if (!run) return;
    this.runs.delete(runId);
    try {
      run.step.end(result(run));
    } catch (error) {
      run.step.end({});
      this.report(error);
    }
  }

  private conversationFor(metadata: Record<string, unknown> | undefined): ConversationHandle | undefined {
    if (this.options.conversation) return this.options.conversation;
    const named = METADATA_CONVERSATION_KEYS.map((key) => metadata?.[key]).find(
      (value) => typeof value === 'string',
    );
    if (typeof named === 'string' && this.options.tracker) {
      const current = currentScope()?.conversation;
      return current?.id === named ? current : this.options.tracker.conversation(named);
    }
    return this.options.tracker?.currentConversation() ?? currentScope()?.conversation;
  }

  private report(error: unknown): void {
    const conversation = this.options.conversation ?? currentScope()?.conversation;
    if (conversation instanceof TrackedConversation) {
      conversation.core.report(
        new TrackerError('internal', `langchain handler: ${describeError(error)}`, { cause: error }),
      );
    }
  }
}

function messageToJson(message: BaseMessage): Loose {
  const loose = message as unknown as Loose & { getType?: () => string; _getType?: () => string };
  const role = loose.getType?.() ?? loose._getType?.() ?? 'unknown';
  const json: Loose = { role, content: loose.content };
  if (Array.isArray(loose.tool_calls) && loose.tool_calls.length > 0) json.toolCalls = loose.tool_calls;
  if (typeof loose.name === 'string') json.name = loose.name;
  return json;
}

function tokenUsage(
  output: LLMResult,
  message: Loose,
): { inputTokens?: number; outputTokens?: number; totalTokens?: number } {
  const fromOutput = ((output.llmOutput ?? {}) as Loose).tokenUsage as Loose | undefined;
  const fromMessage = message.usage_metadata as Loose | undefined;
  const pick = (a: unknown, b: unknown) =>
    typeof a === 'number' ? a : typeof b === 'number' ? b : undefined;
  const usage: { inputTokens?: number; outputTokens?: number; totalTokens?: number } = {};
  const input = pick(fromMessage?.input_tokens, fromOutput?.promptTokens);
  const outputTokens = pick(fromMessage?.output_tokens, fromOutput?.completionTokens);
  const total = pick(fromMessage?.total_tokens, fromOutput?.totalTokens);
  if (input !== undefined) usage.inputTokens = input;
  if (outputTokens !== undefined) usage.outputTokens = outputTokens;
  if (total !== undefined) usage.totalTokens = total;
  return usage;
}

function lastId(serialized: Serialized | undefined): string | undefined {
  const id = (serialized as { id?: unknown } | undefined)?.id;
  return Array.isArray(id) && typeof id.at(-1) === 'string' ? (id.at(-1) as string) : undefined;
}

function stringOr(value: unknown, fallback: string | undefined): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : fallback;
}

function parseMaybeJson(input: string): unknown {
  if (typeof input !== 'string' || !/^\s*[[{]/.test(input)) return input;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}
