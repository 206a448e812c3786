import type { ConversationDetail, StoredStep } from '@sightline/core';
import { createTracker, type Tracker } from '@sightline/tracker';
import { instrumentOpenAI } from '@sightline/tracker/openai';
import { type FakeOpenAI, startFakeOpenAI } from '@sightline/tracker/testing';
import type { Hono } from 'hono';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThreadsApp } from './app.ts';
import { type LocalCollector, startLocalCollector } from './local-collector.ts';

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
  app = createThreadsApp({ tracker, openai });
});

afterAll(async () => {
  const summary = await tracker.shutdown();
  expect(summary.pending).toBe(0);
  expect(trackerErrors).toEqual([]);
  await provider.stop();
  await collector.close();
});

async function processTurn(body: unknown) {
  const response = await app.request('/process/', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { message_history: Array<{ role: string; content: string | null }> },
  };
}

describe('literal-style-threads example (seed 003), end to end through the real collector', () => {
  it('runs the seed client: two queries in one thread, steps nested run > llm/tool, messages in order', async () => {
    const threadId = crypto.randomUUID();
    const first = await processTurn({
      message_history: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: "what's the weather in sf" },
      ],
      thread_id: threadId,
    });
    expect(first.status).toBe(200);
    expect(first.body.message_history.at(-1)?.content).toContain('"location":"sf"');
    const second = await processTurn({
      message_history: [
        ...first.body.message_history,
        { role: 'user', content: "what's the weather in paris" },
      ],
      thread_id: threadId,
    });
    expect(second.body.message_history.at(-1)?.content).toContain('"location":"paris"');
    await tracker.flush();

    const detail = await collector.read<ConversationDetail>(`/v1/conversations/${threadId}`);
    expect(detail.conversation.name).toBe('demo_thread');
    expect(detail.messages.map((message) => [message.role, message.content.slice(0, 40)])).toEqual([
      ['human', "what's the weather in sf"],
      ['agent', expect.stringContaining('Based on the tools')],
      ['human', "what's the weather in paris"],
      ['agent', expect.stringContaining('Based on the tools')],
    ]);
    const runs = detail.steps.filter((step) => step.type === 'run');
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      const children = detail.steps.filter((step) => step.parentId === run.id);
      expect(children.map((step: StoredStep) => step.type)).toEqual(['llm', 'tool', 'llm']);
      expect(children[1]).toMatchObject({
        name: 'get_current_weather',
        output: expect.stringContaining('"temperature":"72"'),
      });
      expect(children[0]?.usage).toMatchObject({
        model: 'gpt-4-turbo-preview',
        inputTokens: expect.any(Number),
      });
      expect(run.parentId).toBeNull();
      expect(run.durationMs).toBeGreaterThan(0);
    }
    expect(detail.totals.llmCalls).toBe(4);
  });

  it('answers 400 naming the field for a bad request', async () => {
    const missingThread = await processTurn({ message_history: [{ role: 'user', content: 'hi' }] });
    expect(missingThread.status).toBe(400);
    expect(JSON.stringify(missingThread.body)).toContain('thread_id');
    const badHistory = await processTurn({ message_history: [], thread_id: 't' });
    expect(JSON.stringify(badHistory.body)).toContain('message_history');
  });
});
