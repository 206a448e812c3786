/**
 * Reading what the `openai` client returns — chat completions, Responses API objects and their
 * streamed chunks/events — into the few fields an `llm` step needs. Duck-typed on purpose, so it
 * works across client versions without importing their types.
 */

/** What a model call produced, as much as is known. */
export interface GenerationOutcome {
  model: string | undefined;
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  totalTokens: number | undefined;
  text: string;
  toolCalls: Array<{ id?: string | undefined; name: string; arguments: string }>;
  finishReason: string | undefined;
}

type Loose = Record<string, unknown>;

export function emptyOutcome(): GenerationOutcome {
  return {
    model: undefined,
    inputTokens: undefined,
    outputTokens: undefined,
    totalTokens: undefined,
    text: '',
    toolCalls: [],
    finishReason: undefined,
  };
}

/** A chat completion (non-streamed). */
export function fromChatCompletion(result: unknown): GenerationOutcome {
  const outcome = emptyOutcome();
  const completion = (result ?? {}) as Loose;
  outcome.model = asString(completion.model);
  readChatUsage(outcome, completion.usage);
  const choice = ((completion.choices as Loose[] | undefined) ?? [])[0] ?? {};
  const message = (choice.message ?? {}) as Loose;
  outcome.text = asString(message.content) ?? '';
  outcome.finishReason = asString(choice.finish_reason);
  for (const call of (message.tool_calls as Loose[] | undefined) ?? []) {
    const fn = (call.function ?? {}) as Loose;
    outcome.toolCalls.push({
      id: asString(call.id),
      name: asString(fn.name) ?? 'unknown',
      arguments: asString(fn.arguments) ?? '',
    });
  }
  return outcome;
}

/** Folds one streamed chat chunk into the outcome; true when it carried generated output. */
export function foldChatChunk(outcome: GenerationOutcome, chunk: unknown): boolean {
  const data = (chunk ?? {}) as Loose;
  outcome.model ??= asString(data.model);
  if (data.usage) readChatUsage(outcome, data.usage);
  let produced = false;
  for (const choice of (data.choices as Loose[] | undefined) ?? []) {
    const delta = (choice.delta ?? {}) as Loose;
    const content = asString(delta.content);
    if (content) {
      outcome.text += content;
      produced = true;
    }
    for (const call of (delta.tool_calls as Loose[] | undefined) ?? []) {
      produced = true;
      const index = typeof call.index === 'number' ? call.index : outcome.toolCalls.length;
      const fn = (call.function ?? {}) as Loose;
      const existing = outcome.toolCalls[index] ?? { name: '', arguments: '' };
      if (call.id) existing.id = asString(call.id);
      if (fn.name) existing.name = asString(fn.name) ?? existing.name;
      existing.arguments += asString(fn.arguments) ?? '';
      outcome.toolCalls[index] = existing;
    }
    if (choice.finish_reason) outcome.finishReason = asString(choice.finish_reason);
  }
  return produced;
}

/** A Responses API object (non-streamed, or the `response` of `response.completed`). */
export function fromResponse(
  result: unknown,
  outcome: GenerationOutcome = emptyOutcome(),
): GenerationOutcome {
  const response = (result ?? {}) as Loose;
  outcome.model = asString(response.model) ?? outcome.model;
  const usage = (response.usage ?? undefined) as Loose | undefined;
  if (usage) {
    outcome.inputTokens = asNumber(usage.input_tokens);
    outcome.outputTokens = asNumber(usage.output_tokens);
    outcome.totalTokens = asNumber(usage.total_tokens);
  }
  outcome.finishReason = asString(response.status) ?? outcome.finishReason;
  let text = '';
  const calls: GenerationOutcome['toolCalls'] = [];
  for (const item of (response.output as Loose[] | undefined) ?? []) {
    if (item.type === 'message') {
      for (const part of (item.content as Loose[] | undefined) ?? []) text += asString(part.text) ?? '';
    } else if (item.type === 'function_call') {
      calls.push({
        id: asString(item.call_id),
        name: asString(item.name) ?? 'unknown',
        arguments: asString(item.arguments) ?? '',
      });
    }
  }
  outcome.text = text || (asString(response.output_text) ?? outcome.text);
  if (calls.length > 0) outcome.toolCalls = calls;
  return outcome;
}

/** Folds one Responses stream event; true when it carried generated output. */
export function foldResponseEvent(outcome: GenerationOutcome, event: unknown): boolean {
  const data = (event ?? {}) as Loose;
  switch (data.type) {
    case 'response.output_text.delta':
      outcome.text += asString(data.delta) ?? '';
      return true;
    case 'response.function_call_arguments.delta':
      return true;
    case 'response.created':
      outcome.model ??= asString((data.response as Loose | undefined)?.model);
      return false;
    case 'response.completed':
    case 'response.incomplete':
    case 'response.failed':
      fromResponse(data.response, outcome);
      return false;
    default:
      return false;
  }
}

/** What the step records as the model's output: the text and the tool calls it asked for. */
export function outputOf(outcome: GenerationOutcome): unknown {
  if (outcome.toolCalls.length === 0) return outcome.text;
  return { text: outcome.text || undefined, toolCalls: outcome.toolCalls };
}

function readChatUsage(outcome: GenerationOutcome, raw: unknown): void {
  const usage = (raw ?? undefined) as Loose | undefined;
  if (!usage) return;
  outcome.inputTokens = asNumber(usage.prompt_tokens);
  outcome.outputTokens = asNumber(usage.completion_tokens);
  outcome.totalTokens = asNumber(usage.total_tokens);
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
