import { type ConversationHandle, TrackedConversation } from '../conversation-handle.ts';
import { describeError, TrackerError } from '../errors.ts';
import { currentScope, scopeStorage, type TrackingScope } from '../step-context.ts';
import type { Tracker } from '../tracker.ts';
import { trackedOpenAIError } from './openai-errors.ts';
import {
  emptyOutcome,
  foldChatChunk,
  foldResponseEvent,
  fromChatCompletion,
  fromResponse,
  type GenerationOutcome,
  outputOf,
} from './openai-results.ts';

/** Options of {@link instrumentOpenAI}. */
export interface InstrumentOpenAIOptions {
  /** Tracker whose current conversation records the calls (default: the conversation of the async context). */
  tracker?: Tracker;
  /** Record every call into this conversation instead of the one of the async context. */
  conversation?: ConversationHandle;
  /** Provider name recorded in usage (default `openai`; e.g. `azure`, `ollama` for compatible servers). */
  provider?: string;
  /** Record the request messages / input as the step input (default true). */
  recordInput?: boolean;
  /** Record the generated text and tool calls as the step output (default true). */
  recordOutput?: boolean;
}

/** The part of an `openai` client this module touches. */
export interface OpenAILike {
  chat?: { completions?: { create: (...args: never[]) => unknown } };
  responses?: { create: (...args: never[]) => unknown };
}

const INSTRUMENTED = Symbol.for('sightline.instrumentedOpenAI');
type Api = 'chat.completions' | 'responses';
type Create = (this: unknown, body: Record<string, unknown>, options?: unknown) => unknown;

/**
 * Instruments an `openai` client (the seeds' `instrument_openai`): every `chat.completions.create`
 * and `responses.create` call — streamed or not, and the SDK helpers built on them — becomes an
 * `llm` step of the current conversation, with model, token usage, time to first token, input,
 * output and error, nested under the current step. Calls made outside any conversation are not
 * recorded. Patches this client instance only; returns it.
 */
export function instrumentOpenAI<T extends object>(client: T, options: InstrumentOpenAIOptions = {}): T {
  const target = client as T & OpenAILike & { [INSTRUMENTED]?: true };
  if (target[INSTRUMENTED]) return client;
  Object.defineProperty(target, INSTRUMENTED, { value: true });
  const completions = target.chat?.completions;
  if (completions && typeof completions.create === 'function') {
    completions.create = wrapCreate(
      completions.create as unknown as Create,
      'chat.completions',
      options,
    ) as never;
  }
  const responses = target.responses;
  if (responses && typeof responses.create === 'function') {
    responses.create = wrapCreate(responses.create as unknown as Create, 'responses', options) as never;
  }
  return client;
}

interface CallRecord {
  api: Api;
  body: Record<string, unknown>;
  scope: TrackingScope | undefined;
  conversation: ConversationHandle;
  startedAt: number;
  startPerf: number;
  options: InstrumentOpenAIOptions;
}

function wrapCreate(original: Create, api: Api, options: InstrumentOpenAIOptions): Create {
  return function instrumentedCreate(this: unknown, body, requestOptions) {
    const scope = currentScope();
    const conversation =
      options.conversation ?? options.tracker?.currentConversation() ?? scope?.conversation;
    if (!conversation || !body || typeof body !== 'object') return original.call(this, body, requestOptions);
    const call: CallRecord = {
      api,
      body,
      scope,
      conversation,
      startedAt: Date.now(),
      startPerf: performance.now(),
      options,
    };
    let pending: unknown;
    try {
      pending = original.call(this, body, requestOptions);
    } catch (error) {
      record(call, emptyOutcome(), { error });
      throw error;
    }
    return observe(pending, call);
  };
}

/** Attaches the recording to the client's promise, keeping its type (APIPromise helpers stay usable). */
function observe(pending: unknown, call: CallRecord): unknown {
  const promise = pending as {
    _thenUnwrap?: (transform: (data: unknown) => unknown) => unknown;
    asResponse?: () => Promise<unknown>;
    then?: (onFulfilled: (value: unknown) => unknown, onRejected: (error: unknown) => unknown) => unknown;
  };
  if (typeof promise?._thenUnwrap === 'function') {
    // Errors (HTTP, network) reject the raw response promise: observe it without consuming the body.
    promise.asResponse?.().then(undefined, (error: unknown) => record(call, emptyOutcome(), { error }));
    return promise._thenUnwrap((result) => settle(result, call));
  }
  if (typeof promise?.then === 'function') {
    return promise.then(
      (result) => settle(result, call),
      (error) => {
        record(call, emptyOutcome(), { error });
        throw error;
      },
    );
  }
  return pending;
}

function settle(result: unknown, call: CallRecord): unknown {
  try {
    if (isAsyncIterable(result)) {
      observeStream(result, call);
      return result;
    }
    record(call, call.api === 'chat.completions' ? fromChatCompletion(result) : fromResponse(result), {});
  } catch (error) {
    report(call, error);
  }
  return result;
}

/** Wraps a stream's iterator: time to first token, accumulated output, usage; records when it ends. */
function observeStream(stream: AsyncIterable<unknown> & { tee?: () => unknown[] }, call: CallRecord): void {
  const iterate = stream[Symbol.asyncIterator].bind(stream);
  const fold = call.api === 'chat.completions' ? foldChatChunk : foldResponseEvent;
  stream[Symbol.asyncIterator] = async function* observedStream() {
    const outcome = emptyOutcome();
    let firstTokenMs: number | undefined;
    let completed = false;
    let failure: unknown;
    try {
      for await (const item of { [Symbol.asyncIterator]: iterate }) {
        if (fold(outcome, item) && firstTokenMs === undefined)
          firstTokenMs = performance.now() - call.startPerf;
        yield item;
      }
      completed = true;
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      record(call, outcome, {
        timeToFirstTokenMs: firstTokenMs,
        ...(failure === undefined ? {} : { error: failure }),
        ...(completed || failure !== undefined ? {} : { metadata: { stoppedEarly: true } }),
      });
    }
  } as (typeof stream)[typeof Symbol.asyncIterator];
  const tee = stream.tee;
  if (typeof tee === 'function') {
    // Branches of tee() read the original iterator: observe the first branch.
    stream.tee = function observedTee(this: unknown) {
      const branches = tee.call(this) as Array<AsyncIterable<unknown> & { tee?: () => unknown[] }>;
      if (branches[0]) observeStream(branches[0], call);
      return branches;
    };
  }
}

interface Extra {
  error?: unknown;
  timeToFirstTokenMs?: number | undefined;
  metadata?: Record<string, unknown>;
}

function record(call: CallRecord, outcome: GenerationOutcome, extra: Extra): void {
  try {
    const { body, options } = call;
    const model = outcome.model ?? (typeof body.model === 'string' ? body.model : 'unknown');
    const input = call.api === 'chat.completions' ? body.messages : body.input;
    const metadata: Record<string, unknown> = {
      api: call.api,
      stream: body.stream === true,
      ...extra.metadata,
    };
    if (outcome.finishReason) metadata.finishReason = outcome.finishReason;
    if (body.tools) metadata.toolsOffered = toolNames(body.tools);
    const track = () =>
      call.conversation.trackGeneration({
        name: `chat ${model}`,
        model,
        provider: options.provider ?? 'openai',
        ...definedTokens(outcome),
        ...(extra.timeToFirstTokenMs === undefined ? {} : { timeToFirstTokenMs: extra.timeToFirstTokenMs }),
        startedAt: new Date(call.startedAt),
        durationMs: performance.now() - call.startPerf,
        ...(options.recordInput === false ? {} : { input }),
        ...(options.recordOutput === false || extra.error !== undefined ? {} : { output: outputOf(outcome) }),
        ...(extra.error === undefined ? {} : { error: trackedOpenAIError(extra.error) }),
        ...(outcome.toolCalls.length > 0
          ? { toolsUsed: outcome.toolCalls.map((toolCall) => toolCall.name) }
          : {}),
        metadata,
      });
    // Record in the async context of the call, so the step nests under the step that made it.
    if (call.scope) scopeStorage.run(call.scope, track);
    else track();
  } catch (error) {
    report(call, error);
  }
}

function definedTokens(outcome: GenerationOutcome) {
  const tokens: { inputTokens?: number; outputTokens?: number; totalTokens?: number } = {};
  if (outcome.inputTokens !== undefined) tokens.inputTokens = outcome.inputTokens;
  if (outcome.outputTokens !== undefined) tokens.outputTokens = outcome.outputTokens;
  if (outcome.totalTokens !== undefined) tokens.totalTokens = outcome.totalTokens;
  return tokens;
}

function toolNames(tools: unknown): string[] {
  if (!Array.isArray(tools)) return [];
  return tools
    .map((tool: { name?: unknown; function?: { name?: unknown } }) => tool?.function?.name ?? tool?.name)
    .filter((name): name is string => typeof name === 'string');
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

function report(call: CallRecord, error: unknown): void {
  if (!(call.conversation instanceof TrackedConversation)) return;
  call.conversation.core.report(
    new TrackerError('internal', `openai instrumentation: ${describeError(error)}`, { cause: error }),
  );
}
