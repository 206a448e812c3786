/**
 * Turns OTLP spans into Sightline events: every span a step (GenAI / OpenInference spans typed as
 * llm, tool, agent, retrieval, guardrail…), the user's input and the agent's answer of each trace
 * human and agent messages. Ids are derived from trace and span ids, so a re-sent export is a
 * duplicate, not a copy.
 */
import { createHash } from 'node:crypto';
import type { IngestEvent } from '@sightline/core';
import {
  type ChatMessage,
  inputMessages,
  int,
  jsonish,
  outputMessages,
  type SpanRole,
  spanRole,
  str,
} from './genai-attributes.ts';
import type { FlatSpan } from './otlp-spans.ts';

const STEP_TYPE: Record<SpanRole, string> = {
  llm: 'llm',
  embedding: 'llm',
  tool: 'tool',
  agent: 'agent',
  chain: 'run',
  retrieval: 'retrieval',
  guardrail: 'guardrail',
  handoff: 'handoff',
};

/** A deterministic UUID (version 8, RFC 9562) from a name: the same span always gets the same event id. */
export function uuidFromName(name: string): string {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const iso = (ms: number) => new Date(ms).toISOString();
const clean = (value: string | undefined, pattern: RegExp) =>
  value && pattern.test(value) ? value : undefined;

interface TraceContext {
  conversationId: string;
  customerId?: string;
  environment?: string;
  source: string;
}

/** Conversation, customer and environment of each trace, from whichever of its spans names them. */
function traceContexts(spans: FlatSpan[]): Map<string, TraceContext> {
  const out = new Map<string, TraceContext>();
  for (const span of spans) {
    const known = out.get(span.traceId);
    const conversationId = str(span.attributes, 'gen_ai.conversation.id', 'session.id', 'conversation.id');
    const customerId = str(span.attributes, 'user.id', 'enduser.id', 'gen_ai.user.id');
    const environment = clean(
      str(span.resource, 'deployment.environment.name', 'deployment.environment'),
      /^[A-Za-z0-9_.-]{1,64}$/,
    );
    const context: TraceContext = known ?? { conversationId: `trace-${span.traceId}`, source: 'otel' };
    if (conversationId && (!known || known.conversationId.startsWith('trace-')))
      context.conversationId = conversationId;
    if (customerId && !context.customerId) context.customerId = customerId;
    if (environment && !context.environment) context.environment = environment;
    out.set(span.traceId, context);
  }
  return out;
}

function stepInputOutput(span: FlatSpan, role: SpanRole | null): { input?: unknown; output?: unknown } {
  const a = span.attributes;
  if (role === 'llm' || role === 'agent') {
    const input = inputMessages(span);
    const output = outputMessages(span);
    return {
      ...(input.length
        ? { input }
        : a['input.value'] !== undefined
          ? { input: jsonish(a['input.value']) }
          : {}),
      ...(output.length
        ? { output }
        : a['output.value'] !== undefined
          ? { output: jsonish(a['output.value']) }
          : {}),
    };
  }
  const input = a['gen_ai.tool.call.arguments'] ?? a['tool.parameters'] ?? a['input.value'];
  const output = a['gen_ai.tool.call.result'] ?? a['output.value'];
  return {
    ...(input !== undefined ? { input: jsonish(input) } : {}),
    ...(output !== undefined ? { output: jsonish(output) } : {}),
  };
}

function stepError(span: FlatSpan): { message: string; type?: string } | undefined {
  if (span.status.code !== 2) return undefined;
  const exception = span.events.find((event) => event.name === 'exception');
  const message = span.status.message || str(exception?.attributes ?? {}, 'exception.message') || 'error';
  const type = str(exception?.attributes ?? {}, 'exception.type') ?? str(span.attributes, 'error.type');
  return { message, ...(type ? { type } : {}) };
}

function usage(span: FlatSpan): Record<string, unknown> | undefined {
  const a = span.attributes;
  const model = str(a, 'gen_ai.response.model', 'gen_ai.request.model', 'llm.model_name');
  if (!model) return undefined;
  const provider = str(a, 'gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system');
  const inputTokens = int(
    a,
    'gen_ai.usage.input_tokens',
    'gen_ai.usage.prompt_tokens',
    'llm.token_count.prompt',
  );
  const outputTokens = int(
    a,
    'gen_ai.usage.output_tokens',
    'gen_ai.usage.completion_tokens',
    'llm.token_count.completion',
  );
  const totalTokens = int(a, 'llm.token_count.total');
  return {
    model,
    ...(provider ? { provider } : {}),
    ...(inputTokens !== undefined ? { inputTokens } : {}),
    ...(outputTokens !== undefined ? { outputTokens } : {}),
    ...(totalTokens !== undefined ? { totalTokens } : {}),
  };
}

/** The step event of one span. */
function stepEvent(span: FlatSpan, context: TraceContext): IngestEvent {
  const role = spanRole(span);
  const type = role ? STEP_TYPE[role] : span.parentSpanId ? 'span' : 'run';
  const name =
    str(span.attributes, 'gen_ai.tool.name', 'tool.name', 'gen_ai.agent.name') ?? (span.name || type);
  const error = stepError(span);
  const llmUsage = role === 'llm' || role === 'embedding' ? usage(span) : undefined;
  const service = str(span.resource, 'service.name');
  return {
    id: uuidFromName(`otlp-step:${span.traceId}:${span.spanId}`),
    type: 'step',
    timestamp: iso(span.startMs),
    body: {
      ...context,
      stepId: span.spanId,
      ...(span.parentSpanId ? { parentId: span.parentSpanId } : {}),
      type,
      name,
      startedAt: iso(span.startMs),
      endedAt: iso(Math.max(span.startMs, span.endMs)),
      durationMs: Math.max(0, span.endMs - span.startMs),
      ...stepInputOutput(span, role),
      ...(error ? { error } : {}),
      ...(llmUsage ? { usage: llmUsage } : {}),
      metadata: { traceId: span.traceId, spanName: span.name, ...(service ? { service } : {}) },
    },
  } as IngestEvent;
}

const lastOf = (messages: ChatMessage[], roles: string[]) =>
  [...messages].reverse().find((m) => roles.includes(m.role) && m.content.trim());

/** The human input and the agent answer of one trace, from its root span or else its LLM calls. */
function traceMessages(spans: FlatSpan[], context: TraceContext): IngestEvent[] {
  const byStart = [...spans].sort((a, b) => a.startMs - b.startMs);
  const root = byStart.find((span) => !span.parentSpanId);
  const llm = byStart.filter((span) => spanRole(span) === 'llm');
  const first = root ?? llm[0];
  const humanFromRoot = root
    ? (lastOf(inputMessages(root), ['user', 'human']) ??
      (typeof root.attributes['input.value'] === 'string'
        ? { content: root.attributes['input.value'] }
        : undefined))
    : undefined;
  const human = humanFromRoot ?? (llm[0] ? lastOf(inputMessages(llm[0]), ['user', 'human']) : undefined);
  const lastLlm = [...llm].sort((a, b) => a.endMs - b.endMs).at(-1);
  const agentFromRoot = root
    ? (lastOf(outputMessages(root), ['assistant', 'agent', 'model']) ??
      (typeof root.attributes['output.value'] === 'string'
        ? { content: root.attributes['output.value'] }
        : undefined))
    : undefined;
  const agent =
    agentFromRoot ?? (lastLlm ? lastOf(outputMessages(lastLlm), ['assistant', 'agent', 'model']) : undefined);
  const traceId = spans[0]?.traceId ?? '';
  const events: IngestEvent[] = [];
  if (human && first) {
    events.push({
      id: uuidFromName(`otlp-human:${traceId}`),
      type: 'message',
      timestamp: iso(first.startMs),
      body: { ...context, role: 'human', content: human.content },
    });
  }
  const end = root ?? lastLlm;
  if (agent && end) {
    // The answer comes after the question even when the whole turn took under a millisecond, and after
    // a question another export of this trace took from an LLM span (which starts before `end` ends).
    const answeredMs = Math.floor(end.endMs) + 1;
    events.push({
      id: uuidFromName(`otlp-agent:${traceId}`),
      type: 'message',
      timestamp: iso(answeredMs),
      body: { ...context, role: 'agent', content: agent.content },
    });
  }
  return events;
}

/** Maps a batch of spans to events, with the index of the span each step came from (for rejections). */
export function spansToEvents(spans: FlatSpan[]): Array<{ event: IngestEvent; spanIndex: number | null }> {
  const contexts = traceContexts(spans);
  const out: Array<{ event: IngestEvent; spanIndex: number | null }> = [];
  const byTrace = new Map<string, FlatSpan[]>();
  spans.forEach((span, spanIndex) => {
    const context = contexts.get(span.traceId) as TraceContext;
    out.push({ event: stepEvent(span, context), spanIndex });
    byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
  });
  for (const [traceId, traceSpans] of byTrace) {
    const context = contexts.get(traceId) as TraceContext;
    for (const event of traceMessages(traceSpans, context)) out.push({ event, spanIndex: null });
  }
  return out;
}
