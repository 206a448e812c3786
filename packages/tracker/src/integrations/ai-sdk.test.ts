import { createOpenAI } from '@ai-sdk/openai';
import { generateText, isStepCount, streamText, tool } from 'ai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TrackerError } from '../errors.ts';
import { type FakeCollector, startFakeCollector } from '../testing/fake-collector.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../testing/fake-openai.ts';
import { createTracker, type Tracker } from '../tracker.ts';
import { sightlineTelemetry } from './ai-sdk.ts';

let collector: FakeCollector;
let provider: FakeOpenAI;
let tracker: Tracker;
let errors: TrackerError[];

beforeEach(async () => {
  collector = await startFakeCollector();
  provider = await startFakeOpenAI();
  errors = [];
  tracker = createTracker({ endpoint: collector.url, onError: (error) => errors.push(error) });
});

afterEach(async () => {
  await tracker.shutdown({ timeoutMs: 1000 });
  await provider.stop();
  await collector.stop();
});

function chatModel() {
  return createOpenAI({ apiKey: 'sk-test', baseURL: provider.baseURL }).chat('gpt-4o-mini');
}

const tools = {
  get_current_weather: tool({
    description: 'Get the current weather in a given location',
    inputSchema: z.object({ location: z.string() }),
    execute: async ({ location }) => {
      // Ambient tracking inside a tool nests under the tool's step.
      tracker.trackAction({ name: 'weather-api', response: 'cache hit' });
      return { location, temperature: '72', unit: 'Fahrenheit' };
    },
  }),
};

async function stepsOf(conversationId: string) {
  await tracker.flush();
  const merged = new Map<string, Record<string, unknown>>();
  for (const event of collector.eventsOf(conversationId)) {
    if (event.type !== 'step') continue;
    const stepId = event.body.stepId as string;
    merged.set(stepId, { ...merged.get(stepId), ...event.body });
  }
  return [...merged.values()];
}

describe('sightlineTelemetry (AI SDK)', () => {
  it('records generateText with tools: run, llm steps with usage, tool steps, nested tracking', async () => {
    const convo = tracker.conversation('ai-1');
    const result = await tracker.runInConversation(convo, () =>
      generateText({
        model: chatModel(),
        prompt: "what's the weather in Paris",
        tools,
        stopWhen: isStepCount(3),
        telemetry: { functionId: 'weather-agent', integrations: [sightlineTelemetry()] },
      }),
    );
    expect(result.text).toContain('Based on the tools');

    const steps = await stepsOf('ai-1');
    const run = steps.find((step) => step.type === 'run');
    const llms = steps.filter((step) => step.type === 'llm');
    const toolStep = steps.find((step) => step.type === 'tool');
    const nested = steps.find((step) => step.name === 'weather-api');
    expect(run).toMatchObject({
      name: 'weather-agent',
      output: result.text,
      toolsUsed: ['get_current_weather'],
    });
    expect(run).not.toHaveProperty('error');
    expect(llms).toHaveLength(2);
    expect(llms[0]).toMatchObject({
      parentId: run?.stepId,
      name: 'chat gpt-4o-mini',
      usage: { model: 'gpt-4o-mini', inputTokens: 5, outputTokens: 8, totalTokens: 13 },
      output: { toolCalls: [{ name: 'get_current_weather', input: { location: 'Paris' } }] },
      toolsUsed: ['get_current_weather'],
    });
    expect(String((llms[0]?.usage as { provider?: string } | undefined)?.provider)).toMatch(/openai/);
    expect(toolStep).toMatchObject({
      parentId: run?.stepId,
      name: 'get_current_weather',
      input: { location: 'Paris' },
      output: { location: 'Paris', temperature: '72', unit: 'Fahrenheit' },
    });
    expect(nested).toMatchObject({ type: 'action', parentId: toolStep?.stepId });
    expect(llms[1]).toMatchObject({ output: result.text });
    expect(errors).toEqual([]);
  });

  it('records streamText with time to first output once the stream is consumed', async () => {
    const convo = tracker.conversation('ai-2');
    const text = await tracker.runInConversation(convo, async () => {
      const result = streamText({
        model: chatModel(),
        prompt: 'hello stream',
        telemetry: { integrations: [sightlineTelemetry()] },
      });
      let collected = '';
      for await (const part of result.textStream) collected += part;
      return collected;
    });
    expect(text).toBe('You said: hello stream');
    const steps = await stepsOf('ai-2');
    const run = steps.find((step) => step.type === 'run');
    const llm = steps.find((step) => step.type === 'llm');
    expect(run).toMatchObject({ name: 'streamText', output: 'You said: hello stream' });
    expect(llm).toMatchObject({ parentId: run?.stepId, output: 'You said: hello stream' });
    const usage = llm?.usage as { timeToFirstTokenMs?: number; inputTokens?: number } | undefined;
    expect(usage?.timeToFirstTokenMs).toBeGreaterThanOrEqual(provider.firstChunkDelayMs - 1);
    expect(usage?.inputTokens).toBe(2);
  });

  it('records a failing call as an error and ignores calls outside any conversation', async () => {
    const convo = tracker.conversation('ai-3');
    const broken = createOpenAI({ apiKey: 'sk-test', baseURL: `${provider.baseURL}/missing` }).chat(
      'gpt-4o-mini',
    );
    await expect(
      tracker.runInConversation(convo, () =>
        generateText({
          model: broken,
          prompt: 'x',
          maxRetries: 0,
          telemetry: { integrations: [sightlineTelemetry()] },
        }),
      ),
    ).rejects.toThrow();
    await generateText({
      model: chatModel(),
      prompt: 'outside',
      telemetry: { integrations: [sightlineTelemetry()] },
    });
    const steps = await stepsOf('ai-3');
    expect(steps.find((step) => step.type === 'run')).toMatchObject({
      error: { message: expect.any(String) },
    });
    expect(collector.events.every((event) => event.body.conversationId === 'ai-3')).toBe(true);
  });
});
