/**
 * A realistic synthetic workload: conversations of turns (human message, an llm call, sometimes a
 * tool call that sometimes fails, the agent's answer), spread over a time range and many customers.
 */
import type { IngestEvent } from '@sightline/core';
import { newId } from '@sightline/core';

export interface WorkloadOptions {
  /** Start of the time range (epoch ms). */
  from: number;
  /** End of the time range (epoch ms). */
  to: number;
  customers: number;
  /** Turns per conversation; each turn is 4 events (5 when the tool call is split in start/end). */
  turns: number;
  seed?: number;
}

const TOOLS = ['get_weather', 'calculate', 'search_docs', 'create_note', 'list_notes', 'lookup_order'];
const MODELS = [
  { model: 'gpt-4o-mini', provider: 'openai' },
  { model: 'gpt-4o', provider: 'openai' },
  { model: 'claude-sonnet-4-5', provider: 'anthropic' },
];
const QUESTIONS = [
  'What is the weather in Paris?',
  'Compute 17 * 23 please',
  'Where is my order 1234?',
  'Take a note: buy milk',
  'How do I reset my password?',
];

/** A deterministic pseudo-random generator (mulberry32), so runs are comparable. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Generates the events of one conversation. */
export function conversationEvents(
  index: number,
  options: WorkloadOptions,
  rand: () => number,
): IngestEvent[] {
  const conversationId = `conv-${index}`;
  const customerId = `customer-${Math.floor(rand() * options.customers)}`;
  const ctx = { conversationId, customerId, source: rand() < 0.7 ? 'web' : 'api', environment: 'production' };
  let at = options.from + Math.floor(rand() * (options.to - options.from));
  const iso = () => new Date(at).toISOString();
  const events: IngestEvent[] = [];
  for (let turn = 0; turn < options.turns; turn++) {
    const question = QUESTIONS[Math.floor(rand() * QUESTIONS.length)] as string;
    events.push({
      id: newId(),
      type: 'message',
      timestamp: iso(),
      body: { ...ctx, role: 'human', content: question },
    });
    at += 50;
    const model = MODELS[Math.floor(rand() * MODELS.length)] as (typeof MODELS)[number];
    const llmMs = 300 + Math.floor(rand() * 2000);
    events.push({
      id: newId(),
      type: 'step',
      timestamp: iso(),
      body: {
        ...ctx,
        stepId: newId(),
        type: 'llm',
        name: model.model,
        startedAt: iso(),
        endedAt: new Date(at + llmMs).toISOString(),
        durationMs: llmMs,
        usage: {
          ...model,
          inputTokens: 200 + Math.floor(rand() * 800),
          outputTokens: 50 + Math.floor(rand() * 300),
        },
      },
    });
    at += llmMs;
    const tool = TOOLS[Math.floor(rand() * TOOLS.length)] as string;
    const toolMs = 20 + Math.floor(rand() * 400);
    const failed = rand() < 0.05;
    events.push({
      id: newId(),
      type: 'step',
      timestamp: iso(),
      body: {
        ...ctx,
        stepId: newId(),
        type: 'tool',
        name: tool,
        startedAt: iso(),
        endedAt: new Date(at + toolMs).toISOString(),
        durationMs: toolMs,
        input: { q: question },
        ...(failed ? { error: { message: 'upstream timeout' } } : { output: { ok: true } }),
      },
    });
    at += toolMs;
    events.push({
      id: newId(),
      type: 'message',
      timestamp: iso(),
      body: { ...ctx, role: 'agent', content: `Here is what I found about: ${question}` },
    });
    at += 5_000 + Math.floor(rand() * 60_000);
  }
  if (rand() < 0.1) {
    events.push({
      id: newId(),
      type: 'feedback',
      timestamp: iso(),
      body: { ...ctx, sentiment: rand() < 0.7 ? 'positive' : 'negative', source: 'customer' },
    });
  }
  return events;
}
