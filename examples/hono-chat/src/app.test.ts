import type { ConversationDetail } from '@sightline/core';
import { createTracker, type Tracker } from '@sightline/tracker';
import { instrumentOpenAI } from '@sightline/tracker/openai';
import { type FakeOpenAI, startFakeOpenAI } from '@sightline/tracker/testing';
import type { Hono } from 'hono';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatApp } from './app.ts';
import { type LocalCollector, startLocalCollector } from './local-collector.ts';
import { evaluate } from './tools.ts';

let collector: LocalCollector;
let provider: FakeOpenAI;
let tracker: Tracker;
let app: Hono;
const trackerErrors: string[] = [];

beforeAll(async () => {
  collector = await startLocalCollector();
  provider = await startFakeOpenAI();
  tracker = createTracker({
    endpoint: collector.url,
    apiKey: collector.ingestKey,
    onError: (error) => trackerErrors.push(error.message),
  });
  const openai = instrumentOpenAI(
    new OpenAI({ apiKey: 'sk-test', baseURL: provider.baseURL, maxRetries: 0 }),
  );
  app = createChatApp({ tracker, openai });
});

afterAll(async () => {
  const summary = await tracker.shutdown();
  expect(summary.pending).toBe(0);
  expect(trackerErrors).toEqual([]);
  await provider.stop();
  await collector.close();
});

const chat = async (path: string, body: Record<string, unknown>) => {
  const response = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    header: response.headers.get('x-conversation-id'),
    body: (await response.json()) as Record<string, unknown>,
  };
};

describe('hono-chat example, end to end through the real collector', () => {
  it('basic /chat: context, human and agent messages with metadata, the llm call with usage', async () => {
    const reply = await chat('/chat', {
      message: 'Hello, how are you?',
      conversation_id: 'web-chat-123',
      customer_id: 'user-456',
    });
    expect(reply).toMatchObject({
      status: 200,
      header: 'web-chat-123',
      body: { response: 'You said: Hello, how are you?', conversation_id: 'web-chat-123' },
    });
    const summary = await tracker.flush();
    expect(summary).toMatchObject({ ok: true, failed: 0 });

    const detail = await collector.read<ConversationDetail>('/v1/conversations/web-chat-123');
    expect(detail.conversation).toMatchObject({ customerId: 'user-456', source: 'api', name: 'Hono Chat' });
    expect(detail.messages.map((message) => [message.role, message.content])).toEqual([
      ['human', 'Hello, how are you?'],
      ['agent', 'You said: Hello, how are you?'],
    ]);
    expect(detail.messages[0]?.metadata).toEqual({ endpoint: '/chat', message_length: 19 });
    expect(detail.steps).toEqual([
      expect.objectContaining({
        type: 'llm',
        usage: expect.objectContaining({ model: 'gpt-4o-mini', inputTokens: 4 }),
      }),
    ]);
  });

  it('tool-using /chat/tools: calculate and weather actions tracked like the seed, in order', async () => {
    const math = await chat('/chat/tools', {
      message: 'What is 127 multiplied by 8?',
      conversation_id: 'tools-1',
      customer_id: 'user-7',
    });
    expect(math.body).toMatchObject({
      response: 'Based on the tools: The result is: 1016',
      tools_used: ['calculate'],
    });
    const weather = await chat('/chat/tools', {
      message: "What's the weather in San Francisco?",
      conversation_id: 'tools-1',
    });
    expect(weather.body).toMatchObject({
      response: 'Based on the tools: Sunny, 68°F',
      tools_used: ['get_current_weather'],
    });
    const fresh = await chat('/chat/tools', { message: 'Hello!' });
    expect(fresh.body.conversation_id).toMatch(/^conv_/);
    await tracker.flush();

    const detail = await collector.read<ConversationDetail>('/v1/conversations/tools-1');
    expect(detail.messages.map((message) => message.role)).toEqual(['human', 'agent', 'human', 'agent']);
    const actions = detail.steps.filter((step) => step.type === 'tool');
    expect(actions.map((step) => [step.name, step.output, step.toolsUsed])).toEqual([
      ['calculate', '1016', ['calculator']],
      ['get_weather', 'Sunny, 68°F', ['weather_api']],
    ]);
    expect(actions[0]?.metadata).toMatchObject({ expression: '127 * 8', result: 1016, status: 'success' });
    expect(detail.totals.llmCalls).toBe(4);
    expect(detail.totals.toolCalls).toBe(2);
  });

  it('answers 400 naming the field for a request without a message', async () => {
    const reply = await chat('/chat', { conversation_id: 'x' });
    expect(reply).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_request', message: expect.stringContaining('message') } },
    });
    expect(() => evaluate('2 +')).toThrow('unsupported expression');
  });
});
