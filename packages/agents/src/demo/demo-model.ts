/**
 * The offline demo model: implements the SDK's `Model` with deterministic rules (demo-rules.ts), so
 * agents, tools, streaming, sessions and tracing all work with no provider key. It calls the agent's
 * tools when the user's words match their purpose, answers from tool results, streams its text, reports
 * estimated token usage and opens its own generation span (the SDK opens none for non-OpenAI models).
 */
import {
  type AgentInputItem,
  type AgentOutputItem,
  createGenerationSpan,
  type Model,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type Span,
  type SpanData,
  type StreamEvent,
  Usage,
} from '@openai/agents-core';
import { newId } from '@sightline/core';
import { isUserMessage, textOf } from '../tracing/item-text.ts';
import {
  type DemoHandoff,
  type DemoSituation,
  type DemoTool,
  decide,
  type JsonSchemaObject,
} from './demo-rules.ts';

/** The model name the demo model reports in traces and usage. */
export const DEMO_MODEL_NAME = 'sightline-demo';
/** The provider name the demo model reports. */
export const DEMO_PROVIDER = 'sightline';

export interface DemoModelOptions {
  /** Model name reported in traces (default `sightline-demo`). */
  name?: string;
  /** Text put before every answer, so nobody mistakes it for a real model (default `[demo model] `). */
  prefix?: string;
  /** Simulated latency of each call in ms (default 0). */
  latencyMs?: number;
  /** Characters per streamed text delta (default 12). */
  chunkSize?: number;
}

/** Deterministic, rule-based offline model; see `demoModel()`. */
export class DemoModel implements Model {
  readonly name: string;
  readonly #prefix: string;
  readonly #latencyMs: number;
  readonly #chunkSize: number;

  constructor(options: DemoModelOptions = {}) {
    this.name = options.name ?? DEMO_MODEL_NAME;
    this.#prefix = options.prefix ?? '[demo model] ';
    this.#latencyMs = options.latencyMs ?? 0;
    this.#chunkSize = Math.max(1, options.chunkSize ?? 12);
  }

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const span = this.#startSpan(request);
    try {
      await this.#wait(request.signal);
      const response = this.#respond(request);
      this.#endSpan(span, request, response);
      return response;
    } catch (error) {
      failSpan(span, error);
      throw error;
    }
  }

  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    const span = this.#startSpan(request);
    try {
      yield { type: 'response_started' };
      await this.#wait(request.signal);
      const response = this.#respond(request);
      for (const item of response.output) {
        if (item.type !== 'message' || item.role !== 'assistant') continue;
        for (const part of item.content) {
          if (part.type !== 'output_text') continue;
          for (let at = 0; at < part.text.length; at += this.#chunkSize) {
            yield { type: 'output_text_delta', delta: part.text.slice(at, at + this.#chunkSize) };
          }
        }
      }
      this.#endSpan(span, request, response);
      yield {
        type: 'response_done',
        response: {
          id: response.responseId ?? newId(),
          usage: {
            requests: 1,
            inputTokens: response.usage.inputTokens,
            outputTokens: response.usage.outputTokens,
            totalTokens: response.usage.totalTokens,
          },
          output: response.output,
        },
      } as StreamEvent;
    } catch (error) {
      failSpan(span, error);
      throw error;
    }
  }

  #respond(request: ModelRequest): ModelResponse {
    const situation = situationOf(request);
    const decision = decide(situation);
    const output: AgentOutputItem[] =
      decision.kind === 'call'
        ? [
            {
              type: 'function_call',
              callId: `call_demo_${newId()}`,
              name: decision.name,
              arguments: JSON.stringify(decision.arguments),
              status: 'completed',
            },
          ]
        : [
            {
              type: 'message',
              role: 'assistant',
              status: 'completed',
              content: [{ type: 'output_text', text: `${this.#prefix}${decision.text}` }],
            },
          ];
    const inputTokens = estimateTokens(
      (request.systemInstructions ?? '') + JSON.stringify(request.input) + JSON.stringify(request.tools),
    );
    const outputTokens = estimateTokens(JSON.stringify(output));
    return {
      usage: new Usage({ requests: 1, inputTokens, outputTokens, totalTokens: inputTokens + outputTokens }),
      output,
      responseId: `resp_demo_${newId()}`,
    };
  }

  #startSpan(request: ModelRequest): Span<SpanData> | undefined {
    if (!request.tracing) return undefined;
    const span = createGenerationSpan({
      data: { model: this.name, model_config: { provider: DEMO_PROVIDER, model_impl: 'sightline-demo' } },
    });
    if (request.tracing === true) span.spanData.input = inputItems(request) as Array<Record<string, unknown>>;
    span.start();
    return span;
  }

  #endSpan(span: Span<SpanData> | undefined, request: ModelRequest, response: ModelResponse): void {
    if (span?.spanData.type !== 'generation') return;
    if (request.tracing === true) span.spanData.output = response.output as Array<Record<string, unknown>>;
    span.spanData.usage = {
      input_tokens: response.usage.inputTokens,
      output_tokens: response.usage.outputTokens,
    };
    span.end();
  }

  async #wait(signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    if (this.#latencyMs <= 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, this.#latencyMs);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }
}

/** The offline demo model (see DemoModel): `new Agent({ model: demoModel(), ... })`. */
export function demoModel(options: DemoModelOptions = {}): DemoModel {
  return new DemoModel(options);
}

/** A ModelProvider that answers every model name with the demo model (for `Runner({ modelProvider })`). */
export function demoModelProvider(options: DemoModelOptions = {}): ModelProvider {
  const model = new DemoModel(options);
  return { getModel: () => model };
}

function failSpan(span: Span<SpanData> | undefined, error: unknown): void {
  if (!span) return;
  span.setError({ message: error instanceof Error ? error.message : String(error) });
  span.end();
}

/** Tokens estimated from text length (about four characters per token, as for English). */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function inputItems(request: ModelRequest): AgentInputItem[] {
  return typeof request.input === 'string' ? [{ role: 'user', content: request.input }] : request.input;
}

function situationOf(request: ModelRequest): DemoSituation {
  const tools: DemoTool[] = [];
  for (const tool of request.tools) {
    if (tool.type !== 'function') continue;
    tools.push({
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters as JsonSchemaObject | undefined,
    });
  }
  const handoffs: DemoHandoff[] = request.handoffs.map((handoff) => ({
    toolName: handoff.toolName,
    toolDescription: handoff.toolDescription,
  }));
  const items = inputItems(request);
  let lastUser = -1;
  items.forEach((item, index) => {
    if (isUserMessage(item)) lastUser = index;
  });
  const userMessage = items[lastUser];
  const after = items.slice(lastUser + 1);
  const toolNames = new Set(tools.map((tool) => tool.name));
  const toolResults = after.flatMap((item) =>
    item.type === 'function_call_result' && toolNames.has(item.name)
      ? [{ name: item.name, output: textOf(item.output) }]
      : [],
  );
  const handedOff = after.some((item) => item.type === 'function_call' && !toolNames.has(item.name));
  return {
    userText: userMessage ? textOf((userMessage as { content: unknown }).content) : '',
    toolResults,
    handedOff,
    tools,
    handoffs,
  };
}
