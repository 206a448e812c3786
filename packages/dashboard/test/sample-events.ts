/**
 * Test data in core's wire format: a few conversations a test can name (a weather question with a
 * tool call and positive feedback, an order lookup whose tool failed with negative feedback, a staging
 * conversation), filler conversations to need a second page, and one 10,000-step conversation.
 */
import { type IngestEvent, newId } from '@sightline/core';

const HOUR = 3_600_000;

interface Ctx {
  conversationId: string;
  customerId: string;
  source: string;
  environment?: string;
}

function turn(
  ctx: Ctx,
  at: number,
  question: string,
  tool: { name: string; input: unknown; output?: unknown; error?: string } | null,
  answer: string,
): IngestEvent[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  const runId = newId();
  const events: IngestEvent[] = [
    { id: newId(), type: 'message', timestamp: iso(at), body: { ...ctx, role: 'human', content: question } },
    {
      id: newId(),
      type: 'step',
      timestamp: iso(at + 10),
      body: {
        ...ctx,
        stepId: newId(),
        parentId: runId,
        type: 'llm',
        name: 'plan',
        startedAt: iso(at + 10),
        endedAt: iso(at + 610),
        durationMs: 600,
        usage: { model: 'gpt-4o-mini', provider: 'openai', inputTokens: 420, outputTokens: 60 },
      },
    },
  ];
  let end = at + 620;
  if (tool) {
    events.push({
      id: newId(),
      type: 'step',
      timestamp: iso(end),
      body: {
        ...ctx,
        stepId: newId(),
        parentId: runId,
        type: 'tool',
        name: tool.name,
        startedAt: iso(end),
        endedAt: iso(end + 240),
        durationMs: 240,
        input: tool.input as never,
        ...(tool.error
          ? { error: { message: tool.error, type: 'TimeoutError' } }
          : { output: tool.output as never }),
      },
    });
    end += 250;
  }
  events.push(
    {
      id: newId(),
      type: 'step',
      timestamp: iso(at + 5),
      body: {
        ...ctx,
        stepId: runId,
        type: 'agent',
        name: 'support-agent',
        startedAt: iso(at + 5),
        endedAt: iso(end),
        durationMs: end - at - 5,
      },
    },
    {
      id: newId(),
      type: 'message',
      timestamp: iso(end + 5),
      body: { ...ctx, role: 'agent', content: answer },
    },
  );
  return events;
}

/** The named conversations and filler, ending about an hour before `now`. */
export function sampleEvents(now: number): IngestEvent[] {
  const events: IngestEvent[] = [];
  const weather: Ctx = { conversationId: 'conv-weather', customerId: 'acme', source: 'web' };
  events.push(
    {
      id: newId(),
      type: 'conversation',
      timestamp: new Date(now - 3 * HOUR).toISOString(),
      body: { ...weather, name: 'Weather in Paris', metadata: { plan: 'pro' } },
    },
    ...turn(
      weather,
      now - 3 * HOUR,
      'What is the weather in Paris?',
      { name: 'get_weather', input: { city: 'Paris' }, output: { tempC: 18, sky: 'clear' } },
      'It is 18 °C and clear in Paris.',
    ),
    {
      id: newId(),
      type: 'feedback',
      timestamp: new Date(now - 3 * HOUR + 5000).toISOString(),
      body: { ...weather, source: 'customer', sentiment: 'positive', comment: 'Spot on' },
    },
  );
  const order: Ctx = { conversationId: 'conv-order-fail', customerId: 'globex', source: 'api' };
  events.push(
    {
      id: newId(),
      type: 'conversation',
      timestamp: new Date(now - 2 * HOUR).toISOString(),
      body: { ...order, metadata: { plan: 'enterprise' } },
    },
    ...turn(
      order,
      now - 2 * HOUR,
      'Where is my order 42?',
      { name: 'lookup_order', input: { orderId: 'ORD-42' }, error: 'orders-api timed out after 5000 ms' },
      'Sorry, the order service did not answer.',
    ),
    {
      id: newId(),
      type: 'feedback',
      timestamp: new Date(now - 2 * HOUR + 5000).toISOString(),
      body: { ...order, source: 'customer', sentiment: 'negative', comment: 'Useless' },
    },
  );
  const staging: Ctx = {
    conversationId: 'conv-staging',
    customerId: 'initech',
    source: 'slack',
    environment: 'staging',
  };
  events.push(...turn(staging, now - 90 * 60_000, 'Take a note: buy milk', null, 'Noted.'));
  for (let i = 0; i < 52; i++) {
    const ctx: Ctx = {
      conversationId: `conv-filler-${String(i).padStart(2, '0')}`,
      customerId: ['acme', 'globex', 'initech'][i % 3]!,
      source: 'web',
    };
    events.push(
      ...turn(
        ctx,
        now - 30 * HOUR + i * 20 * 60_000,
        `Filler question number ${i}`,
        null,
        `Filler answer ${i}`,
      ),
    );
  }
  return events;
}

/** One conversation with `steps` tool steps nested under 100 agent runs (for the virtualization test). */
export function bigConversation(now: number, steps: number): IngestEvent[] {
  const ctx = { conversationId: 'conv-big', customerId: 'acme', source: 'api' };
  const start = now - 4 * HOUR;
  const iso = (ms: number) => new Date(ms).toISOString();
  const events: IngestEvent[] = [
    {
      id: newId(),
      type: 'message',
      timestamp: iso(start),
      body: { ...ctx, role: 'human', content: 'Run the big batch job' },
    },
  ];
  const runs = 100;
  const perRun = Math.ceil(steps / runs);
  let at = start + 10;
  for (let r = 0; r < runs; r++) {
    const runId = newId();
    const runStart = at;
    for (let s = 0; s < perRun && r * perRun + s < steps; s++) {
      events.push({
        id: newId(),
        type: 'step',
        timestamp: iso(at),
        body: {
          ...ctx,
          stepId: newId(),
          parentId: runId,
          type: 'tool',
          name: `batch_item_${r * perRun + s}`,
          startedAt: iso(at),
          endedAt: iso(at + 8),
          durationMs: 8,
          input: { item: r * perRun + s },
        },
      });
      at += 10;
    }
    events.push({
      id: newId(),
      type: 'step',
      timestamp: iso(runStart),
      body: {
        ...ctx,
        stepId: runId,
        type: 'agent',
        name: `batch-run-${r}`,
        startedAt: iso(runStart),
        endedAt: iso(at),
        durationMs: at - runStart,
      },
    });
  }
  events.push({
    id: newId(),
    type: 'message',
    timestamp: iso(at + 5),
    body: { ...ctx, role: 'agent', content: 'Batch done.' },
  });
  return events;
}
