import { isUuidV7, LIMITS } from '@sightline/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrackerError } from './errors.ts';
import { type FakeCollector, startFakeCollector } from './testing/fake-collector.ts';
import { createTracker, type Tracker } from './tracker.ts';

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
    const question = convo.trackHumanMessage('What is 127 multiplied by 8?', {
      metadata: { endpoint: '/chat' },
    });
    const started = new Date(Date.now() - 40);
    convo.trackAction({
      name: 'calculate',
      startedAt: started,
      endedAt: new Date(started.getTime() + 12),
      toolsUsed: { tool: 'calculator' },
      response: '1016',
      metadata: { expression: '127*8' },
    });
    convo.trackGeneration({
      model: 'gpt-4o-mini',
      provider: 'openai',
      inputTokens: 12,
      outputTokens: 5,
      durationMs: 30,
    });
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
    expect(events.map((event) => event.type)).toEqual([
      'conversation',
      'message',
      'step',
      'step',
      'message',
      'feedback',
    ]);
    for (const event of events) {
      expect(event.body).toMatchObject({
        conversationId: 'web-chat-123',
        customerId: 'user-456',
        environment: 'staging',
      });
      // core's feedback body reuses `source` for who gave the feedback; every other event carries the conversation's.
      expect(event.body.source).toBe(event.type === 'feedback' ? 'customer' : 'api');
    }
    expect(events[0]?.body).toMatchObject({ name: 'FastAPI LangChain Chat', device: 'desktop' });
    expect(events[1]).toMatchObject({
      id: question,
      body: { role: 'human', content: 'What is 127 multiplied by 8?' },
    });
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
    expect(collector.requests.every((request) => request.authorization === 'Bearer sl_ingest_test')).toBe(
      true,
    );
    expect(errors).toEqual([]);
  });
});

describe('conversation updates', () => {
  it('update() sends a conversation event and applies a new customer to later events only', async () => {
    const tracker = make();
    const convo = tracker.conversation('upd', { customerId: 'anon' });
    convo.trackHumanMessage('before login');
    const endedAt = new Date();
    convo.update({ customerId: 'user-1', tags: ['vip'], endedAt });
    convo.trackHumanMessage('after login');
    await tracker.flush();
    const events = collector.eventsOf('upd');
    expect(events.map((event) => [event.type, event.body.customerId])).toEqual([
      ['message', 'anon'],
      ['conversation', 'user-1'],
      ['message', 'user-1'],
    ]);
    expect(events[1]?.body).toMatchObject({ tags: ['vip'], endedAt: endedAt.toISOString() });
  });
});

describe('steps', () => {
  it('times a step, records input/output, nests children through the async context, rethrows errors', async () => {
    const tracker = make();
    const convo = tracker.conversation('thread-1');
    const history = [{ role: 'user', content: "what's the weather in sf" }];
    const failure = new Error('weather API down');
    const result = await convo.step({ type: 'run', name: 'run', input: history }, async (run) => {
      history.push({ role: 'assistant', content: 'calling a tool' });
      const weather = await tracker.step(
        { type: 'tool', name: 'get_current_weather', input: { location: 'sf' } },
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          tracker.trackGeneration({ model: 'gpt-4-turbo', inputTokens: 3, outputTokens: 4 });
          return { temperature: '72' };
        },
      );
      await expect(convo.step({ type: 'tool', name: 'broken' }, () => Promise.reject(failure))).rejects.toBe(
        failure,
      );
      expect(tracker.currentStep()?.id).toBe(run.id);
      return weather.temperature;
    });
    expect(result).toBe('72');
    await tracker.flush();

    const steps = collector.eventsOf('thread-1').filter((event) => event.type === 'step');
    const byName = (name: string) =>
      steps.filter((event) => event.body.name === name).map((event) => event.body);
    const [runStart, runEnd] = byName('run');
    const [toolStart, toolEnd] = byName('get_current_weather');
    const [llm] = byName('gpt-4-turbo');
    const [, brokenEnd] = byName('broken');
    expect(runStart).toMatchObject({
      type: 'run',
      input: [{ role: 'user', content: "what's the weather in sf" }],
    });
    expect(runStart).not.toHaveProperty('parentId');
    expect(runEnd).toMatchObject({ stepId: runStart?.stepId, output: '72' });
    expect(toolStart).toMatchObject({ parentId: runStart?.stepId, input: { location: 'sf' } });
    expect(toolEnd?.durationMs).toBeGreaterThanOrEqual(4);
    expect(toolEnd).toMatchObject({ output: { temperature: '72' } });
    expect(llm).toMatchObject({ type: 'llm', parentId: toolStart?.stepId });
    expect(brokenEnd).toMatchObject({
      parentId: runStart?.stepId,
      error: { message: 'weather API down', type: 'Error' },
    });
  });

  it('supports explicit step lifecycles with caller ids and times, and null parent for a root step', async () => {
    const tracker = make();
    const convo = tracker.conversation('thread-2');
    const startedAt = new Date(Date.now() - 1000);
    const span = convo.startStep({
      type: 'agent',
      name: 'Assistant',
      stepId: 'span_abc',
      startedAt,
      parentId: null,
    });
    const child = tracker.runInStep(span, () => convo.startStep({ type: 'handoff', name: 'to billing' }));
    child.end({ output: 'ok' });
    span.end({ endedAt: new Date(startedAt.getTime() + 250), metadata: { turns: 2 } });
    span.end({ output: 'ignored: second end' });
    await tracker.flush();
    const steps = collector.eventsOf('thread-2').map((event) => event.body);
    expect(steps).toHaveLength(4);
    expect(steps[0]).toMatchObject({ stepId: 'span_abc', startedAt: startedAt.toISOString() });
    expect(steps[1]).toMatchObject({ parentId: 'span_abc', type: 'handoff' });
    expect(steps[3]).toMatchObject({ stepId: 'span_abc', durationMs: 250, metadata: { turns: 2 } });
    expect(steps.some((body) => body.output === 'ignored: second end')).toBe(false);
  });
});

describe('ambient tracking bound to the async context', () => {
  it('keeps concurrent conversations apart without any middleware (getOrCreateConversation per task)', async () => {
    const tracker = make();
    const handle = async (index: number) => {
      tracker.getOrCreateConversation({ conversationId: `c-${index}`, customerId: `u-${index}` });
      tracker.trackHumanMessage(`question ${index}`);
      await new Promise((resolve) => setTimeout(resolve, (index * 7) % 13));
      tracker.trackAction({ name: 'lookup', durationMs: index });
      await new Promise((resolve) => setImmediate(resolve));
      tracker.trackAgentMessage(`answer ${index}`);
    };
    await Promise.all(Array.from({ length: 50 }, (_, index) => handle(index)));
    await tracker.flush();
    for (let index = 0; index < 50; index++) {
      const events = collector.eventsOf(`c-${index}`);
      expect(events.map((event) => event.body.content ?? event.body.name)).toEqual([
        `question ${index}`,
        'lookup',
        `answer ${index}`,
      ]);
      expect(events.every((event) => event.body.customerId === `u-${index}`)).toBe(true);
    }
  });

  it('counts and reports ambient calls made outside any conversation, and returns undefined', async () => {
    const tracker = make();
    const id = await new Promise<string | undefined>((resolve) =>
      setImmediate(() => resolve(tracker.trackHumanMessage('lost?'))),
    );
    expect(id).toBeUndefined();
    expect(tracker.stats().dropped.reasons).toMatchObject({ no_conversation: 1 });
    expect(errors[0]?.message).toMatch(/no conversation in the current async context/);
    await expect(tracker.step({ type: 'tool', name: 'untracked' }, () => 42)).resolves.toBe(42);
  });
});

describe('limits, beforeSend and robustness', () => {
  it('truncates values over core LIMITS client-side so the server accepts every event', async () => {
    const tracker = make();
    const convo = tracker.conversation('limits');
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let level = 0; level < 20; level++) {
      cursor.next = {};
      cursor = cursor.next as Record<string, unknown>;
    }
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    convo.trackHumanMessage('x'.repeat(LIMITS.maxContentLength + 500));
    convo.trackAction({
      name: 'n'.repeat(2000),
      type: 'My Tool!',
      input: { deep, cyclic, count: 10n, big: 'y'.repeat(LIMITS.maxPayloadSize * 2) },
      metadata: { ['__proto__']: 'x', fn: () => 1, blob: 'z'.repeat(LIMITS.maxMetadataSize * 2) },
      error: new Error('e'.repeat(LIMITS.maxErrorLength * 2)),
    });
    const summary = await tracker.flush();
    expect(summary).toMatchObject({ sent: 2, failed: 0 });
    expect(tracker.stats().truncated).toBe(2);
    const [message, action] = collector.eventsOf('limits').map((event) => event.body) as unknown as [
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    expect((message.content as string).length).toBeLessThanOrEqual(LIMITS.maxContentLength);
    expect(message.content).toMatch(/…\[truncated \d+ chars\]$/);
    expect(action).toMatchObject({
      type: 'my_tool_',
      input: { cyclic: { name: 'loop', self: '[circular]' }, count: '10' },
    });
    expect((action.name as string).length).toBe(LIMITS.maxNameLength);
    expect(JSON.stringify(action.input)).toContain('[max depth]');
    expect(JSON.stringify(action.input).length).toBeLessThanOrEqual(LIMITS.maxPayloadSize);
    expect((action.input as { big: string }).big).toMatch(/…\[truncated \d+ chars\]$/);
    expect(action.metadata).toMatchObject({ __proto___: 'x' });
    expect((action.error as { message: string } | undefined)?.message.length).toBeLessThanOrEqual(
      LIMITS.maxErrorLength,
    );
  });

  it('applies beforeSend to a copy: redacts, drops on null, and counts a throwing beforeSend as a drop', async () => {
    const metadata = { email: 'ada@example.com', plan: 'pro' };
    const tracker = make({
      beforeSend: (event) => {
        const body = event.body as Record<string, unknown>;
        if (body.content === 'drop me') return null;
        if (body.content === 'explode') throw new Error('redactor bug');
        if (body.metadata) (body.metadata as Record<string, unknown>).email = '[redacted]';
        return event;
      },
    });
    const convo = tracker.conversation('redact');
    convo.trackHumanMessage('hello', { metadata });
    convo.trackHumanMessage('drop me');
    expect(() => convo.trackHumanMessage('explode')).not.toThrow();
    const summary = await tracker.flush();
    expect(summary).toMatchObject({ sent: 1, dropped: 1 });
    expect(collector.eventsOf('redact').map((event) => event.body.metadata)).toEqual([
      { email: '[redacted]', plan: 'pro' },
    ]);
    expect(metadata.email).toBe('ada@example.com');
    expect(tracker.stats()).toMatchObject({
      filtered: 1,
      dropped: { events: 1, reasons: { before_send_error: 1 } },
    });
    expect(errors.some((error) => /before_send_error/.test(error.message))).toBe(true);
  });

  it('never throws into the caller: broken fetch, throwing onError, bad input', async () => {
    const tracker = createTracker({
      endpoint: 'http://127.0.0.1:9',
      fetch: () => {
        throw new Error('fetch is broken');
      },
      onError: () => {
        throw new Error('onError is broken too');
      },
      retryBaseDelayMs: 5,
      flushIntervalMs: 5,
    });
    trackers.push(tracker);
    const convo = tracker.conversation('robust');
    expect(() => {
      convo.trackHumanMessage(undefined as unknown as string);
      convo.trackAction(null as unknown as { name: string });
      convo.trackGeneration({} as { model: string });
      convo.trackFeedback({});
      convo.trackHumanMessage('ok', { timestamp: 'not a date' as unknown as Date });
      tracker.conversation('bad\u0000id').trackHumanMessage('dropped');
      tracker.conversation(42 as unknown as string);
    }).not.toThrow();
    const summary = await tracker.flush({ timeoutMs: 100 });
    expect(summary).toMatchObject({ timedOut: true });
    expect(tracker.stats().dropped.reasons).toMatchObject({ invalid_input: 4 });
    expect(tracker.stats().retries).toBeGreaterThan(0);
    await tracker.shutdown({ timeoutMs: 10 });
  });

  it('runs flush hooks first in flush and shutdown, so events a producer still holds are sent; a throwing hook is reported', async () => {
    const tracker = make();
    const held: string[] = ['held until the flush'];
    const remove = tracker.addFlushHook(() => {
      for (const text of held.splice(0)) tracker.conversation('hooked').trackHumanMessage(text);
    });
    tracker.addFlushHook(() => {
      throw new Error('hook is broken');
    });
    const summary = await tracker.flush({ timeoutMs: 2000 });
    expect(summary).toMatchObject({ ok: true, timedOut: false });
    const messages = collector.eventsOf('hooked').filter((event) => event.type === 'message');
    expect(messages.map((event) => event.body)).toMatchObject([{ content: 'held until the flush' }]);
    expect(errors.map((error) => error.message)).toContain('a flush hook failed: hook is broken');
    remove();
    held.push('after removal');
    await tracker.shutdown({ timeoutMs: 1000 });
    expect(held).toEqual(['after removal']);
  });

  it('rejected events are counted as failed with the reason, never retried', async () => {
    const tracker = make({
      beforeSend: (event) => {
        delete (event.body as Record<string, unknown>).sentiment;
        return event;
      },
    });
    tracker.conversation('rejects').trackFeedback({ sentiment: 'negative' });
    tracker.conversation('rejects').trackHumanMessage('fine');
    const summary = await tracker.flush();
    expect(summary).toMatchObject({ ok: false, sent: 1, failed: 1 });
    expect(summary.failures[0]).toMatchObject({
      type: 'feedback',
      reason: 'events.0.body.sentiment: needs a sentiment or a score',
    });
    await tracker.flush();
    expect(collector.requests).toHaveLength(1);
    expect(collector.requests[0]?.status).toBe(207);

    tracker.conversation('rejects').trackFeedback({ sentiment: 'positive' });
    const allRejected = await tracker.flush();
    expect(allRejected).toMatchObject({
      sent: 0,
      failed: 1,
      failures: [{ reason: expect.stringContaining('sentiment') }],
    });
    expect(collector.requests[1]?.status).toBe(400);
  });

  it('a refused key fails the batch without retrying, with a message saying what to do', async () => {
    const tracker = make({ apiKey: 'sl_ingest_wrong' });
    tracker.conversation('auth').trackHumanMessage('hi');
    const summary = await tracker.flush();
    expect(summary).toMatchObject({ failed: 1, failures: [{ reason: 'unauthorized' }] });
    expect(errors[0]?.message).toMatch(/SIGHTLINE_API_KEY/);
    expect(tracker.stats().retries).toBe(0);
  });

  it('enabled: false makes every call a no-op that sends nothing', async () => {
    const tracker = make({ enabled: false });
    const convo = tracker.conversation('off');
    expect(typeof convo.trackHumanMessage('hi')).toBe('string');
    await expect(convo.step({ type: 'run', name: 'r' }, () => 1)).resolves.toBe(1);
    await tracker.flush();
    expect(collector.requests).toHaveLength(0);
    expect(tracker.stats()).toMatchObject({ enabled: false, tracked: 0, buffered: 0 });
  });
});
