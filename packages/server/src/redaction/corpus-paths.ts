/**
 * Test helpers: sending a seeded corpus with planted secrets through each ingest path (POST
 * /v1/ingest, OTLP/JSON, an in-process tracker posting to the collector app), and reading back every
 * text column of every table with SQL.
 */
import { newId, REDACTION_DETECTORS } from '@sightline/core';
import { createTracker } from '@sightline/tracker';
import type { SightlineApp } from '../app.ts';
import { makeSecret, messageWith, type Secret, seededRandom } from './test-corpus.ts';

interface Turn {
  human: string;
  agent: string;
  tool: { args: string; result: string; error: string };
}

/** A seeded plan: `conversations` x `turns` pairs of messages, each message and tool call with a secret. */
export function planCorpus(seed: number, conversations: number, turns: number) {
  const random = seededRandom(seed);
  let k = 0;
  const next = (): Secret =>
    makeSecret(random, REDACTION_DETECTORS[k++ % REDACTION_DETECTORS.length] ?? 'email');
  return Array.from({ length: conversations }, (_, c) => {
    const secrets: Secret[] = [];
    const take = () => {
      const secret = next();
      secrets.push(secret);
      return secret;
    };
    const name = `Chat about ${take().text}`;
    const contact = take().text;
    const tag = makeSecret(random, 'email');
    secrets.push(tag);
    const plan = {
      id: `corpus-${seed}-${c}`,
      name,
      contact,
      tag: tag.text,
      turns: Array.from(
        { length: turns },
        (): Turn => ({
          human: messageWith(random, take()),
          agent: messageWith(random, take()),
          tool: {
            args: take().text,
            result: `found ${take().text}`,
            error: `lookup failed for ${take().text}`,
          },
        }),
      ),
      feedback: `Agent was helpful, call me back on ${take().text}`,
      secrets,
    };
    return plan;
  });
}

export type CorpusPlan = ReturnType<typeof planCorpus>;

const at = (ms: number) => new Date(1_767_225_600_000 + ms).toISOString();

/** The plan as /v1/ingest events. */
export function ingestEvents(plan: CorpusPlan): unknown[] {
  const events: unknown[] = [];
  plan.forEach((c, ci) => {
    const base = ci * 1_000;
    const context = { conversationId: c.id, customerId: `cust_${ci % 50}` };
    events.push({
      id: newId(),
      type: 'conversation',
      timestamp: at(base),
      body: { ...context, name: c.name, metadata: { contact: c.contact }, tags: [c.tag] },
    });
    c.turns.forEach((turn, ti) => {
      const t = base + ti * 10;
      events.push(
        {
          id: newId(),
          type: 'message',
          timestamp: at(t + 1),
          body: { ...context, role: 'human', content: turn.human },
        },
        {
          id: newId(),
          type: 'step',
          timestamp: at(t + 2),
          body: {
            ...context,
            stepId: `${c.id}-tool-${ti}`,
            type: 'tool',
            name: 'lookup_customer',
            startedAt: at(t + 2),
            endedAt: at(t + 3),
            input: { query: turn.tool.args },
            output: { text: turn.tool.result },
            ...(ti % 2 === 0 ? { error: { message: turn.tool.error } } : {}),
            metadata: { note: turn.tool.result },
          },
        },
        {
          id: newId(),
          type: 'message',
          timestamp: at(t + 4),
          body: { ...context, role: 'agent', content: turn.agent, metadata: { echo: turn.human } },
        },
      );
    });
    events.push({
      id: newId(),
      type: 'feedback',
      timestamp: at(base + 999),
      body: { ...context, sentiment: 'positive', comment: c.feedback, metadata: { said: c.feedback } },
    });
  });
  return events;
}

const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
const nanos = (ms: number) => `${BigInt(1_767_225_600_000 + ms) * 1_000_000n}`;
const text = (role: string, content: string) => ({ role, parts: [{ type: 'text', content }] });

/** The plan as OTLP/JSON exports (one trace per turn: a chat span with messages, a tool span), in chunks. */
export function otlpExports(plan: CorpusPlan, spansPerExport = 500): unknown[] {
  const spans: unknown[] = [];
  let n = 0;
  plan.forEach((c, ci) => {
    c.turns.forEach((turn, ti) => {
      n += 1;
      const traceId = n.toString(16).padStart(32, '0');
      const root = `${n.toString(16).padStart(12, '0')}0001`;
      const start = ci * 1_000 + ti * 10;
      spans.push(
        {
          traceId,
          spanId: root,
          name: 'chat gpt-4o',
          startTimeUnixNano: nanos(start),
          endTimeUnixNano: nanos(start + 5),
          attributes: [
            attr('gen_ai.conversation.id', c.id),
            attr('gen_ai.operation.name', 'chat'),
            attr('gen_ai.request.model', 'gpt-4o'),
            attr('gen_ai.input.messages', JSON.stringify([text('user', turn.human)])),
            attr('gen_ai.output.messages', JSON.stringify([text('assistant', turn.agent)])),
          ],
        },
        {
          traceId,
          spanId: `${n.toString(16).padStart(12, '0')}0002`,
          parentSpanId: root,
          name: 'execute_tool lookup_customer',
          startTimeUnixNano: nanos(start + 1),
          endTimeUnixNano: nanos(start + 2),
          attributes: [
            attr('gen_ai.conversation.id', c.id),
            attr('gen_ai.operation.name', 'execute_tool'),
            attr('gen_ai.tool.name', 'lookup_customer'),
            attr('gen_ai.tool.call.arguments', JSON.stringify({ query: turn.tool.args })),
            attr('gen_ai.tool.call.result', turn.tool.result),
          ],
          ...(ti % 2 === 0 ? { status: { code: 2, message: turn.tool.error } } : {}),
        },
      );
    });
  });
  const exports: unknown[] = [];
  for (let i = 0; i < spans.length; i += spansPerExport)
    exports.push({
      resourceSpans: [
        { resource: { attributes: [] }, scopeSpans: [{ spans: spans.slice(i, i + spansPerExport) }] },
      ],
    });
  return exports;
}

/** Sends the plan through an in-process tracker whose fetch calls the collector app (as `sightline start` does). */
export async function trackInProcess(
  collector: SightlineApp,
  ingestKey: string,
  plan: CorpusPlan,
): Promise<void> {
  const tracker = createTracker({
    apiKey: ingestKey,
    endpoint: 'http://sightline.in-process',
    fetch: async (input, init) => collector.app.request(new Request(input, init)),
    flushIntervalMs: 50,
    maxBufferEvents: 100_000,
    exitHooks: false,
    handleSignals: false,
  });
  plan.forEach((c, ci) => {
    const convo = tracker.conversation(c.id, {
      customerId: `cust_${ci % 50}`,
      name: c.name,
      metadata: { contact: c.contact },
      tags: [c.tag],
    });
    c.turns.forEach((turn, ti) => {
      convo.trackHumanMessage(turn.human);
      convo.trackAction({
        name: 'lookup_customer',
        type: 'tool',
        input: { query: turn.tool.args },
        response: { text: turn.tool.result },
        ...(ti % 2 === 0 ? { error: new Error(turn.tool.error) } : {}),
        metadata: { note: turn.tool.result },
      });
      convo.trackAgentMessage(turn.agent, { metadata: { echo: turn.human } });
    });
    convo.trackFeedback({ sentiment: 'positive', comment: c.feedback, metadata: { said: c.feedback } });
  });
  const summary = await tracker.shutdown({ timeoutMs: 60_000 });
  if (!summary.ok) throw new Error(`the tracker did not deliver everything: ${JSON.stringify(summary)}`);
}
