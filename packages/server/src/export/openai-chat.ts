/**
 * The fine-tuning export: one line per conversation in OpenAI's chat format,
 * `{"messages":[{"role":"user","content":…},{"role":"assistant",…}],"tools":[…]}`. Human messages are
 * `user`, agent messages `assistant`, system messages `system`; tool calls (tool, action and MCP steps)
 * are an `assistant` message with `tool_calls` followed by one `tool` message per call with its output
 * (or its error), placed by time between the messages. An agent message whose run failed afterwards (a
 * guardrail blocked it: `metadata.runError`) gets `"weight":0`, so it is not trained on. A conversation
 * without an assistant message is left out: fine-tuning refuses such an example.
 */
import type { StoredMessage, StoredStep } from '@sightline/core';
import { type ExportedConversation, isToolCall } from '@sightline/store';

const ROLES = { human: 'user', agent: 'assistant', system: 'system' } as const;
/** Most tool calls in one assistant message; more consecutive calls take several. */
const MAX_CALLS_PER_MESSAGE = 64;

/** The line of one conversation, in pieces as its parts are read; nothing without an assistant message. */
export async function* openAiChatLines(
  exported: ExportedConversation,
): AsyncGenerator<string, void, undefined> {
  const line = new ChatLine();
  const startedAt = Date.parse(exported.conversation.startedAt);
  for await (const part of exported.records) {
    for (const item of timeline(part.messages, part.steps.filter(isToolCall), startedAt)) {
      yield* 'role' in item ? line.message(item) : line.toolCall(item);
    }
  }
  yield* line.finish();
}

type Item = StoredMessage | StoredStep;

/**
 * Messages and tool steps by time; at one time human and system messages, then tool calls, then agents. A
 * step's start is taken no earlier than the conversation's (its own clock may run ahead of the events').
 */
function timeline(messages: StoredMessage[], steps: StoredStep[], startedAt: number): Item[] {
  const rank = (item: Item) => ('role' in item ? (item.role === 'agent' ? 2 : 0) : 1);
  const at = (item: Item) =>
    'role' in item ? Date.parse(item.timestamp) : Math.max(startedAt, Date.parse(item.startedAt));
  const keyed = [...messages, ...steps].map((item) => ({ item, at: at(item), rank: rank(item) }));
  keyed.sort((a, b) => a.at - b.at || a.rank - b.rank);
  return keyed.map(({ item }) => item);
}

/** Writes one conversation's line, holding it back until it has an assistant message. */
class ChatLine {
  #held: string[] = ['{"messages":['];
  #hasAssistant = false;
  #first = true;
  #calls: StoredStep[] = [];
  readonly #tools = new Set<string>();

  *message(message: StoredMessage): Generator<string, void, undefined> {
    yield* this.#flushCalls();
    const role = ROLES[message.role];
    const entry: Record<string, unknown> = { role, content: message.content };
    if (role === 'assistant' && message.metadata.runError !== undefined) entry.weight = 0;
    yield* this.#entry(entry, role === 'assistant');
  }

  *toolCall(step: StoredStep): Generator<string, void, undefined> {
    this.#calls.push(step);
    if (this.#calls.length >= MAX_CALLS_PER_MESSAGE) yield* this.#flushCalls();
  }

  *finish(): Generator<string, void, undefined> {
    yield* this.#flushCalls();
    if (!this.#hasAssistant) return;
    const tools = [...this.#tools].map((name) => ({ type: 'function', function: { name } }));
    yield tools.length > 0 ? `],"tools":${JSON.stringify(tools)}}\n` : ']}\n';
  }

  *#flushCalls(): Generator<string, void, undefined> {
    const calls = this.#calls;
    if (calls.length === 0) return;
    this.#calls = [];
    const toolCalls = calls.map((step) => {
      const name = functionName(step.name);
      this.#tools.add(name);
      return {
        id: step.id,
        type: 'function',
        function: { name, arguments: JSON.stringify(step.input ?? {}) },
      };
    });
    yield* this.#entry({ role: 'assistant', tool_calls: toolCalls }, true);
    for (const step of calls)
      yield* this.#entry({ role: 'tool', tool_call_id: step.id, content: toolResult(step) }, false);
  }

  *#entry(entry: Record<string, unknown>, assistant: boolean): Generator<string, void, undefined> {
    const text = (this.#first ? '' : ',') + JSON.stringify(entry);
    this.#first = false;
    if (this.#hasAssistant) {
      yield text;
      return;
    }
    this.#held.push(text);
    if (!assistant) return;
    this.#hasAssistant = true;
    yield this.#held.join('');
    this.#held = [];
  }
}

/** A function name as OpenAI accepts it: letters, digits, `_` and `-`, at most 64. */
export function functionName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'tool';
}

/** What a tool call gave back, as the tool message's text. */
function toolResult(step: StoredStep): string {
  if (step.error !== null) return `Error: ${step.error.message}`;
  if (step.output === null || step.output === undefined) return '';
  return typeof step.output === 'string' ? step.output : JSON.stringify(step.output);
}
