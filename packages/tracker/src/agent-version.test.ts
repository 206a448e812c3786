/**
 * The agent version a conversation is tracked under (`ConversationOptions.agentVersion`): set when the
 * conversation is opened or by `update()`, it rides on every later event like the customer, is cut to
 * core's id limits client-side, and is left out when not given (the fake collector parses with core's rules).
 */
import { LIMITS } from '@sightline/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrackerError } from './errors.ts';
import { type FakeCollector, startFakeCollector } from './testing/fake-collector.ts';
import { createTracker, type Tracker } from './tracker.ts';

let collector: FakeCollector;
let errors: TrackerError[];
let trackers: Tracker[];

function make(): Tracker {
  const tracker = createTracker({
    endpoint: collector.url,
    apiKey: 'sl_ingest_test',
    onError: (error) => errors.push(error),
    flushIntervalMs: 50,
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

const versionsOf = (conversationId: string) =>
  collector.eventsOf(conversationId).map((event) => [event.type, event.body.agentVersion]);

describe('agent versions on tracked events', () => {
  it('stamps every event of a conversation opened with an agentVersion', async () => {
    const tracker = make();
    const convo = tracker.conversation('versioned', { agentVersion: 'v1:0123456789ab', name: 'Support' });
    convo.trackHumanMessage('hi');
    const messageId = convo.trackAgentMessage('hello');
    convo.trackAction({ name: 'lookup', type: 'tool' });
    convo.trackGeneration({ model: 'gpt-test', inputTokens: 3, outputTokens: 4 });
    await convo.step({ type: 'agent', name: 'plan' }, () => 'done');
    convo.trackFeedback({ sentiment: 'positive', messageId });
    convo.score({ name: 'thumbs', value: true, messageId });
    const summary = await tracker.flush();
    expect(summary).toMatchObject({ ok: true, failed: 0 });
    expect(versionsOf('versioned')).toEqual([
      ['conversation', 'v1:0123456789ab'],
      ['message', 'v1:0123456789ab'],
      ['message', 'v1:0123456789ab'],
      ['step', 'v1:0123456789ab'],
      ['step', 'v1:0123456789ab'],
      ['step', 'v1:0123456789ab'],
      ['step', 'v1:0123456789ab'],
      ['feedback', 'v1:0123456789ab'],
      ['score', 'v1:0123456789ab'],
    ]);
    expect(errors).toEqual([]);
  });

  it('update({ agentVersion }) sends a conversation event and applies to later events only', async () => {
    const tracker = make();
    const convo = tracker.conversation('switch', { customerId: 'cust-1' });
    convo.trackHumanMessage('before');
    convo.update({ agentVersion: 'v2:aaaaaaaaaaaa' });
    convo.trackAgentMessage('after');
    convo.update({ customerId: 'cust-2' });
    convo.trackAgentMessage('customer changed, version kept');
    await tracker.flush();
    expect(
      collector
        .eventsOf('switch')
        .map((event) => [event.type, event.body.agentVersion, event.body.customerId]),
    ).toEqual([
      ['message', undefined, 'cust-1'],
      ['conversation', 'v2:aaaaaaaaaaaa', 'cust-1'],
      ['message', 'v2:aaaaaaaaaaaa', 'cust-1'],
      ['conversation', 'v2:aaaaaaaaaaaa', 'cust-2'],
      ['message', 'v2:aaaaaaaaaaaa', 'cust-2'],
    ]);
  });

  it('is cut to the id limit and cleaned of control characters instead of having the events refused', async () => {
    const tracker = make();
    const long = tracker.conversation('long', { agentVersion: `v${'x'.repeat(400)}` });
    long.trackHumanMessage('one');
    const control = tracker.conversation('control', { agentVersion: 'v3\u0000:\nabc' });
    control.trackHumanMessage('two');
    const blank = tracker.conversation('blank', { agentVersion: '' });
    blank.trackHumanMessage('three');
    const summary = await tracker.flush();
    expect(summary).toMatchObject({ ok: true, sent: 3, failed: 0 });
    const [longEvent] = collector.eventsOf('long');
    expect(longEvent?.body.agentVersion).toBe(`v${'x'.repeat(LIMITS.maxIdLength - 1)}`);
    expect(versionsOf('control')).toEqual([['message', 'v3:abc']]);
    expect(versionsOf('blank')).toEqual([['message', undefined]]);
    expect(collector.eventsOf('blank')[0]?.body).not.toHaveProperty('agentVersion');
  });

  it('getOrCreateConversation carries it to ambient calls', async () => {
    const tracker = make();
    await new Promise<void>((resolve) => {
      setImmediate(() => {
        tracker.getOrCreateConversation({ conversationId: 'ambient', agentVersion: 'v4:bbbbbbbbbbbb' });
        tracker.trackHumanMessage('hi');
        resolve();
      });
    });
    await tracker.flush();
    expect(versionsOf('ambient')).toEqual([['message', 'v4:bbbbbbbbbbbb']]);
  });
});
