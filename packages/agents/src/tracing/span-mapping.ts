/**
 * How each SDK span becomes a Sightline step: `task` -> run, `agent` -> agent, `turn` -> turn,
 * `generation`/`response` -> llm (model and token usage), `function` -> tool (arguments, output, error),
 * `guardrail`, `handoff`, `mcp_tools` -> mcp, `custom` and speech spans keep their names. Pure functions.
 */
import type { Span, SpanData } from '@openai/agents-core';
import type { Usage } from '@sightline/core';
import { assistantText, isUserMessage } from './item-text.ts';
import type { AgentAction, AgentGeneration } from './tracker-contract.ts';

type AnySpan = Span<SpanData>;

/** What a step starts with. */
export interface StepStart {
  type: string;
  name: string;
  input?: unknown;
  metadata?: Record<string, unknown>;
}

/** What a step ends with. */
export interface StepEnd {
  output?: unknown;
  error?: { message: string; type?: string };
  usage?: Usage;
  metadata?: Record<string, unknown>;
  toolsUsed?: string[];
}

export interface MappingOptions {
  /** Record inputs and outputs of model calls and tools (default true). */
  includeData: boolean;
  /**
   * Record a model call's whole input (default false: only the items from the user's latest message
   * on, since earlier ones are already recorded by earlier steps; keeps long conversations linear).
   */
  fullModelInput?: boolean;
}

const STEP_TYPES: Record<string, string> = {
  task: 'run',
  agent: 'agent',
  turn: 'turn',
  generation: 'llm',
  response: 'llm',
  function: 'tool',
  guardrail: 'guardrail',
  handoff: 'handoff',
  mcp_tools: 'mcp',
};

/**
 * Spans that contain other spans (a run, an agent, a turn, custom spans): their step is recorded when
 * they start, so a running agent is visible live, and ended later. The others are leaves (model calls,
 * tool calls, guardrails, handoffs, MCP listings) recorded as ONE finished step when they end, when
 * their name (model, target agent), arguments and result are all known.
 */
export function isContainerSpan(data: SpanData): boolean {
  return !LEAF_TYPES.has(data.type);
}

const LEAF_TYPES = new Set([
  'generation',
  'response',
  'function',
  'guardrail',
  'handoff',
  'mcp_tools',
  'transcription',
  'speech',
]);

/** A leaf span, finished, as one tracker call. */
export type FinishedStep =
  | { kind: 'generation'; generation: AgentGeneration }
  | { kind: 'action'; action: AgentAction };

/**
 * The finished step of a leaf span (call at span end); `parentId` is the parent span's step id. Built
 * field by field (it runs inside the agent run for every model and tool call).
 */
export function finishedStepOf(span: AnySpan, options: MappingOptions): FinishedStep {
  const start = stepStartOf(span, options);
  const end = stepEndOf(span, options);
  const metadata: Record<string, unknown> =
    start.metadata === undefined && end.metadata === undefined ? {} : { ...start.metadata, ...end.metadata };
  metadata.traceId = span.traceId;
  const step: AgentAction & Omit<AgentGeneration, 'model'> = { name: start.name };
  if (span.startedAt) step.startedAt = new Date(span.startedAt);
  if (span.endedAt) step.endedAt = new Date(span.endedAt);
  if (span.parentId) step.parentId = span.parentId;
  if (start.input !== undefined) step.input = start.input;
  if (end.error) step.error = end.error;
  step.metadata = metadata;
  if (end.usage) {
    const { model, provider, inputTokens, outputTokens, totalTokens } = end.usage;
    const generation: AgentGeneration = step as AgentGeneration;
    generation.model = model;
    if (provider !== undefined) generation.provider = provider;
    if (inputTokens !== undefined) generation.inputTokens = inputTokens;
    if (outputTokens !== undefined) generation.outputTokens = outputTokens;
    if (totalTokens !== undefined) generation.totalTokens = totalTokens;
    if (end.output !== undefined) generation.output = end.output;
    return { kind: 'generation', generation };
  }
  step.type = start.type;
  if (end.output !== undefined) step.response = end.output;
  if (end.toolsUsed) step.toolsUsed = end.toolsUsed;
  return { kind: 'action', action: step };
}

/** The step a span starts (type, name, input). */
export function stepStartOf(span: AnySpan, options: MappingOptions): StepStart {
  const data = span.spanData;
  const type = STEP_TYPES[data.type] ?? data.type;
  switch (data.type) {
    case 'task':
      return { type, name: data.name || 'run' };
    case 'agent':
      return { type, name: data.name || 'agent' };
    case 'turn':
      return { type, name: `turn ${data.turn}`, metadata: { agent: data.agent_name, turn: data.turn } };
    case 'function':
      return {
        type,
        name: data.name || 'tool',
        ...(options.includeData ? { input: parseJson(data.input) } : {}),
      };
    case 'generation':
      return {
        type,
        name: data.model ?? 'llm',
        ...(options.includeData && data.input !== undefined
          ? { input: modelInputOf(data.input, options) }
          : {}),
      };
    case 'response':
      return {
        type,
        name: String(data._response?.model ?? 'response'),
        ...(options.includeData && data._input !== undefined
          ? { input: modelInputOf(data._input, options) }
          : {}),
      };
    case 'guardrail':
      return { type, name: data.name || 'guardrail' };
    case 'handoff':
      return { type, name: `${data.from_agent ?? 'agent'} -> ${data.to_agent ?? 'agent'}` };
    case 'mcp_tools':
      return { type, name: `list tools${data.server ? `: ${data.server}` : ''}` };
    case 'custom':
      return { type: 'custom', name: data.name || 'custom' };
    default:
      return { type, name: data.type };
  }
}

/** How a span's step ends (output, error, usage, metadata). */
export function stepEndOf(span: AnySpan, options: MappingOptions): StepEnd {
  const end = endByType(span.spanData, options);
  const error = span.error;
  if (error) {
    // The SDK redacts a failing tool's error in the span; the model got the details as the output.
    const shown = typeof end.output === 'string' && end.output !== '' ? end.output : undefined;
    end.error = { message: describeError(error, shown), type: 'span_error' };
  }
  return end;
}

function endByType(data: SpanData, options: MappingOptions): StepEnd {
  switch (data.type) {
    case 'task':
      return data.usage ? { metadata: { usage: data.usage } } : {};
    case 'agent':
      return {
        metadata: compact({ tools: data.tools, handoffs: data.handoffs, outputType: data.output_type }),
      };
    case 'turn':
      return data.usage ? { metadata: { usage: data.usage } } : {};
    case 'function':
      return {
        toolsUsed: [data.name],
        ...(options.includeData ? { output: parseJson(data.output) } : {}),
        ...(data.mcp_data ? { metadata: { mcp: parseJson(data.mcp_data) } } : {}),
      };
    case 'generation':
      return generationEnd(data, options);
    case 'response':
      return responseEnd(data, options);
    case 'guardrail':
      return { output: { triggered: data.triggered }, metadata: { triggered: data.triggered } };
    case 'handoff':
      return { output: compact({ from: data.from_agent, to: data.to_agent }) };
    case 'mcp_tools':
      return { output: data.result ?? [], metadata: compact({ server: data.server }) };
    case 'custom':
      return options.includeData ? { output: data.data } : {};
    default:
      return {};
  }
}

function generationEnd(data: Extract<SpanData, { type: 'generation' }>, options: MappingOptions): StepEnd {
  const model = data.model ?? 'unknown';
  const configured = data.model_config?.provider;
  const provider = typeof configured === 'string' ? configured.split('.')[0] : providerOf(model);
  const inputTokens = tokenCount(data.usage?.input_tokens);
  const outputTokens = tokenCount(data.usage?.output_tokens);
  const usage: Usage = { model };
  if (provider) usage.provider = provider;
  if (inputTokens !== undefined) usage.inputTokens = inputTokens;
  if (outputTokens !== undefined) usage.outputTokens = outputTokens;
  if (inputTokens !== undefined || outputTokens !== undefined)
    usage.totalTokens = (inputTokens ?? 0) + (outputTokens ?? 0);
  return {
    usage,
    ...(options.includeData && data.output !== undefined ? { output: data.output } : {}),
    ...(data.model_config ? { metadata: { modelConfig: data.model_config } } : {}),
  };
}

function responseEnd(data: Extract<SpanData, { type: 'response' }>, options: MappingOptions): StepEnd {
  const response = (data._response ?? {}) as Record<string, unknown>;
  const raw = (response.usage ?? {}) as Record<string, unknown>;
  const model = typeof response.model === 'string' ? response.model : 'unknown';
  const usage: Usage = { model, provider: 'openai' };
  const inputTokens = tokenCount(raw.input_tokens ?? raw.inputTokens);
  const outputTokens = tokenCount(raw.output_tokens ?? raw.outputTokens);
  if (inputTokens !== undefined) usage.inputTokens = inputTokens;
  if (outputTokens !== undefined) usage.outputTokens = outputTokens;
  const total = tokenCount(raw.total_tokens ?? raw.totalTokens);
  if (total !== undefined || inputTokens !== undefined)
    usage.totalTokens = total ?? (inputTokens ?? 0) + (outputTokens ?? 0);
  return {
    usage,
    ...(options.includeData && response.output !== undefined ? { output: response.output } : {}),
    ...(data.response_id ? { metadata: { responseId: data.response_id } } : {}),
  };
}

/** The model output of an llm span (generation or response), for the agent's final message. */
export function llmOutputText(data: SpanData): string | undefined {
  if (data.type === 'generation') return assistantText(data.output);
  if (data.type === 'response')
    return assistantText((data._response as { output?: unknown } | undefined)?.output);
  return undefined;
}

/** A model input as recorded: from the user's latest message on, unless the whole input is asked for. */
function modelInputOf(input: unknown, options: MappingOptions): unknown {
  if (options.fullModelInput || !Array.isArray(input)) return input;
  let start = 0;
  for (let index = input.length - 1; index >= 0; index -= 1) {
    if (isUserMessage(input[index])) {
      start = index;
      break;
    }
  }
  return start === 0 ? input : input.slice(start);
}

/** The model input of an llm span, for the human's message. */
export function llmInput(data: SpanData): unknown {
  if (data.type === 'generation') return data.input;
  if (data.type === 'response') return data._input;
  return undefined;
}

/** Guesses the provider from a model name (`anthropic:claude-...` from aisdk, `gpt-4o`, ...). */
export function providerOf(model: string): string | undefined {
  const prefixed = /^([\w.-]+?)[.:/]/.exec(model)?.[1];
  if (prefixed && model.includes(':')) return prefixed.split('.')[0];
  if (/^(gpt|o\d|chatgpt|text-embedding|davinci)/i.test(model)) return 'openai';
  if (/^claude/i.test(model)) return 'anthropic';
  if (/^gemini/i.test(model)) return 'google';
  return undefined;
}

function describeError(error: { message: string; data?: Record<string, unknown> }, output?: string): string {
  const detail = error.data?.error;
  if (output && (detail === undefined || /redacted/i.test(String(detail))))
    return `${error.message}: ${output}`;
  if (detail === undefined) return error.message;
  const text = typeof detail === 'string' ? detail : JSON.stringify(detail);
  return text && text !== error.message ? `${error.message}: ${text}` : error.message;
}

function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

/** Parses a JSON object or array text; other text (most tool outputs) is kept as is, without a throw. */
function parseJson(text: unknown): unknown {
  // Typed as strings by the SDK, but some (an MCP tool's `mcp_data`) arrive as objects.
  if (typeof text !== 'string' || text === '') return text;
  const first = text.charCodeAt(0);
  if (first !== 123 && first !== 91) return text; // not "{" or "["
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
