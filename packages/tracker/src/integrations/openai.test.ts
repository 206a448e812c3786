import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrackerError } from '../errors.ts';
import { type FakeCollector, startFakeCollector } from '../testing/fake-collector.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../testing/fake-openai.ts';
import { createTracker, type Tracker } from '../tracker.ts';
import { instrumentOpenAI } from './openai.ts';

let collector: FakeCollector;
let provider: FakeOpenAI;
let tracker: Tracker;
let client: OpenAI;
let errors: TrackerError[];

beforeEach(async () => {
  collector = await startFakeCollector();
  provider = await startFakeOpenAI();
  errors = [];
  tracker = createTracker({ endpoint: collector.url, onError: (error) => errors.push(error) });
  client = instrumentOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: provider.baseURL, maxRetries: 0 }), {
    tracker,
  });
});

afterEach(async () => {
  await tracker.shutdown({ timeoutMs: 1000 });
  await provider.stop();
  await collector.stop();
});

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_current_weather',
    description: 'Get the current weather in a given location',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

async function llmSteps(conversationId: string) {
  await tracker.flush();
  return collector
    .eventsOf(conversationId)
    .filter((event) => event.body.type === 'llm')
    .map((event) => event.body);
}

describe('instrumentOpenAI', () => {
  it('records a chat completion as an llm step with usage, nested under the current step', async () => {
    const convo = tracker.conversation('oa-1');
    const completion = await tracker.runInConversation(convo, () =>
      convo.step({ type: 'run', name: 'run' }, () =>
        client.chat.completions.create({
          model: 'gpt-4-turbo-preview',
          messages: [{ role: 'user', content: "what's the weather in sf" }],
          tools: [weatherTool],
          tool_choice: 'auto',
        }),
      ),
    );
    expect(completion.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      function: { name: 'get_current_weather' },
    });
    const [llm] = await llmSteps('oa-1');
    const run = collector.eventsOf('oa-1').find((event) => event.body.name === 'run');
    expect(typeof run?.body.stepId).toBe('string');
    expect(llm).toMatchObject({
      name: 'chat gpt-4-turbo-preview',
      parentId: run?.body.stepId,
      usage: {
        model: 'gpt-4-turbo-preview',
        provider: 'openai',
        inputTokens: 5,
        outputTokens: 8,
        totalTokens: 13,
      },
      input: [{ role: 'user', content: "what's the weather in sf" }],
      output: { toolCalls: [{ name: 'get_current_weather', arguments: '{"location":"sf"}' }] },
      toolsUsed: ['get_current_weather'],
      metadata: {
        api: 'chat.completions',
        stream: false,
        finishReason: 'tool_calls',
        toolsOffered: ['get_current_weather'],
      },
    });
    expect(llm?.durationMs).toBeGreaterThan(0);
  });

  it('records a streamed chat completion with time to first token once the stream is consumed', async () => {
    const convo = tracker.conversation('oa-2');
    const text = await tracker.runInConversation(convo, async () => {
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hello there' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let collected = '';
      for await (const chunk of stream) collected += chunk.choices[0]?.delta.content ?? '';
      return collected;
    });
    expect(text).toBe('You said: hello there');
    const [llm] = await llmSteps('oa-2');
    expect(llm).toMatchObject({
      output: 'You said: hello there',
      usage: { model: 'gpt-4o-mini', inputTokens: 2, outputTokens: 4, totalTokens: 6 },
      metadata: { stream: true, finishReason: 'stop' },
    });
    const ttft = (llm?.usage as { timeToFirstTokenMs: number } | undefined)?.timeToFirstTokenMs;
    expect(ttft).toBeGreaterThanOrEqual(provider.firstChunkDelayMs - 1);
    expect(ttft).toBeLessThanOrEqual(llm?.durationMs as number);
  });

  it('records Responses API calls, streamed and not, and SDK errors', async () => {
    const convo = tracker.conversation('oa-3');
    await tracker.runInConversation(convo, async () => {
      const response = await client.responses.create({ model: 'gpt-4.1', input: 'ping' });
      expect(response.output_text).toBe('You said: ping');
      const stream = await client.responses.create({
        model: 'gpt-4.1',
        input: 'streamed ping',
        stream: true,
      });
      for await (const _event of stream) {
        // consume
      }
      await expect(
        client.chat.completions.create({ model: 'x', messages: [] }, { path: '/nowhere' } as never),
      ).rejects.toThrow();
    });
    const steps = await llmSteps('oa-3');
    expect(steps[0]).toMatchObject({
      output: 'You said: ping',
      usage: { inputTokens: 1, outputTokens: 3 },
      metadata: { api: 'responses' },
    });
    expect(steps[1]).toMatchObject({
      output: 'You said: streamed ping',
      metadata: { api: 'responses', stream: true },
    });
    expect(
      (steps[1]?.usage as { timeToFirstTokenMs?: number } | undefined)?.timeToFirstTokenMs,
    ).toBeGreaterThan(0);
    expect(steps[2]).toMatchObject({ error: { message: expect.stringContaining('404') } });
  });

  it('leaves calls outside any conversation untouched and unrecorded, and instruments a client once', async () => {
    expect(instrumentOpenAI(client)).toBe(client);
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0]?.message.content).toBe('You said: hi');
    await tracker.flush();
    expect(collector.events).toHaveLength(0);
    expect(errors).toEqual([]);
  });
});
