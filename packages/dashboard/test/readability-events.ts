/**
 * Test data for the reading tests, in core's wire format: a week of support conversations whose
 * tool calls fail about 2% of the time (the error-rate axis must read 0–4%, not 0–400%), plus a few
 * conversations that used to read wrong: one lasting 119.6 s ("1m 60s"), one on a model the
 * collector has no price for, one with a very long name, customer and source (the table must still
 * fit at 1280 px), and one whose steps make a small waterfall.
 */
import { type IngestEvent, newId } from '@sightline/core';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const CUSTOMERS = ['northwind', 'contoso', 'fabrikam', 'globex', 'initech'];
/** Failed tool calls per day, out of 50 calls a day (25 conversations × one model call + one tool call). */
const ERRORS_PER_DAY = [1, 0, 2, 1, 1, 0, 2];
export const PER_DAY = 25;

interface Ctx {
  conversationId: string;
  customerId: string;
  source: string;
  environment?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

function message(ctx: Ctx, at: number, role: 'human' | 'agent', content: string): IngestEvent {
  return { id: newId(), type: 'message', timestamp: iso(at), body: { ...ctx, role, content } };
}

function step(
  ctx: Ctx,
  fields: { stepId?: string; parentId?: string; type: string; name: string; start: number; end: number },
  extra: Record<string, unknown> = {},
): IngestEvent {
  const { stepId, parentId, type, name, start, end } = fields;
  return {
    id: newId(),
    type: 'step',
    timestamp: iso(start),
    body: {
      ...ctx,
      stepId: stepId ?? newId(),
      ...(parentId ? { parentId } : {}),
      type,
      name,
      startedAt: iso(start),
      endedAt: iso(end),
      durationMs: end - start,
      ...extra,
    },
  } as IngestEvent;
}

/** One ordinary turn: question, a model call, a tool call (failed or not), the answer `took` ms later. */
function turn(
  ctx: Ctx,
  at: number,
  options: { failed: boolean; took: number; model?: string },
): IngestEvent[] {
  const usage = {
    model: options.model ?? 'gpt-4o-mini',
    provider: 'openai',
    inputTokens: 520,
    outputTokens: 90,
  };
  const toolStart = at + options.took / 3;
  return [
    message(ctx, at, 'human', `Where is my invoice ${ctx.conversationId.slice(-3)}?`),
    step(ctx, { type: 'llm', name: 'plan', start: at + 20, end: toolStart - 10 }, { usage }),
    step(
      ctx,
      { type: 'tool', name: 'search_kb', start: toolStart, end: at + options.took - 50 },
      options.failed ? { error: { message: 'search backend timed out', type: 'TimeoutError' } } : {},
    ),
    message(ctx, at + options.took, 'agent', options.failed ? 'Sorry, try again later.' : 'Here it is.'),
  ];
}

/** The week of conversations and the special ones, all ending before `now`. */
export function readabilityEvents(now: number): IngestEvent[] {
  const events: IngestEvent[] = [];
  ERRORS_PER_DAY.forEach((errors, day) => {
    const dayStart = now - (7 - day) * DAY + 2 * HOUR;
    for (let i = 0; i < PER_DAY; i++) {
      const ctx = {
        conversationId: `week-${day}-${String(i).padStart(2, '0')}`,
        customerId: CUSTOMERS[(day + i) % CUSTOMERS.length]!,
        source: i % 3 === 0 ? 'api' : 'web',
      };
      const at = dayStart + i * 30 * MINUTE;
      events.push(...turn(ctx, at, { failed: i < errors, took: 1500 + ((i * 733) % 7000) }));
      const sentiment = i % 6 === 0 ? 'positive' : i % 10 === 1 ? 'negative' : null;
      if (sentiment)
        events.push({
          id: newId(),
          type: 'feedback',
          timestamp: iso(at + 10_000),
          body: { ...ctx, source: 'customer', sentiment },
        } as IngestEvent);
    }
  });
  const last = now - 6 * HOUR;
  const twoMinutes = { conversationId: 'conv-two-minutes', customerId: 'northwind', source: 'web' };
  events.push(
    {
      id: newId(),
      type: 'conversation',
      timestamp: iso(last),
      body: { ...twoMinutes, name: 'Two-minute chat' },
    },
    ...turn(twoMinutes, last, { failed: false, took: 119_600 }),
  );
  const unpriced = { conversationId: 'conv-unpriced', customerId: 'contoso', source: 'web' };
  events.push(
    {
      id: newId(),
      type: 'conversation',
      timestamp: iso(last + HOUR),
      body: { ...unpriced, name: 'House model' },
    },
    ...turn(unpriced, last + HOUR, { failed: false, took: 2400, model: 'house-model-7' }),
  );
  const long: Ctx = {
    conversationId: 'conv-long-names',
    customerId: 'customer-with-a-really-long-identifier-0042-emea-enterprise',
    source: 'whatsapp-business-cloud',
    environment: 'staging-eu-west',
  };
  const name = `A very long conversation name that keeps going ${'and going '.repeat(16)}until it ends`;
  events.push(
    { id: newId(), type: 'conversation', timestamp: iso(last + 2 * HOUR), body: { ...long, name } },
    ...turn(long, last + 2 * HOUR, { failed: false, took: 3100 }),
  );
  events.push(...waterfall(last + 3 * HOUR));
  return events;
}

/** A conversation whose steps make a waterfall: an agent over a model call, a failing tool, an answer. */
function waterfall(at: number): IngestEvent[] {
  const ctx = { conversationId: 'conv-timeline', customerId: 'fabrikam', source: 'api' };
  const agent = newId();
  const usage = { model: 'gpt-4o-mini', provider: 'openai', inputTokens: 800, outputTokens: 120 };
  return [
    { id: newId(), type: 'conversation', timestamp: iso(at), body: { ...ctx, name: 'Invoice lookup' } },
    message(ctx, at, 'human', 'Send me invoice 2291 again'),
    step(ctx, { stepId: agent, type: 'agent', name: 'billing-agent', start: at + 5, end: at + 3205 }),
    step(ctx, { parentId: agent, type: 'llm', name: 'plan', start: at + 10, end: at + 1210 }, { usage }),
    step(
      ctx,
      { parentId: agent, type: 'tool', name: 'fetch_invoice', start: at + 1300, end: at + 2900 },
      { error: { message: 'invoices-api answered 503', type: 'HttpError' } },
    ),
    step(ctx, { parentId: agent, type: 'llm', name: 'answer', start: at + 2950, end: at + 3200 }, { usage }),
    message(ctx, at + 3210, 'agent', 'The invoice service is down; I will email it when it is back.'),
  ];
}
