/**
 * The conversation, customer and environment of each trace in an export, from whichever of its spans
 * names them, else from what an earlier export of the trace named, else `trace-<trace id>`. Ids must
 * be strings; ints and bools are taken in their string form; anything else (a double, an array, a
 * key-value list) is ignored with a warning naming the attribute.
 */
import type { Attributes, AttributeValue } from './any-value.ts';
import { str } from './genai-attributes.ts';
import type { FlatSpan } from './otlp-spans.ts';
import type { TraceMemory } from './trace-conversations.ts';

export interface TraceContext {
  conversationId: string;
  customerId?: string;
  environment?: string;
  source: string;
}

const CONVERSATION_KEYS = ['gen_ai.conversation.id', 'session.id', 'conversation.id'];
const CUSTOMER_KEYS = ['user.id', 'enduser.id', 'gen_ai.user.id'];
const ENVIRONMENT = /^[A-Za-z0-9_.-]{1,64}$/;

function kindOf(value: AttributeValue): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return 'a non-integer or unsafe number';
  return 'a key-value list';
}

/**
 * The first id among `keys`: a string, or an int or bool in its string form. A value of another type
 * is skipped, and `warn` told which attribute it was.
 */
export function idAttribute(
  attrs: Attributes,
  keys: string[],
  warn: (message: string) => void,
): string | undefined {
  for (const key of keys) {
    const value = attrs[key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value === 'string') return value;
    if (typeof value === 'boolean' || Number.isSafeInteger(value)) return String(value);
    warn(
      `attribute ${key}: is ${kindOf(value)}; an id must be a string, an int or a bool, so it was ignored`,
    );
  }
  return undefined;
}

export interface TraceContextOptions {
  spans: FlatSpan[];
  /** What earlier exports of this project named the conversations of their traces. */
  traces: TraceMemory;
  warn: (message: string) => void;
}

/** The context of each trace of the batch; traces that name a conversation are remembered. */
export function traceContexts(options: TraceContextOptions): Map<string, TraceContext> {
  const { spans, traces, warn } = options;
  const out = new Map<string, TraceContext>();
  const named = new Set<string>();
  for (const span of spans) {
    const conversationId = idAttribute(span.attributes, CONVERSATION_KEYS, warn);
    const customerId = idAttribute(span.attributes, CUSTOMER_KEYS, warn);
    const environment = str(span.resource, 'deployment.environment.name', 'deployment.environment');
    const context = out.get(span.traceId) ?? newContext(span.traceId, traces);
    if (conversationId && !named.has(span.traceId)) {
      context.conversationId = conversationId;
      named.add(span.traceId);
      traces.set(span.traceId, conversationId);
    }
    if (customerId && !context.customerId) context.customerId = customerId;
    if (environment && ENVIRONMENT.test(environment) && !context.environment)
      context.environment = environment;
    out.set(span.traceId, context);
  }
  return out;
}

/** The conversation id of a trace none of whose spans names one (before any alias is resolved). */
export function fallbackConversationId(traceId: string): string {
  return `trace-${traceId}`;
}

/**
 * Each trace of the batch with the conversation its spans name (the first named, as `traceContexts`
 * takes it), or undefined when none does. Says nothing of ignored attributes: `traceContexts` does.
 */
export function namedConversations(spans: FlatSpan[]): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const span of spans) {
    if (out.get(span.traceId) !== undefined) continue;
    out.set(
      span.traceId,
      idAttribute(span.attributes, CONVERSATION_KEYS, () => undefined),
    );
  }
  return out;
}

function newContext(traceId: string, traces: TraceMemory): TraceContext {
  return { conversationId: traces.get(traceId) ?? fallbackConversationId(traceId), source: 'otel' };
}
