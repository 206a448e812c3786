/**
 * Reading OpenTelemetry GenAI semantic-convention attributes (`gen_ai.*`, current and older names)
 * and OpenInference attributes (`openinference.span.kind`, `llm.*`, `input.value`, …) off a span;
 * the messages they carry are read in genai-messages.ts.
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
export function jsonish(value: unknown): unknown {
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
  if (operation && Object.hasOwn(OPERATIONS, operation)) return OPERATIONS[operation] ?? null;
  const kind = str(span.attributes, 'openinference.span.kind')?.toUpperCase();
  if (kind && Object.hasOwn(OPENINFERENCE, kind)) return OPENINFERENCE[kind] ?? null;
  if (str(span.attributes, 'gen_ai.tool.name')) return 'tool';
  if (str(span.attributes, 'gen_ai.request.model', 'gen_ai.response.model', 'llm.model_name')) return 'llm';
  return null;
}
