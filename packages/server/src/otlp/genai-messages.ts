/**
 * The input and output messages of an LLM (or agent) span, from whichever convention carries them:
 * the current GenAI semantic conventions (`gen_ai.input.messages` / `gen_ai.output.messages`, as
 * span attributes or on a `gen_ai.client.inference.operation.details` event, as JSON text or
 * structured values, `[{ role, parts: [{ type: 'text', content }] }]`), OpenInference
 * (`llm.input_messages.0.message.content`), and the older GenAI conventions (`gen_ai.prompt.0.content`
 * attributes; `gen_ai.user.message` … and `gen_ai.choice` events, their body in attributes, in a JSON
 * or structured `message`, or as JSON text in `gen_ai.event.content`).
 */
import { type Attributes, isObj, type Obj } from './any-value.ts';
import { jsonish } from './genai-attributes.ts';
import type { FlatSpan, SpanEvent } from './otlp-spans.ts';

export interface ChatMessage {
  role: string;
  content: string;
}

/** The current event that records a model call's input and output messages. */
const DETAILS_EVENT = 'gen_ai.client.inference.operation.details';
/** Older events, one per input message, and the role each stands for. */
const MESSAGE_EVENTS: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};
/** The older event of one output message. */
const CHOICE_EVENT = 'gen_ai.choice';
/** Part types whose content is text meant for the reader (not tool calls, files or reasoning). */
const TEXT_PARTS = new Set(['text', 'input_text', 'output_text']);
const MAX_TEXT_DEPTH = 6;

/**
 * The text of a content value: a string; an array of parts (`{ type: 'text', content }`, or `text`
 * instead of `content`); or an object holding it in `content`, `text` or `value` (`{ text: { value } }`).
 */
function textOf(value: unknown, depth = 0): string {
  if (typeof value === 'string') return value;
  if (depth > MAX_TEXT_DEPTH || !(typeof value === 'object' && value)) return '';
  if (Array.isArray(value)) {
    return value
      .filter((part) => !(isObj(part) && typeof part.type === 'string' && !TEXT_PARTS.has(part.type)))
      .map((part) => textOf(part, depth + 1))
      .filter(Boolean)
      .join('\n');
  }
  const object = value as Obj;
  return textOf(object.content ?? object.text ?? object.value, depth + 1);
}

function toMessage(message: Obj, role: string): ChatMessage {
  return {
    role: typeof message.role === 'string' ? message.role : role,
    content: textOf(message.parts ?? message.content ?? message.text),
  };
}

/** A list of messages given as JSON text or a structured value. */
function messageList(value: unknown): ChatMessage[] {
  const list = jsonish(value);
  return Array.isArray(list) ? list.filter(isObj).map((item) => toMessage(item, '')) : [];
}

/** Indexed attributes: `llm.input_messages.0.message.role` (OpenInference), `gen_ai.prompt.0.role` (older GenAI). */
function fromIndexed(
  attrs: Attributes,
  prefix: string,
  keys: { role: string; content: string },
): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (let i = 0; i < 500; i++) {
    const role = attrs[`${prefix}.${i}.${keys.role}`];
    const content = attrs[`${prefix}.${i}.${keys.content}`];
    if (role === undefined && content === undefined) break;
    out.push({
      role: typeof role === 'string' ? role : '',
      content: typeof content === 'string' ? content : JSON.stringify(content ?? ''),
    });
  }
  return out;
}

/** An older per-message event: its body is its attributes, merged with `gen_ai.event.content` (JSON). */
function eventMessage(event: SpanEvent, role: string): ChatMessage {
  const content = jsonish(event.attributes['gen_ai.event.content']);
  const body: Obj = isObj(content) ? { ...event.attributes, ...content } : event.attributes;
  const message = jsonish(body.message);
  if (isObj(message)) return toMessage(message, typeof body.role === 'string' ? body.role : role);
  if (typeof message === 'string') return { role, content: message };
  return toMessage(body, role);
}

function detailsAttribute(span: FlatSpan, key: string): unknown {
  return span.events.find((event) => event.name === DETAILS_EVENT && event.attributes[key] !== undefined)
    ?.attributes[key];
}

function firstFound(sources: Array<() => ChatMessage[]>): ChatMessage[] {
  for (const source of sources) {
    const messages = source();
    if (messages.length) return messages;
  }
  return [];
}

/** The input messages of an LLM (or agent) span, from whichever convention it uses. */
export function inputMessages(span: FlatSpan): ChatMessage[] {
  const a = span.attributes;
  return firstFound([
    () => messageList(a['gen_ai.input.messages']),
    () => messageList(detailsAttribute(span, 'gen_ai.input.messages')),
    () => fromIndexed(a, 'llm.input_messages', { role: 'message.role', content: 'message.content' }),
    () => fromIndexed(a, 'gen_ai.prompt', { role: 'role', content: 'content' }),
    () =>
      span.events.flatMap((event) => {
        const role = Object.hasOwn(MESSAGE_EVENTS, event.name) ? MESSAGE_EVENTS[event.name] : undefined;
        return role ? [eventMessage(event, role)] : [];
      }),
  ]);
}

/** The output messages of an LLM (or agent) span. */
export function outputMessages(span: FlatSpan): ChatMessage[] {
  const a = span.attributes;
  return firstFound([
    () => messageList(a['gen_ai.output.messages']),
    () => messageList(detailsAttribute(span, 'gen_ai.output.messages')),
    () => fromIndexed(a, 'llm.output_messages', { role: 'message.role', content: 'message.content' }),
    () => fromIndexed(a, 'gen_ai.completion', { role: 'role', content: 'content' }),
    () =>
      span.events.flatMap((event) => (event.name === CHOICE_EVENT ? [eventMessage(event, 'assistant')] : [])),
  ]);
}
