/**
 * Issue 11 defect 5 (OTLP interop), with the real OpenTelemetry JS SDK and exporters: spans of a trace
 * exported before the span naming its conversation (`gen_ai.conversation.id` on the root, which ends
 * last) end up in that conversation, with their steps, tokens and messages; no `trace-<id>`
 * conversation is left, and the metrics count one conversation. Also when the conversation already
 * exists, when the early and late spans go to two collector nodes, and for spans exported after that.
 */
import { type Context, context, type Tracer, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { createSightlineApp } from './app.ts';
import { createLogger } from './logger.ts';
import { listen, type RunningServer } from './server.ts';
import { createFixture, type Fixture } from './test-fixture.ts';

interface Detail {
  conversation: { id: string; customerId: string | null; inputTokens: number; outputTokens: number };
  messages: Array<{ role: string; content: string }>;
  steps: Array<{ type: string; usage: { inputTokens: number } | null }>;
}

/** A collector node over the fixture's store, listening on a port of its own. */
async function node(f: Fixture, own = false): Promise<RunningServer> {
  const collector = own
    ? createSightlineApp({ store: f.store, logger: createLogger({ level: 'silent' }) })
    : f.collector;
  return listen({ collector, port: 0 });
}

/** A real tracer exporting in batches to `url`; `flush` exports what has ended. */
function sdk(options: { url: string; key: string; protobuf: boolean }) {
  const settings = {
    url: `${options.url}/v1/otlp/v1/traces`,
    headers: { authorization: `Bearer ${options.key}` },
  };
  const exporter = options.protobuf ? new ProtoExporter(settings) : new HttpJsonExporter(settings);
  const provider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] });
  return {
    tracer: provider.getTracer('early-spans'),
    flush: () => provider.forceFlush(),
    end: () => provider.shutdown(),
  };
}

const text = (role: string, content: string) =>
  JSON.stringify([{ role, parts: [{ type: 'text', content }] }]);

/** A model call inside `parent`, with its messages and usage. */
function chat(
  tracer: Tracer,
  parent: Context,
  turn: { question: string; answer: string; tokens: number },
): void {
  tracer
    .startSpan(
      'chat gpt-4o',
      {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': turn.tokens,
          'gen_ai.usage.output_tokens': 5,
          'gen_ai.input.messages': text('user', turn.question),
          'gen_ai.output.messages': text('assistant', turn.answer),
        },
      },
      parent,
    )
    .end();
}

/** An agent run (root span, not yet ended) and the context of its children. */
function agentRun(tracer: Tracer) {
  const root = tracer.startSpan('invoke_agent helper', {
    attributes: { 'gen_ai.operation.name': 'invoke_agent' },
  });
  return { root, inRoot: trace.setSpan(context.active(), root), traceId: root.spanContext().traceId };
}

/** The conversation, the list's ids and the day's totals, as readers see them. */
async function readBack(f: Fixture, id: string) {
  const response = await f.request(`/v1/conversations/${encodeURIComponent(id)}`, { key: f.readKey });
  const detail = response.status === 200 ? ((await response.json()) as Detail) : null;
  const list = await f.store.listConversations(f.projectId, { limit: 50 });
  const now = Date.now();
  const metrics = await f.store.getMetrics(f.projectId, {
    from: now - 86_400_000,
    to: now + 86_400_000,
    bucket: 'day',
  });
  return { detail, ids: list.data.map((c) => c.id), totals: metrics.totals };
}

const stored = async (f: Fixture, id: string) => (await readBack(f, id)).detail !== null;

describe.each(['sqlite', 'postgres'] as const)(
  'OTLP spans exported before their conversation is named, on %s',
  (dialect) => {
    for (const protobuf of [true, false]) {
      it(`moves a trace's early llm spans into the conversation its root names (${protobuf ? 'protobuf' : 'JSON'} exporter)`, async () => {
        const f = await createFixture({ dialect });
        const server = await node(f);
        try {
          const otel = sdk({ url: server.url, key: f.ingestKey, protobuf });
          const run = agentRun(otel.tracer);
          chat(otel.tracer, run.inRoot, { question: 'Capital of Peru?', answer: 'Lima.', tokens: 11 });
          chat(otel.tracer, run.inRoot, { question: 'And of Chile?', answer: 'Santiago.', tokens: 13 });
          await otel.flush();
          expect(await stored(f, `trace-${run.traceId}`)).toBe(true); // where the early spans went first
          run.root.setAttributes({ 'gen_ai.conversation.id': 'peru-chat', 'user.id': 'cust-7' });
          run.root.end();
          await otel.end();
          const { detail, ids, totals } = await readBack(f, 'peru-chat');
          expect(detail?.steps.map((step) => step.type).sort()).toEqual(['agent', 'llm', 'llm']);
          expect(detail?.conversation).toMatchObject({
            customerId: 'cust-7',
            inputTokens: 24,
            outputTokens: 10,
          });
          expect(detail?.messages.map((m) => [m.role, m.content])).toEqual([
            ['human', 'Capital of Peru?'],
            ['agent', 'Santiago.'],
          ]);
          expect(ids).toEqual(['peru-chat']);
          expect(totals).toMatchObject({ conversations: 1, messages: 2, llmCalls: 2, inputTokens: 24 });
        } finally {
          await server.close();
          await f.close();
        }
      });
    }

    it('merges them into a conversation that already exists, counting it once', async () => {
      const f = await createFixture({ dialect });
      const server = await node(f);
      try {
        const otel = sdk({ url: server.url, key: f.ingestKey, protobuf: true });
        const first = agentRun(otel.tracer);
        first.root.setAttributes({ 'gen_ai.conversation.id': 'session-1', 'user.id': 'cust-1' });
        chat(otel.tracer, first.inRoot, { question: 'Hi?', answer: 'Hello.', tokens: 100 });
        first.root.end();
        await otel.flush();
        const second = agentRun(otel.tracer);
        chat(otel.tracer, second.inRoot, { question: 'Weather?', answer: 'Sunny.', tokens: 7 });
        await otel.flush();
        second.root.setAttributes({ 'gen_ai.conversation.id': 'session-1', 'user.id': 'cust-1' });
        second.root.end();
        await otel.end();
        const { detail, ids, totals } = await readBack(f, 'session-1');
        expect(detail?.steps.map((step) => step.type).sort()).toEqual(['agent', 'agent', 'llm', 'llm']);
        expect(detail?.messages.map((m) => m.content)).toEqual(['Hi?', 'Hello.', 'Weather?', 'Sunny.']);
        expect(detail?.conversation).toMatchObject({ inputTokens: 107, outputTokens: 10 });
        expect(ids).toEqual(['session-1']);
        expect(totals).toMatchObject({ conversations: 1, messages: 4, llmCalls: 2, inputTokens: 107 });
        const customers = await f.store.listCustomers(f.projectId, { limit: 10 });
        // The early spans named no user: their tokens count for the conversation's customer once merged.
        expect(customers.data.map((c) => [c.customerId, c.conversations, c.inputTokens])).toEqual([
          ['cust-1', 1, 107],
        ]);
      } finally {
        await server.close();
        await f.close();
      }
    });

    it('joins a trace whose early and late spans reach two collector nodes, and spans exported after that', async () => {
      const f = await createFixture({ dialect });
      const [nodeA, nodeB] = [await node(f), await node(f, true)];
      try {
        const a = sdk({ url: nodeA.url, key: f.ingestKey, protobuf: false });
        const b = sdk({ url: nodeB.url, key: f.ingestKey, protobuf: true });
        const run = agentRun(b.tracer);
        chat(a.tracer, run.inRoot, { question: 'Split?', answer: 'Joined.', tokens: 3 });
        await a.flush(); // node A stores the child under trace-<id>
        run.root.setAttributes({ 'gen_ai.conversation.id': 'two-nodes' });
        run.root.end();
        await b.flush(); // node B, which never saw the trace, merges it
        expect(await stored(f, `trace-${run.traceId}`)).toBe(false);
        // A span of the trace ending after the root, exported to node A without the name.
        a.tracer
          .startSpan(
            'execute_tool lookup',
            { attributes: { 'gen_ai.operation.name': 'execute_tool' } },
            run.inRoot,
          )
          .end();
        await Promise.all([a.end(), b.end()]);
        const { detail, ids, totals } = await readBack(f, 'two-nodes');
        expect(detail?.steps.map((step) => step.type).sort()).toEqual(['agent', 'llm', 'tool']);
        expect(ids).toEqual(['two-nodes']);
        expect(totals).toMatchObject({ conversations: 1, llmCalls: 1, toolCalls: 1, inputTokens: 3 });
      } finally {
        await nodeB.close();
        await nodeA.close();
        await f.close();
      }
    });
  },
);
