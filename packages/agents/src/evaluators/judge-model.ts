/**
 * The models a judge can be: an OpenAI Agents SDK `Model` (the demo judge, a served agent's model,
 * `aisdk(...)` of @openai/agents-extensions, an OpenAI model) or an AI SDK language model (anything
 * `@ai-sdk/*` providers make, e.g. `openai('gpt-4o-mini')`), called once with the instructions and
 * the transcript, without tools. The AI SDK model is typed by its shape (`doGenerate`), so this package
 * needs no dependency on `ai`.
 */
import type { Model, ModelResponse } from '@openai/agents-core';

/** An AI SDK language model (specification v2 to v4), as far as a judge uses it. */
export interface AiSdkLanguageModel {
  readonly specificationVersion: string;
  readonly provider: string;
  readonly modelId: string;
  doGenerate(options: {
    prompt: Array<
      { role: 'system'; content: string } | { role: 'user'; content: Array<{ type: 'text'; text: string }> }
    >;
    abortSignal?: AbortSignal;
  }): PromiseLike<{ content: ReadonlyArray<{ type: string }>; usage?: unknown }>;
}

/** A judge model: an Agents SDK `Model` or an AI SDK language model. */
export type JudgeModel = Model | AiSdkLanguageModel;

/** What a judge model answered. */
export interface JudgeAnswer {
  text: string;
  model: string;
  provider?: string;
  usage?: { inputTokens?: number; outputTokens?: number };
}

const isAiSdkModel = (model: JudgeModel): model is AiSdkLanguageModel =>
  typeof (model as Partial<AiSdkLanguageModel>).doGenerate === 'function';

/** Asks `model` once: `instructions` as the system prompt, `prompt` as the user's message. */
export async function askJudge(
  model: JudgeModel,
  request: { instructions: string; prompt: string; signal?: AbortSignal; modelName?: string },
): Promise<JudgeAnswer> {
  if (isAiSdkModel(model)) return askAiSdk(model, request);
  const response = await model.getResponse({
    systemInstructions: request.instructions,
    input: request.prompt,
    modelSettings: {},
    tools: [],
    outputType: 'text',
    handoffs: [],
    tracing: false,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const name = request.modelName ?? (model as { name?: unknown }).name;
  return {
    text: responseText(response),
    model: typeof name === 'string' ? name : 'agents-sdk-model',
    usage: { inputTokens: response.usage.inputTokens, outputTokens: response.usage.outputTokens },
  };
}

async function askAiSdk(
  model: AiSdkLanguageModel,
  request: { instructions: string; prompt: string; signal?: AbortSignal; modelName?: string },
): Promise<JudgeAnswer> {
  const result = await model.doGenerate({
    prompt: [
      { role: 'system', content: request.instructions },
      { role: 'user', content: [{ type: 'text', text: request.prompt }] },
    ],
    ...(request.signal ? { abortSignal: request.signal } : {}),
  });
  const text = result.content
    .map((part) => (part.type === 'text' && 'text' in part && typeof part.text === 'string' ? part.text : ''))
    .join('');
  const usage = aiSdkUsage(result.usage);
  return {
    text,
    model: request.modelName ?? model.modelId,
    provider: model.provider,
    ...(usage ? { usage } : {}),
  };
}

/** Token counts of an AI SDK result: numbers (v2) or `{ total }` objects (v3, v4). */
function aiSdkUsage(usage: unknown): JudgeAnswer['usage'] | undefined {
  if (typeof usage !== 'object' || usage === null) return undefined;
  const count = (value: unknown): number | undefined => {
    const total = typeof value === 'object' && value !== null ? (value as { total?: unknown }).total : value;
    return typeof total === 'number' && Number.isFinite(total) ? total : undefined;
  };
  const record = usage as { inputTokens?: unknown; outputTokens?: unknown };
  const inputTokens = count(record.inputTokens);
  const outputTokens = count(record.outputTokens);
  return {
    ...(inputTokens === undefined ? {} : { inputTokens }),
    ...(outputTokens === undefined ? {} : { outputTokens }),
  };
}

/** The text of an Agents SDK model's answer (its assistant messages). */
function responseText(response: ModelResponse): string {
  const parts: string[] = [];
  for (const item of response.output) {
    if (item.type !== 'message' || item.role !== 'assistant') continue;
    for (const content of item.content) if (content.type === 'output_text') parts.push(content.text);
  }
  return parts.join('');
}
