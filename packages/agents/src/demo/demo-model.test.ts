import {
  Agent,
  type ModelRequest,
  Runner,
  type SerializedTool,
  setTraceProcessors,
  setTracingDisabled,
  type TracingProcessor,
  tool,
  Usage,
} from '@openai/agents';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { evaluateArithmetic, findArithmetic } from './arithmetic.ts';
import { DemoModel, demoModel } from './demo-model.ts';
import { decide, type JsonSchemaObject } from './demo-rules.ts';

function fn(
  name: string,
  description: string,
  properties: JsonSchemaObject['properties'] = {},
): SerializedTool {
  return {
    type: 'function',
    name,
    description,
    parameters: {
      type: 'object',
      properties,
      required: Object.keys(properties ?? {}),
      additionalProperties: false,
    },
    strict: true,
  } as SerializedTool;
}

function request(
  input: ModelRequest['input'],
  tools: SerializedTool[] = [],
  tracing: ModelRequest['tracing'] = false,
) {
  return { input, tools, handoffs: [], modelSettings: {}, outputType: 'text', tracing } as ModelRequest;
}

const situation = (userText: string, tools = [] as Parameters<typeof decide>[0]['tools']) => ({
  userText,
  toolResults: [],
  handedOff: false,
  tools,
  handoffs: [],
});

describe('arithmetic', () => {
  it('finds expressions written with symbols or words and evaluates them with precedence', () => {
    expect(findArithmetic('what is 12 times 7?')).toBe('12 * 7');
    expect(findArithmetic('compute (3 + 4) * 2 please')).toBe('(3 + 4) * 2');
    expect(findArithmetic('no numbers here')).toBeUndefined();
    expect(evaluateArithmetic('(3 + 4) * 2')).toBe(14);
    expect(evaluateArithmetic('2 + 3 * 4 - 10 / 4')).toBe(11.5);
    expect(evaluateArithmetic('2 ^ 3 ^ 2')).toBe(512);
    expect(evaluateArithmetic('1 +')).toBeUndefined();
    expect(evaluateArithmetic('process.exit()')).toBeUndefined();
  });
});

describe('demo rules: matching tools by name or description and filling their arguments', () => {
  it('fills a, b and an enum operator for a binary calculator', () => {
    const calc = {
      name: 'calculator',
      description: 'Evaluate arithmetic',
      parameters: {
        properties: {
          a: { type: 'number' },
          b: { type: 'number' },
          op: { type: 'string', enum: ['add', 'multiply'] },
        },
      },
    };
    expect(decide(situation('what is 6 times 7?', [calc]))).toEqual({
      kind: 'call',
      name: 'calculator',
      arguments: { a: 6, b: 7, op: 'multiply' },
    });
  });

  it('passes the whole expression to a tool taking one, and answers longer expressions itself otherwise', () => {
    const evaluate = {
      name: 'evaluate',
      description: 'Do math',
      parameters: { properties: { expression: { type: 'string' } } },
    };
    expect(decide(situation('what is (3+4)*2?', [evaluate]))).toMatchObject({
      arguments: { expression: '(3+4)*2' },
    });
    const binary = {
      name: 'add',
      description: 'calculator: adds a and b',
      parameters: { properties: { a: {}, b: {} } },
    };
    expect(decide(situation('what is (3+4)*2?', [binary]))).toEqual({ kind: 'answer', text: '(3+4)*2 = 14' });
  });

  it('finds a weather tool by its description and the city in the question', () => {
    const weather = {
      name: 'lookup',
      description: 'Current weather forecast',
      parameters: { properties: { location: { type: 'string' } } },
    };
    expect(decide(situation('What is the weather in New York today?', [weather]))).toEqual({
      kind: 'call',
      name: 'lookup',
      arguments: { location: 'New York' },
    });
  });

  it('creates, lists and deletes notes with titles, contents and ids from the words', () => {
    const tools = ['create_note', 'list_notes', 'delete_note'].map((name) => ({
      name,
      description: name.replace('_', ' '),
      parameters: {
        properties:
          name === 'create_note'
            ? { title: {}, content: {} }
            : name === 'delete_note'
              ? { note_id: { type: 'integer' } }
              : {},
      },
    }));
    expect(decide(situation('Create a note titled Groceries: milk and eggs', tools))).toMatchObject({
      name: 'create_note',
      arguments: { title: 'Groceries', content: 'milk and eggs' },
    });
    expect(decide(situation('remember to call mom.', tools))).toMatchObject({
      name: 'create_note',
      arguments: { title: 'call mom', content: 'call mom' },
    });
    expect(decide(situation('show me all my notes', tools))).toMatchObject({
      name: 'list_notes',
      arguments: {},
    });
    expect(decide(situation('please delete note #12', tools))).toMatchObject({
      name: 'delete_note',
      arguments: { note_id: 12 },
    });
  });

  it('answers from tool results, hands off when asked, and says plainly what it is otherwise', () => {
    expect(decide({ ...situation('6*7'), toolResults: [{ name: 'calculator', output: '42' }] })).toEqual({
      kind: 'answer',
      text: 'The answer is 42.',
    });
    const handoffs = [{ toolName: 'transfer_to_billing_agent', toolDescription: 'Billing questions' }];
    expect(decide({ ...situation('I need the billing agent'), handoffs })).toEqual({
      kind: 'call',
      name: 'transfer_to_billing_agent',
      arguments: {},
    });
    expect(decide({ ...situation('I need the billing agent'), handoffs, handedOff: true }).kind).toBe(
      'answer',
    );
    const fallback = decide(situation('Tell me a story'));
    expect(fallback).toMatchObject({ kind: 'answer' });
    expect((fallback as { text: string }).text).toContain("I am Sightline's offline demo model");
  });
});

describe('DemoModel implements the SDK Model', () => {
  afterEach(() => setTraceProcessors([]));

  it('returns a function call with a Usage instance, then an answer prefixed as a demo', async () => {
    const model = demoModel();
    const tools = [fn('get_weather', 'Weather for a city', { city: { type: 'string' } })];
    const first = await model.getResponse(request('weather in Oslo?', tools));
    expect(first.usage).toBeInstanceOf(Usage);
    expect(first.usage.inputTokens).toBeGreaterThan(0);
    expect(first.output).toMatchObject([
      { type: 'function_call', name: 'get_weather', arguments: '{"city":"Oslo"}' },
    ]);
    const callId = (first.output[0] as { callId: string }).callId;
    const second = await model.getResponse(
      request(
        [
          { role: 'user', content: 'weather in Oslo?' },
          { ...(first.output[0] as object), type: 'function_call' } as never,
          {
            type: 'function_call_result',
            name: 'get_weather',
            callId,
            status: 'completed',
            output: { type: 'text', text: 'Rain, 8°C' },
          },
        ],
        tools,
      ),
    );
    expect(second.output).toMatchObject([
      { role: 'assistant', content: [{ type: 'output_text', text: '[demo model] Rain, 8°C' }] },
    ]);
  });

  it('streams text deltas and ends with the full response', async () => {
    const events = [];
    for await (const event of new DemoModel({ chunkSize: 5 }).getStreamedResponse(request('what is 2+2?')))
      events.push(event);
    expect(events[0]).toEqual({ type: 'response_started' });
    const deltas = events
      .filter((e) => e.type === 'output_text_delta')
      .map((e) => (e as { delta: string }).delta);
    expect(deltas.join('')).toBe('[demo model] 2+2 = 4');
    expect(deltas.every((delta) => delta.length <= 5)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'response_done', response: { usage: { requests: 1 } } });
  });

  it('opens its own generation span only when the run is traced', async () => {
    const spans: Array<{ type: string; model?: unknown; usage?: unknown }> = [];
    const recorder: TracingProcessor = {
      onTraceStart: async () => {},
      onTraceEnd: async () => {},
      onSpanStart: async () => {},
      onSpanEnd: async (span) => {
        spans.push(span.spanData as never);
      },
      shutdown: async () => {},
      forceFlush: async () => {},
    };
    setTraceProcessors([recorder]);
    setTracingDisabled(false); // the SDK disables tracing by default under NODE_ENV=test
    const agent = new Agent({
      name: 'A',
      instructions: 'x',
      model: demoModel(),
      tools: [
        tool({ name: 'noop', description: 'nothing', parameters: z.object({}), execute: async () => 'ok' }),
      ],
    });
    await new Runner().run(agent, 'hello');
    expect(spans.filter((s) => s.type === 'generation')).toMatchObject([
      {
        model: 'sightline-demo',
        usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
      },
    ]);
    spans.length = 0;
    await new Runner({ tracingDisabled: true }).run(agent, 'hello');
    expect(spans).toEqual([]);
  });
});
