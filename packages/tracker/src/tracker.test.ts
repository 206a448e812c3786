import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUuidV7, LIMITS } from '@sightline/core';
import { type FakeCollector, startFakeCollector } from './testing/fake-collector.ts';
import { createTracker, type Tracker } from './tracker.ts';
import type { TrackerError } from './errors.ts';

let collector: FakeCollector;
let errors: TrackerError[];
let trackers: Tracker[];

function make(options: Parameters<typeof createTracker>[0] = {}): Tracker {
  const tracker = createTracker({
    endpoint: collector.url,
    apiKey: 'sl_ingest_test',
    onError: (error) => errors.push(error),
    flushIntervalMs: 50,
    ...options,
  });
  trackers.push(tracker);
  return tracker;
}

beforeEach(async () => {
  collector = await startFakeCollector({ apiKey: 'sl_ingest_test' });
  errors = [];
  trackers = [];
});

afterEach(async () => {
  await Promise.all(trackers.map((tracker) => tracker.shutdown({ timeoutMs: 1000 })));
  await collector.stop();
});

describe('conversation handles', () => {
  it('sends messages, actions, generations and feedback with the conversation context on every event', async () => {
    const tracker = make({ environment: 'staging' });
    const convo = tracker.conversation('web-chat-123', {
      customerId: 'user-456',
      source: 'api',
      device: 'desktop',
      name: 'FastAPI LangChain Chat',
    });
    const question = convo.trackHumanMessage('What is 127 multiplied by 8?', { metadata: { endpoint: '/chat' } });
    const started = new Date(Date.now() - 40);
    convo.trackAction({
      name: 'calculate',
      startedAt: started,
      endedAt: new Date(started.getTime() + 12),
      toolsUsed: { tool: 'calculator' },
      response: '1016',
      metadata: { expression: '127*8' },
    });
    convo.trackGeneration({ model: 'gpt-4o-mini', provider: 'openai', inputTokens: 12, outputTokens: 5, durationMs: 30 });
    const answer = convo.trackAgentMessage('The result is: 1016', { metadata: { response_time_ms: 40 } });
    convo.trackFeedback({ sentiment: 'positive', messageId: answer, comment: 'great' });

    const summary = await tracker.flush();

    expect(summary).toMatchObject({
      ok: true,
      timedOut: false,
      sent: 6,
      failed: 0,
      dropped: 0,
      pending: 0,
      byType: { conversation: 1, message: 2, step: 2, feedback: 1 },
    });
    expect(isUuidV7(question)).toBe(true);
    const events = collector.eventsOf('web-chat-123');
    expect(events.map((event) => event.type)).toEqual(['conversation', 'message', 'step', 'step', 'message', 'feedback']);
    for (const event of events) {
      expect(event.body).toMatchObject({ conversationId: 'web-chat-123', customerId: 'user-456', environment: 'staging' });
      // core's feedback body reuses `source` for who gave the feedback; every other event carries the conversation's.
      expect(event.body.source).toBe(event.type === 'feedback' ? 'customer' : 'api');
    }
    expect(events[0]?.body).toMatchObject({ name: 'FastAPI LangChain Chat', device: 'desktop' });
    expect(events[1]).toMatchObject({ id: question, body: { role: 'human', content: 'What is 127 multiplied by 8?' } });
    expect(events[2]?.body).toMatchObject({
      type: 'action',
      name: 'calculate',
      durationMs: 12,
      toolsUsed: ['calculator'],
      output: '1016',
      startedAt: started.toISOString(),
    });
    expect(events[3]?.body).toMatchObject({
      type: 'llm',
      name: 'gpt-4o-mini',
      usage: { model: 'gpt-4o-mini', provider: 'openai', inputTokens: 12, outputTokens: 5, totalTokens: 17 },
    });
    expect(events[5]?.body).toMatchObject({ sentiment: 'positive', messageId: answer, source: 'customer' });
    expect(collector.requests.every((request) => request.authorization === 'Bearer sl_ingest_test')).toBe(true);
    expect(errors).toEqual([]);
  });
});
