/**
 * Test corpus for the export tests: conversations with every field the event model has (names, metadata,
 * tags, attachments, nested steps, priced, self-priced and unpriced model calls, failing and unfinished
 * steps, feedback with sentiment or score), plus the awkward cases: a step that starts before its
 * conversation's first event, a last activity that left no row (a step's end event), metadata merged past
 * one event's limit, and a conversation over 1,000 events.
 */
import { type IngestEvent, newId } from '@sightline/core';

const HOUR = 3_600_000;
/** Two days ago at a whole hour: inside the range the metrics API allows with hour buckets. */
export const CORPUS_T0 = Math.floor((Date.now() - 2 * 86_400_000) / HOUR) * HOUR;
const iso = (at: number) => new Date(at).toISOString();

type Ctx = Record<string, string>;
const event = (type: IngestEvent['type'], at: number, body: Record<string, unknown>): IngestEvent =>
  ({ id: newId(), type, timestamp: iso(at), body }) as IngestEvent;

/** A finished step event (start and end in one). */
function step(ctx: Ctx, at: number, fields: Record<string, unknown>, durationMs = 40): IngestEvent {
  return event('step', at, {
    ...ctx,
    stepId: newId(),
    startedAt: iso(at),
    endedAt: iso(at + durationMs),
    durationMs,
    ...fields,
  });
}

function rich(at: number): IngestEvent[] {
  const ctx = { conversationId: 'rt-rich', customerId: 'cust-a', source: 'web', environment: 'staging' };
  const human = newId();
  const answer = newId();
  const run = newId();
  const late = newId();
  return [
    event('conversation', at, {
      ...ctx,
      name: 'Weather, "quoted", and, commas',
      device: 'desktop',
      language: 'fr',
      metadata: { plan: 'pro', nested: { a: [1, 2, { b: null }] }, flag: true },
      tags: ['vip', 'eu'],
    }),
    event('message', at + 10, {
      ...ctx,
      messageId: human,
      role: 'human',
      content: 'Quel temps fait-il à Paris ? 😀\nLine two, "quoted"',
      metadata: { locale: 'fr-FR' },
      attachments: [{ name: 'map.png', mimeType: 'image/png', sizeBytes: 1234 }],
    }),
    step(ctx, at + 20, { stepId: run, type: 'run', name: 'weather-agent' }, 3_000),
    step(ctx, at + 30, {
      parentId: run,
      type: 'llm',
      name: 'plan',
      usage: {
        model: 'gpt-4o-mini',
        provider: 'openai',
        inputTokens: 420,
        outputTokens: 37,
        timeToFirstTokenMs: 210,
      },
      metadata: { temperature: 0.2 },
    }),
    step(ctx, at + 100, {
      parentId: run,
      type: 'tool',
      name: 'get_weather',
      input: { city: 'Paris' },
      output: { tempC: 21, sky: 'sunny' },
      toolsUsed: ['http'],
    }),
    step(ctx, at + 200, {
      parentId: run,
      type: 'tool',
      name: 'get.forecast',
      input: 'Paris',
      error: { message: 'upstream timeout', type: 'TimeoutError' },
    }),
    step(ctx, at + 300, {
      parentId: run,
      type: 'llm',
      name: 'answer',
      usage: { model: 'my-own-model', inputTokens: 50, outputTokens: 20, costUsd: 0.0123 },
    }),
    step(ctx, at + 400, {
      parentId: run,
      type: 'llm',
      name: 'unpriced',
      usage: { model: 'mystery-1', inputTokens: 5, outputTokens: 6 },
    }),
    event('step', at + 500, {
      ...ctx,
      stepId: newId(),
      type: 'retrieval',
      name: 'still running',
      startedAt: iso(at + 500),
      input: { q: 'x' },
    }),
    event('message', at + 3_100, {
      ...ctx,
      messageId: answer,
      role: 'agent',
      content: 'Il fait 21 °C et beau.',
    }),
    event('feedback', at + 4_000, {
      ...ctx,
      feedbackId: newId(),
      messageId: answer,
      sentiment: 'positive',
      comment: 'merci',
      metadata: { widget: 'thumbs' },
    }),
    event('feedback', at + 4_100, {
      ...ctx,
      score: { name: 'accuracy', value: 0.8 },
      feedbackSource: 'platform',
    }),
    // A step whose end arrives ten minutes later: the conversation's last activity has no row of its own.
    event('step', at + 5_000, {
      ...ctx,
      stepId: late,
      type: 'action',
      name: 'send_email',
      startedAt: iso(at + 5_000),
      input: { to: 'a@example.com' },
    }),
    event('step', at + 600_000, {
      ...ctx,
      stepId: late,
      type: 'action',
      name: 'send_email',
      endedAt: iso(at + 600_000),
      output: 'sent',
    }),
  ];
}

function earlyStep(at: number): IngestEvent[] {
  const ctx = { conversationId: 'rt-early-step', customerId: 'cust-b', source: 'api' };
  return [
    event('message', at, { ...ctx, role: 'human', content: '=SUM(A1:A9)' }),
    // Started (by its own clock) a minute before the conversation's first event.
    event('step', at + 5, {
      ...ctx,
      stepId: newId(),
      type: 'tool',
      name: 'lookup',
      startedAt: iso(at - 60_000),
      endedAt: iso(at + 5),
      input: { id: 7 },
      output: [1, 2],
    }),
    event('message', at + 50, { ...ctx, role: 'agent', content: 'Done.' }),
  ];
}

function bigMetadata(at: number): IngestEvent[] {
  const ctx = { conversationId: 'rt-big-metadata', customerId: 'cust-a' };
  const half = (prefix: string) =>
    Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`${prefix}${i}`, 'x'.repeat(1_000)]));
  return [
    event('conversation', at, { ...ctx, metadata: half('a') }),
    event('conversation', at + 1, { ...ctx, metadata: half('b') }),
    event('message', at + 2, { ...ctx, role: 'human', content: 'metadata over 16 KiB in all' }),
  ];
}

function blocked(at: number): IngestEvent[] {
  const ctx = { conversationId: 'rt-blocked', customerId: 'cust-c', source: 'web' };
  return [
    event('message', at, { ...ctx, role: 'system', content: 'You are a notes assistant.' }),
    event('message', at + 1, { ...ctx, role: 'human', content: 'Delete all my notes' }),
    event('message', at + 900, {
      ...ctx,
      role: 'agent',
      content: 'Deleted.',
      metadata: { runError: { message: 'Output guardrail triggered' } },
    }),
  ];
}

function noAgent(at: number): IngestEvent[] {
  return [event('message', at, { conversationId: 'rt-no-agent', role: 'human', content: 'anyone there?' })];
}

/** A conversation of `count` messages, human and agent in turn, a second apart. */
export function longConversation(id: string, at: number, count: number): IngestEvent[] {
  const ctx = { conversationId: id, customerId: 'cust-long', source: 'api' };
  return Array.from({ length: count }, (_, i) =>
    event('message', at + i * 1_000, {
      ...ctx,
      role: i % 2 === 0 ? 'human' : 'agent',
      content: `message ${i}`,
    }),
  );
}

/** Simple conversations: a question, a tool call, an answer; every third fails, every fourth gets feedback. */
export function plainConversations(count: number, at: number): IngestEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const ctx = {
      conversationId: `rt-plain-${String(i).padStart(4, '0')}`,
      customerId: `cust-${i % 4}`,
      source: i % 2 ? 'api' : 'web',
    };
    const t = at + i * 61_000;
    const events = [
      event('message', t, {
        ...ctx,
        role: 'human',
        content: i % 5 === 0 ? 'refund please' : `question ${i}`,
      }),
      step(ctx, t + 10, {
        type: 'tool',
        name: 'search',
        input: { i },
        ...(i % 3 === 0 ? { error: { message: 'no index' } } : { output: { hits: i } }),
      }),
      event('message', t + 500, { ...ctx, role: 'agent', content: `answer ${i}` }),
    ];
    if (i % 4 === 0)
      events.push(event('feedback', t + 900, { ...ctx, sentiment: i % 8 === 0 ? 'positive' : 'negative' }));
    return events;
  }).flat();
}

/** The corpus, in batches of at most 1,000 events (as a tracker would send it). */
export function exportCorpus(): IngestEvent[][] {
  const t0 = CORPUS_T0;
  const events = [
    ...rich(t0),
    ...earlyStep(t0 + HOUR),
    ...bigMetadata(t0 + 2 * HOUR),
    ...blocked(t0 + 3 * HOUR),
    ...noAgent(t0 + 4 * HOUR),
    ...plainConversations(30, t0 + 5 * HOUR),
    ...longConversation('rt-long', t0 + 7 * HOUR, 1_100),
  ];
  const batches: IngestEvent[][] = [];
  for (let i = 0; i < events.length; i += 1_000) batches.push(events.slice(i, i + 1_000));
  return batches;
}
