import { ChatPromptTemplate } from '@langchain/core/prompts';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TrackerError } from '../errors.ts';
import { type FakeCollector, startFakeCollector } from '../testing/fake-collector.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../testing/fake-openai.ts';
import { createTracker, type Tracker } from '../tracker.ts';
import { SightlineCallbackHandler } from './langchain.ts';

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

const getWeather = tool(async ({ location }) => `Sunny, 68°F in ${location}`, {
  name: 'get_current_weather',
  description: 'Get the current weather in a given location',
  schema: z.object({ location: z.string() }),
});

function model(options: { streaming?: boolean } = {}) {
  return new ChatOpenAI({
    model: 'gpt-4o-mini',
    apiKey: 'sk-test',
    configuration: { baseURL: provider.baseURL },
    maxRetries: 0,
    ...options,
  });
}

async function stepsOf(conversationId: string) {
  await tracker.flush();
  const ends = new Map<string, Record<string, unknown>>();
  for (const event of collector.eventsOf(conversationId)) {
    if (event.type !== 'step') continue;
    const stepId = event.body.stepId as string;
    ends.set(stepId, { ...ends.get(stepId), ...event.body });
  }
  return [...ends.values()];
}

describe('SightlineCallbackHandler', () => {
  it('records a tool-calling exchange: llm steps with usage and tool calls, tool steps, nested by run ids', async () => {
    const convo = tracker.conversation('lc-1');
    const handler = new SightlineCallbackHandler();
    const answer = await tracker.runInConversation(convo, () =>
      convo.step({ type: 'run', name: 'agent' }, async () => {
        const llm = model().bindTools([getWeather]);
        const messages: Parameters<typeof llm.invoke>[0] = [
          { role: 'user', content: "what's the weather in Paris" },
        ];
        const first = await llm.invoke(messages, { callbacks: [handler] });
        const toolCall = first.tool_calls?.[0];
        if (!toolCall) throw new Error('expected a tool call');
        const toolMessage = await getWeather.invoke(toolCall, { callbacks: [handler] });
        const second = await llm.invoke([...messages, first, toolMessage], { callbacks: [handler] });
        return second.content;
      }),
    );
    expect(answer).toBe('Based on the tools: Sunny, 68°F in Paris');

    const steps = await stepsOf('lc-1');
    const agent = steps.find((step) => step.name === 'agent');
    const llmSteps = steps.filter((step) => step.type === 'llm');
    const toolStep = steps.find((step) => step.type === 'tool');
    expect(llmSteps).toHaveLength(2);
    expect(llmSteps[0]).toMatchObject({
      parentId: agent?.stepId,
      name: 'chat gpt-4o-mini',
      usage: { model: 'gpt-4o-mini', provider: 'openai', inputTokens: 5, outputTokens: 8, totalTokens: 13 },
      output: { toolCalls: [{ name: 'get_current_weather', args: { location: 'Paris' } }] },
      toolsUsed: ['get_current_weather'],
      input: [{ role: 'human', content: "what's the weather in Paris" }],
    });
    expect(typeof agent?.stepId).toBe('string');
    expect(toolStep).toMatchObject({
      name: 'get_current_weather',
      parentId: agent?.stepId,
      input: { location: 'Paris' },
      output: 'Sunny, 68°F in Paris',
    });
    expect(llmSteps[1]).toMatchObject({ output: 'Based on the tools: Sunny, 68°F in Paris' });
    expect(errors).toEqual([]);
  });

  it('records chain runs with their children, streaming time to first token, and errors', async () => {
    const convo = tracker.conversation('lc-2');
    const handler = new SightlineCallbackHandler({ conversation: convo });
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'You are a helpful assistant.'],
      ['human', '{input}'],
    ]);
    const chain = prompt.pipe(model({ streaming: true }));
    let streamed = '';
    for await (const chunk of await chain.stream(
      { input: 'hello chain' },
      { callbacks: [handler], runName: 'chat-chain' },
    )) {
      streamed += chunk.content;
    }
    expect(streamed).toBe('You said: hello chain');
    const failing = tool(
      async () => {
        throw new Error('tool exploded');
      },
      { name: 'explode', description: 'fails', schema: z.object({}) },
    );
    await expect(failing.invoke({}, { callbacks: [handler] })).rejects.toThrow('tool exploded');

    const steps = await stepsOf('lc-2');
    const root = steps.find((step) => step.name === 'chat-chain');
    const llm = steps.find((step) => step.type === 'llm');
    expect(root).toMatchObject({ type: 'chain', input: { input: 'hello chain' } });
    expect(root).not.toHaveProperty('parentId');
    expect(llm).toMatchObject({ parentId: root?.stepId, output: 'You said: hello chain' });
    expect((llm?.usage as { timeToFirstTokenMs?: number } | undefined)?.timeToFirstTokenMs).toBeGreaterThan(
      0,
    );
    expect(steps.find((step) => step.name === 'explode')).toMatchObject({
      error: { message: 'tool exploded' },
    });
  });
});
