/**
 * GenAI mapping with the real OpenTelemetry JS SDK and exporters: messages on the current
 * `gen_ai.client.inference.operation.details` event and in structured attributes, the older
 * `gen_ai.user.message` / `gen_ai.choice` events, a trace's later spans joining the conversation an
 * earlier export named, and conversation ids that are not strings.
 */
import { context, type Span, type Tracer, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attr, jsonExport, jsonSpan, nanos, postExport, TRACE_ID } from './otlp/test-payloads.ts';
import { listen, type RunningServer } from './server.ts';
import { createFixture, type Fixture } from './test-fixture.ts';

interface Detail {
  messages: Array<{ role: string; content: string }>;
  steps: Array<{ name: string; type: string; input: unknown; output: unknown; usage: unknown }>;
}

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

const read = async (id: string) => {
  const response = await f.request(`/v1/conversations/${encodeURIComponent(id)}`, { key: f.readKey });
  return response.status === 200 ? ((await response.json()) as Detail) : null;
};
const roles = (detail: Detail | null) => detail?.messages.map((m) => [m.role, m.content]);
const llmStep = (detail: Detail | null) => detail?.steps.find((step) => step.type === 'llm');

/** A real tracer exporting over HTTP to the test server; `simple` exports each span as it ends. */
function sdk(options: { protobuf: boolean; simple?: boolean }) {
  const settings = {
    url: `${server.url}/v1/otlp/v1/traces`,
    headers: { authorization: `Bearer ${f.ingestKey}` },
  };
  const exporter = options.protobuf ? new ProtoExporter(settings) : new HttpJsonExporter(settings);
  const processor = options.simple
    ? new SimpleSpanProcessor({ exporter })
    : new BatchSpanProcessor({ exporter });
  const provider = new TracerProvider({ spanProcessors: [processor] });
  return {
    tracer: provider.getTracer('genai-test'),
    flush: () => provider.forceFlush(),
    end: () => provider.shutdown(),
  };
}

const text = (role: string, content: string) => ({ role, parts: [{ type: 'text', content }] });

/** A chat span with usage; `more` adds events or attributes before it ends. */
function chat(tracer: Tracer, attributes: Record<string, string | number>, more: (span: Span) => void): void {
  const span = tracer.startSpan('chat gpt-4o', {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 11,
      'gen_ai.usage.output_tokens': 7,
      ...attributes,
    },
  });
  more(span);
  span.end();
}

describe('GenAI messages', () => {
  for (const protobuf of [true, false]) {
    it(`reads the gen_ai.client.inference.operation.details event (${protobuf ? 'protobuf' : 'JSON'} exporter)`, async () => {
      const otel = sdk({ protobuf });
      const conversationId = `details-${protobuf}`;
      chat(otel.tracer, { 'gen_ai.conversation.id': conversationId }, (span) =>
        span.addEvent('gen_ai.client.inference.operation.details', {
          'gen_ai.operation.name': 'chat',
          'gen_ai.input.messages': JSON.stringify([
            text('system', 'Be brief.'),
            text('user', 'Capital of Peru?'),
          ]),
          'gen_ai.output.messages': JSON.stringify([
            { ...text('assistant', 'Lima.'), finish_reason: 'stop' },
          ]),
        }),
      );
      await otel.end();
      const detail = await read(conversationId);
      expect(roles(detail)).toEqual([
        ['human', 'Capital of Peru?'],
        ['agent', 'Lima.'],
      ]);
      expect(llmStep(detail)).toMatchObject({
        input: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Capital of Peru?' },
        ],
        output: [{ role: 'assistant', content: 'Lima.' }],
        usage: { model: 'gpt-4o', inputTokens: 11, outputTokens: 7 },
      });
    });
  }

  it('reads structured (kvlist) messages on the event and on span attributes', async () => {
    const kv = (key: string, value: unknown) => ({ key, value });
    const message = (role: string, content: string) => ({
      kvlistValue: {
        values: [
          kv('role', { stringValue: role }),
          kv('parts', {
            arrayValue: {
              values: [
                {
                  kvlistValue: {
                    values: [kv('type', { stringValue: 'text' }), kv('content', { stringValue: content })],
                  },
                },
                {
                  kvlistValue: {
                    values: [kv('type', { stringValue: 'tool_call' }), kv('name', { stringValue: 'x' })],
                  },
                },
              ],
            },
          }),
        ],
      },
    });
    const list = (...messages: object[]) => ({ arrayValue: { values: messages } });
    const onEvent = jsonSpan(1, {
      traceId: `e${TRACE_ID.slice(1)}`,
      attributes: [attr('gen_ai.operation.name', 'chat'), attr('session.id', 'structured-event')],
      events: [
        {
          name: 'gen_ai.client.inference.operation.details',
          timeUnixNano: nanos(500),
          attributes: [
            attr('gen_ai.input.messages', list(message('user', 'Hello from a kvlist'))),
            attr('gen_ai.output.messages', list(message('assistant', 'Structured hello'))),
          ],
        },
      ],
    });
    const onSpan = jsonSpan(2, {
      traceId: `f${TRACE_ID.slice(1)}`,
      attributes: [
        attr('gen_ai.operation.name', 'chat'),
        attr('session.id', 'structured-span'),
        attr('gen_ai.input.messages', list(message('user', 'Span-level question'))),
        attr('gen_ai.output.messages', list(message('assistant', 'Span-level answer'))),
      ],
    });
    expect((await postExport(f, jsonExport([onEvent, onSpan]))).status).toBe(200);
    expect(roles(await read('structured-event'))).toEqual([
      ['human', 'Hello from a kvlist'],
      ['agent', 'Structured hello'],
    ]);
    expect(roles(await read('structured-span'))).toEqual([
      ['human', 'Span-level question'],
      ['agent', 'Span-level answer'],
    ]);
  });

  it('decodes the older gen_ai.user.message / gen_ai.choice events: JSON message, gen_ai.event.content', async () => {
    const otel = sdk({ protobuf: true });
    chat(otel.tracer, { 'session.id': 'older-json' }, (span) => {
      span.addEvent('gen_ai.system.message', {
        'gen_ai.event.content': JSON.stringify({ content: 'Be kind.' }),
      });
      span.addEvent('gen_ai.user.message', {
        'gen_ai.event.content': JSON.stringify({ role: 'user', content: { text: { value: 'Hi there' } } }),
      });
      span.addEvent('gen_ai.choice', {
        message: JSON.stringify({ role: 'assistant', content: 'Hello! How can I help?' }),
      });
    });
    chat(otel.tracer, { 'session.id': 'older-event-content' }, (span) => {
      span.addEvent('gen_ai.user.message', { content: 'Plain content' });
      span.addEvent('gen_ai.choice', {
        'gen_ai.event.content': JSON.stringify({
          finish_reason: 'stop',
          index: 0,
          message: { content: 'From event content' },
        }),
      });
    });
    await otel.end();
    const first = await read('older-json');
    expect(roles(first)).toEqual([
      ['human', 'Hi there'],
      ['agent', 'Hello! How can I help?'],
    ]);
    expect(llmStep(first)?.input).toEqual([
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'Hi there' },
    ]);
    expect(roles(await read('older-event-content'))).toEqual([
      ['human', 'Plain content'],
      ['agent', 'From event content'],
    ]);
  });

  it('decodes a gen_ai.choice message sent as a kvlist (not "[object Object]")', async () => {
    const span = jsonSpan(3, {
      traceId: `d${TRACE_ID.slice(1)}`,
      attributes: [attr('gen_ai.operation.name', 'chat'), attr('session.id', 'older-kvlist')],
      events: [
        { name: 'gen_ai.user.message', attributes: [attr('content', 'Question?')] },
        {
          name: 'gen_ai.choice',
          attributes: [
            attr('message', {
              kvlistValue: {
                values: [attr('role', 'assistant'), attr('content', 'A kvlist answer')],
              },
            }),
          ],
        },
      ],
    });
    expect((await postExport(f, jsonExport([span]))).status).toBe(200);
    expect(roles(await read('older-kvlist'))).toEqual([
      ['human', 'Question?'],
      ['agent', 'A kvlist answer'],
    ]);
  });
});

describe('conversation of a trace', () => {
  it('puts spans exported after the one naming the conversation into that conversation', async () => {
    const otel = sdk({ protobuf: true, simple: true });
    const root = otel.tracer.startSpan('invoke_agent helper', {
      attributes: { 'gen_ai.operation.name': 'invoke_agent' },
    });
    const inRoot = trace.setSpan(context.active(), root);
    // The first model call names the conversation; the tool call and the agent span after it do not.
    const first = otel.tracer.startSpan(
      'chat',
      {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.conversation.id': 'late-spans',
          'gen_ai.request.model': 'gpt-4o',
        },
      },
      inRoot,
    );
    first.end();
    await otel.flush();
    otel.tracer
      .startSpan(
        'execute_tool lookup',
        { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' } },
        inRoot,
      )
      .end();
    await otel.flush();
    root.end();
    await otel.end();
    const detail = await read('late-spans');
    expect(detail?.steps.map((step) => step.type).sort()).toEqual(['agent', 'llm', 'tool']);
    expect(await read(`trace-${root.spanContext().traceId}`)).toBeNull();
  });
});

describe('conversation ids that are not strings', () => {
  it('takes an int or a bool in its string form (real SDK), every digit of an int64', async () => {
    const otel = sdk({ protobuf: false });
    otel.tracer
      .startSpan('chat', { attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.conversation.id': 4242 } })
      .end();
    otel.tracer
      .startSpan('chat', { attributes: { 'gen_ai.operation.name': 'chat', 'session.id': true } })
      .end();
    await otel.end();
    expect((await read('4242'))?.steps).toHaveLength(1);
    expect((await read('true'))?.steps).toHaveLength(1);
    // An int64 past 2^53 keeps every digit (it used to go through a double: ...992).
    const big = jsonSpan(5, {
      traceId: `b${TRACE_ID.slice(1)}`,
      attributes: [attr('gen_ai.conversation.id', { intValue: '9007199254740993' })],
    });
    expect((await postExport(f, jsonExport([big]))).status).toBe(200);
    expect((await read('9007199254740993'))?.steps).toHaveLength(1);
  });

  it('ignores an array, a kvlist or a double, falls back, and says so in the partial success', async () => {
    const otel = sdk({ protobuf: true });
    const span = otel.tracer.startSpan('chat', {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.conversation.id': ['a', 'b'],
        'session.id': 'array-fallback',
      },
    });
    span.end();
    await otel.end();
    expect((await read('array-fallback'))?.steps).toHaveLength(1);
    expect(await read('["a","b"]')).toBeNull();

    const kvlist = jsonSpan(4, {
      traceId: `c${TRACE_ID.slice(1)}`,
      attributes: [attr('session.id', { kvlistValue: { values: [attr('id', 'x')] } }), attr('user.id', 1.5)],
    });
    const response = await postExport(f, jsonExport([kvlist]));
    expect(response.status).toBe(200);
    const { partialSuccess } = (await response.json()) as {
      partialSuccess: { rejectedSpans: number; errorMessage: string };
    };
    expect(partialSuccess.rejectedSpans).toBe(0);
    expect(partialSuccess.errorMessage).toContain('attribute session.id: is a key-value list');
    expect(partialSuccess.errorMessage).toContain('attribute user.id: is a non-integer or unsafe number');
    expect((await read(`trace-c${TRACE_ID.slice(1)}`))?.steps).toHaveLength(1);
    expect(await read('{"id":"x"}')).toBeNull();
  });
});
