/**
 * OTLP ingest with the real OpenTelemetry exporters (protobuf and JSON), GenAI semantic-convention
 * and OpenInference spans, gzip, re-sends, and partial success.
 */
import { context, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTraceRequest } from './otlp/trace-proto.ts';
import { listen, type RunningServer } from './server.ts';
import { createFixture, type Fixture } from './test-fixture.ts';

interface Detail {
  messages: Array<{ role: string; content: string }>;
  steps: Array<{
    id: string;
    parentId: string | null;
    type: string;
    name: string;
    usage: { model: string; inputTokens: number; outputTokens: number } | null;
    error: { message: string } | null;
    input: unknown;
    output: unknown;
  }>;
  conversation: { customerId: string | null; environment: string };
}

/** One agent turn in GenAI conventions: invoke_agent > chat (tool call) > execute_tool > chat (answer). */
function agentTurn(tracer: Tracer, conversationId: string): void {
  const agent = tracer.startSpan('invoke_agent weather-bot', {
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'weather-bot',
      'gen_ai.conversation.id': conversationId,
      'user.id': 'otel-user',
      'gen_ai.input.messages': JSON.stringify([
        { role: 'user', parts: [{ type: 'text', content: 'Weather in Oslo?' }] },
      ]),
      'gen_ai.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'text', content: 'It is 4 °C in Oslo.' }] },
      ]),
    },
  });
  const inAgent = trace.setSpan(context.active(), agent);
  {
    const chat = tracer.startSpan(
      'chat gpt-4o-mini',
      {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.provider.name': 'openai',
          'gen_ai.usage.input_tokens': 120,
          'gen_ai.usage.output_tokens': 30,
        },
      },
      inAgent,
    );
    chat.end();
    const tool = tracer.startSpan(
      'execute_tool get_weather',
      {
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'get_weather',
          'gen_ai.tool.call.arguments': '{"city":"Oslo"}',
          'gen_ai.tool.call.result': '{"celsius":4}',
        },
      },
      inAgent,
    );
    tool.end();
    const failing = tracer.startSpan(
      'execute_tool get_forecast',
      { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_forecast' } },
      inAgent,
    );
    failing.recordException(new Error('forecast service down'));
    failing.setStatus({ code: SpanStatusCode.ERROR, message: 'forecast service down' });
    failing.end();
    const answer = tracer.startSpan(
      'chat gpt-4o-mini',
      {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
          'gen_ai.usage.input_tokens': 200,
          'gen_ai.usage.output_tokens': 12,
        },
      },
      inAgent,
    );
    answer.end();
    agent.end();
  }
}

describe('OTLP trace ingest', () => {
  let f: Fixture;
  let server: RunningServer;
  beforeAll(async () => {
    f = await createFixture();
    server = await listen({ collector: f.collector, port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await f.close();
  });

  const read = async (id: string) =>
    (await (await f.request(`/v1/conversations/${id}`, { key: f.readKey })).json()) as Detail;

  for (const [label, Exporter] of [
    ['protobuf (exporter-trace-otlp-proto)', ProtoExporter],
    ['JSON (exporter-trace-otlp-http)', HttpJsonExporter],
  ] as const) {
    it(`maps GenAI spans from the real ${label} exporter into a conversation`, async () => {
      const exporter = new Exporter({
        url: `${server.url}/v1/otlp/v1/traces`,
        headers: { authorization: `Bearer ${f.ingestKey}` },
        compression: 'gzip' as never,
      });
      const provider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] });
      const conversationId = `otel-${label.split(' ')[0]}`;
      agentTurn(provider.getTracer('test'), conversationId);
      await provider.forceFlush();
      await provider.shutdown();
      const detail = await read(conversationId);
      expect(detail.messages).toEqual([
        expect.objectContaining({ role: 'human', content: 'Weather in Oslo?' }),
        expect.objectContaining({ role: 'agent', content: 'It is 4 °C in Oslo.' }),
      ]);
      expect(detail.conversation.customerId).toBe('otel-user');
      const byName = (name: string) => detail.steps.filter((s) => s.name === name);
      const agent = detail.steps.find((s) => s.type === 'agent');
      expect(agent?.name).toBe('weather-bot');
      expect(detail.steps.filter((s) => s.type === 'llm')).toHaveLength(2);
      expect(detail.steps.filter((s) => s.type === 'llm').every((s) => s.parentId === agent?.id)).toBe(true);
      expect(byName('get_weather')[0]).toMatchObject({
        type: 'tool',
        input: { city: 'Oslo' },
        output: { celsius: 4 },
        error: null,
      });
      expect(byName('get_forecast')[0]?.error?.message).toBe('forecast service down');
      const usage = detail.steps
        .filter((s) => s.usage)
        .map((s) => [s.usage?.model, s.usage?.inputTokens, s.usage?.outputTokens]);
      expect(usage).toEqual(
        expect.arrayContaining([
          ['gpt-4o-mini', 120, 30],
          ['gpt-4o-mini-2024-07-18', 200, 12],
        ]),
      );
    });
  }

  it('maps OpenInference spans (session.id, llm.*, input.value / output.value)', async () => {
    const exporter = new ProtoExporter({
      url: `${server.url}/v1/otlp/v1/traces`,
      headers: { authorization: `Bearer ${f.ingestKey}` },
    });
    // One span per export request (SimpleSpanProcessor): the trace arrives in pieces, root last.
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    const tracer = provider.getTracer('openinference');
    const root = tracer.startSpan('agent', {
      attributes: {
        'openinference.span.kind': 'CHAIN',
        'session.id': 'oi-session',
        'input.value': 'Add 2 and 3',
        'output.value': 'The answer is 5.',
      },
    });
    const inRoot = trace.setSpan(context.active(), root);
    tracer
      .startSpan(
        'ChatOpenAI',
        {
          attributes: {
            'openinference.span.kind': 'LLM',
            'session.id': 'oi-session',
            'llm.model_name': 'gpt-4o',
            'llm.token_count.prompt': 50,
            'llm.token_count.completion': 7,
            'llm.input_messages.0.message.role': 'user',
            'llm.input_messages.0.message.content': 'Add 2 and 3',
          },
        },
        inRoot,
      )
      .end();
    tracer
      .startSpan(
        'add',
        {
          attributes: {
            'openinference.span.kind': 'TOOL',
            'session.id': 'oi-session',
            'tool.name': 'add',
            'input.value': '{"a":2,"b":3}',
            'output.value': '5',
          },
        },
        inRoot,
      )
      .end();
    root.end();
    await provider.forceFlush();
    await provider.shutdown();
    const detail = await read('oi-session');
    expect(detail.messages.map((m) => [m.role, m.content])).toEqual([
      ['human', 'Add 2 and 3'],
      ['agent', 'The answer is 5.'],
    ]);
    expect(detail.steps.map((s) => s.type).sort()).toEqual(['llm', 'run', 'tool']);
    expect(detail.steps.find((s) => s.type === 'llm')?.usage).toMatchObject({
      model: 'gpt-4o',
      inputTokens: 50,
      outputTokens: 7,
    });
  });

  it('puts the answer after the question when an LLM span starting as its root ends arrives first', async () => {
    const ms = (at: number) => `${BigInt(1767225600000 + at) * 1_000_000n}`;
    const exportSpans = (spans: object[]) =>
      f.request('/v1/otlp/v1/traces', {
        method: 'POST',
        key: f.ingestKey,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }),
      });
    const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } });
    const traceId = '1af7651916cd43dd8448eb211c80319c';
    // The LLM call starts in the millisecond its root ends, and is exported first, alone.
    const llm = {
      traceId,
      spanId: 'a1ad6b7169203331',
      parentSpanId: 'a0ad6b7169203330',
      name: 'ChatOpenAI',
      startTimeUnixNano: ms(1),
      endTimeUnixNano: ms(1),
      attributes: [
        attribute('openinference.span.kind', 'LLM'),
        attribute('session.id', 'same-ms'),
        attribute('llm.input_messages.0.message.role', 'user'),
        attribute('llm.input_messages.0.message.content', 'Question?'),
      ],
    };
    const root = {
      traceId,
      spanId: 'a0ad6b7169203330',
      name: 'agent',
      startTimeUnixNano: ms(0),
      endTimeUnixNano: ms(1),
      attributes: [
        attribute('openinference.span.kind', 'CHAIN'),
        attribute('session.id', 'same-ms'),
        attribute('output.value', 'Answer.'),
      ],
    };
    expect((await exportSpans([llm])).status).toBe(200);
    expect((await exportSpans([root])).status).toBe(200);
    const detail = await read('same-ms');
    expect(detail.messages.map((m) => [m.role, m.content])).toEqual([
      ['human', 'Question?'],
      ['agent', 'Answer.'],
    ]);
  });

  it('treats a re-sent export as duplicates and reports partial success for spans it cannot store', async () => {
    const span = (name: string, extra: Record<string, unknown> = {}) => ({
      traceId: Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex'),
      spanId: Buffer.from(name === 'ok' ? 'b7ad6b7169203331' : 'c7ad6b7169203332', 'hex'),
      name,
      kind: 1,
      startTimeUnixNano: '1767225600000000000',
      endTimeUnixNano: '1767225601000000000',
      attributes: [
        { key: 'session.id', value: { stringValue: 'resent' } },
        ...Object.entries(extra).map(([key, v]) => ({ key, value: { stringValue: String(v) } })),
      ],
    });
    const body = encodeTraceRequest({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                span('ok'),
                span('bad', { 'gen_ai.tool.name': 'x'.repeat(600), 'gen_ai.operation.name': 'execute_tool' }),
              ],
            },
          ],
        },
      ],
    });
    const post = () =>
      f.request('/v1/otlp/v1/traces', {
        method: 'POST',
        key: f.ingestKey,
        headers: { 'content-type': 'application/x-protobuf' },
        body: body as Uint8Array<ArrayBuffer>,
      });
    for (let i = 0; i < 2; i++) expect((await post()).status).toBe(200);
    const json = await f.request('/v1/otlp/v1/traces', {
      method: 'POST',
      key: f.ingestKey,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: '0af7651916cd43dd8448eb211c80319c',
                    spanId: 'd7ad6b7169203333',
                    name: 'x'.repeat(600),
                    startTimeUnixNano: '1767225600000000000',
                    endTimeUnixNano: '1767225600000000000',
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(await json.json()).toMatchObject({
      partialSuccess: { rejectedSpans: 1, errorMessage: expect.stringContaining('name') },
    });
    const detail = await read('resent');
    expect(detail.steps.map((s) => s.name)).toEqual(['ok']);
    const wrongType = await f.request('/v1/otlp/v1/traces', {
      method: 'POST',
      key: f.ingestKey,
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(wrongType.status).toBe(415);
    const garbage = await f.request('/v1/otlp/v1/traces', {
      method: 'POST',
      key: f.ingestKey,
      headers: { 'content-type': 'application/x-protobuf' },
      body: new Uint8Array([0xff, 0xff, 0xff]),
    });
    expect(garbage.status).toBe(400);
    expect(trace).toBeDefined();
  });
});
