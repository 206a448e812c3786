/**
 * Turns OTLP spans into Sightline events: every span a step (GenAI / OpenInference spans typed as
 * llm, tool, agent, retrieval, guardrail…), the user's input and the agent's answer of each trace
 * human and agent messages, evaluation and score span events scores (span-scores.ts). Ids are derived from trace and span ids, so a re-sent export is a
 * duplicate, not a copy.
 */
import { createHash } from 'node:crypto';
import type { IngestEvent } from '@sightline/core';
import { int, jsonish, type SpanRole, spanRole, str } from './genai-attributes.ts';
import { type ChatMessage, inputMessages, outputMessages } from './genai-messages.ts';
import type { FlatSpan } from './otlp-spans.ts';
import { spanScores } from './span-scores.ts';
import { type TraceContext, traceContexts } from './trace-context.ts';
import type { TraceMemory } from './trace-conversations.ts';

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

/**
 * A span's step id: span ids are unique only within their trace, and one conversation (a session)
 * holds many traces, so the trace id is part of the step's identity.
 */
function traceScopedId(traceId: string, spanId: string): string {
  return `${traceId}-${spanId}`;
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
      stepId: traceScopedId(span.traceId, span.spanId),
      ...(span.parentSpanId ? { parentId: traceScopedId(span.traceId, span.parentSpanId) } : {}),
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

/** The scores a span's events carry (span-scores.ts), on its step. */
function scoresOf(span: FlatSpan, context: TraceContext): IngestEvent[] {
  if (span.events.length === 0) return [];
  return spanScores(span, {
    stepId: traceScopedId(span.traceId, span.spanId),
    context,
    eventId: (index) => uuidFromName(`otlp-score:${span.traceId}:${span.spanId}:${index}`),
  });
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

export interface MappedEvent {
  event: IngestEvent;
  /** Whether it is a span's step (counted as a rejected span if invalid), or a trace's message. */
  fromSpan: boolean;
}

export interface SpanMappingOptions {
  spans: FlatSpan[];
  /** The conversations earlier exports of this project named for their traces. */
  traces: TraceMemory;
  /** About how many spans' events each chunk holds (whole traces: a trace is never split). */
  chunkSpans: number;
}

export interface MappedSpans {
  /** Attributes that were ignored (a conversation id of the wrong type…), each said once. */
  warnings: string[];
  /** The events, a chunk of whole traces at a time, mapped as they are taken. */
  chunks: Iterable<MappedEvent[]>;
}

/** Maps a batch of spans to events: each span a step, each trace's input and answer messages. */
export function mapSpans(options: SpanMappingOptions): MappedSpans {
  const warnings = new Set<string>();
  const contexts = traceContexts({ ...options, warn: (message) => warnings.add(message) });
  const byTrace = new Map<string, FlatSpan[]>();
  for (const span of options.spans) {
    const traceSpans = byTrace.get(span.traceId);
    if (traceSpans) traceSpans.push(span);
    else byTrace.set(span.traceId, [span]);
  }
  return { warnings: [...warnings], chunks: chunksOf({ byTrace, contexts, chunkSpans: options.chunkSpans }) };
}

function* chunksOf(options: {
  byTrace: Map<string, FlatSpan[]>;
  contexts: Map<string, TraceContext>;
  chunkSpans: number;
}): Generator<MappedEvent[]> {
  let chunk: MappedEvent[] = [];
  let spansInChunk = 0;
  for (const [traceId, spans] of options.byTrace) {
    const context = options.contexts.get(traceId) as TraceContext;
    for (const span of spans) {
      chunk.push({ event: stepEvent(span, context), fromSpan: true });
      for (const event of scoresOf(span, context)) {
        chunk.push({ event, fromSpan: false });
        spansInChunk += 1; // a score weighs on a chunk as a span does
      }
    }
    for (const event of traceMessages(spans, context)) chunk.push({ event, fromSpan: false });
    spansInChunk += spans.length;
    if (spansInChunk >= options.chunkSpans) {
      yield chunk;
      chunk = [];
      spansInChunk = 0;
    }
  }
  if (chunk.length) yield chunk;
}
