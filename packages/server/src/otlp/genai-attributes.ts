/**
 * Reading OpenTelemetry GenAI semantic-convention attributes (`gen_ai.*`, current and older names)
 * and OpenInference attributes (`openinference.span.kind`, `llm.*`, `input.value`, …) off a span.
 */
import type { AttributeValue, FlatSpan } from './otlp-spans.ts';

type Attrs = Record<string, AttributeValue>;

/** The first attribute present among `keys`, as a string. */
export function str(attrs: Attrs, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = attrs[key];
    if (value !== undefined && value !== null && value !== '')
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
  return undefined;
}

/** The first attribute present among `keys`, as a non-negative integer. */
export function int(attrs: Attrs, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = Number(attrs[key]);
    if (attrs[key] !== undefined && Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  return undefined;
}

/** Parses a JSON-looking string attribute, or returns it as it is. */
export function jsonish(value: AttributeValue | undefined): unknown {
  if (typeof value !== 'string') return value ?? undefined;
  const trimmed = value.trim();
  if (!/^[[{]/.test(trimmed)) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

export type SpanRole =
  | 'llm'
  | 'tool'
  | 'agent'
  | 'retrieval'
  | 'guardrail'
  | 'handoff'
  | 'embedding'
  | 'chain';

const OPERATIONS: Record<string, SpanRole> = {
  chat: 'llm',
  text_completion: 'llm',
  generate_content: 'llm',
  embeddings: 'embedding',
  execute_tool: 'tool',
  invoke_agent: 'agent',
  create_agent: 'agent',
};

const OPENINFERENCE: Record<string, SpanRole> = {
  LLM: 'llm',
  TOOL: 'tool',
  AGENT: 'agent',
  CHAIN: 'chain',
  RETRIEVER: 'retrieval',
  EMBEDDING: 'embedding',
  GUARDRAIL: 'guardrail',
  RERANKER: 'retrieval',
};

/** What a span is, from `gen_ai.operation.name` or `openinference.span.kind`; null when neither says. */
export function spanRole(span: FlatSpan): SpanRole | null {
  const operation = str(span.attributes, 'gen_ai.operation.name');
  if (operation && OPERATIONS[operation]) return OPERATIONS[operation];
  const kind = str(span.attributes, 'openinference.span.kind');
  if (kind && OPENINFERENCE[kind.toUpperCase()]) return OPENINFERENCE[kind.toUpperCase()] ?? null;
  if (str(span.attributes, 'gen_ai.tool.name')) return 'tool';
  if (str(span.attributes, 'gen_ai.request.model', 'gen_ai.response.model', 'llm.model_name')) return 'llm';
  return null;
}

export interface ChatMessage {
  role: string;
  content: string;
}

/** Text of a GenAI message (`parts: [{type:'text', content}]`) or an older `{ content }` message. */
function messageText(message: Record<string, unknown>): string {
  if (typeof message.content === 'string') return message.content;
  const parts = Array.isArray(message.parts)
    ? message.parts
    : Array.isArray(message.content)
      ? message.content
      : [];
  return parts
    .map((part) =>
      typeof part === 'object' && part && 'content' in part
        ? String((part as { content: unknown }).content ?? '')
        : typeof part === 'object' && part && 'text' in part
          ? String((part as { text: unknown }).text ?? '')
          : '',
    )
    .filter(Boolean)
    .join('\n');
}

function fromArray(value: unknown): ChatMessage[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) =>
    item && typeof item === 'object'
      ? [
          {
            role: String((item as { role?: unknown }).role ?? ''),
            content: messageText(item as Record<string, unknown>),
          },
        ]
      : [],
  );
}

/** Indexed attributes: `llm.input_messages.0.message.role` (OpenInference), `gen_ai.prompt.0.role` (older GenAI). */
function fromIndexed(attrs: Attrs, prefix: string, roleKey: string, contentKey: string): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (let i = 0; i < 500; i++) {
    const role = attrs[`${prefix}.${i}.${roleKey}`];
    const content = attrs[`${prefix}.${i}.${contentKey}`];
    if (role === undefined && content === undefined) break;
    out.push({
      role: String(role ?? ''),
      content: typeof content === 'string' ? content : JSON.stringify(content ?? ''),
    });
  }
  return out;
}

/** The input messages of an LLM (or agent) span, from whichever convention it uses. */
export function inputMessages(span: FlatSpan): ChatMessage[] {
  const a = span.attributes;
  const fromJson = fromArray(jsonish(a['gen_ai.input.messages']));
  if (fromJson.length) return fromJson;
  const openInference = fromIndexed(a, 'llm.input_messages', 'message.role', 'message.content');
  if (openInference.length) return openInference;
  const older = fromIndexed(a, 'gen_ai.prompt', 'role', 'content');
  if (older.length) return older;
  return span.events.flatMap((event) =>
    /^gen_ai\.(user|system)\.message$/.test(event.name)
      ? [{ role: event.name.split('.')[1] ?? 'user', content: String(event.attributes.content ?? '') }]
      : [],
  );
}

/** The output messages of an LLM (or agent) span. */
export function outputMessages(span: FlatSpan): ChatMessage[] {
  const a = span.attributes;
  const fromJson = fromArray(jsonish(a['gen_ai.output.messages']));
  if (fromJson.length) return fromJson;
  const openInference = fromIndexed(a, 'llm.output_messages', 'message.role', 'message.content');
  if (openInference.length) return openInference;
  const older = fromIndexed(a, 'gen_ai.completion', 'role', 'content');
  if (older.length) return older;
  return span.events.flatMap((event) =>
    event.name === 'gen_ai.choice'
      ? [{ role: 'assistant', content: String(event.attributes.message ?? event.attributes.content ?? '') }]
      : [],
  );
}
