/**
 * `POST /v1/ingest` with valid event templates of each type (conversation, message, step, feedback), each
 * field of each template set to each hostile value, next to a valid companion message in the same
 * request. Every message sent is recorded, so the run can check afterwards that exactly the accepted
 * ones were stored ("nothing half-written").
 */
import { HOSTILE_VALUES, jsonText, type Prng, valuesFor } from './hostile-values.ts';
import {
  bodyMutations,
  dotted,
  type FieldPath,
  fieldPaths,
  type JsonRoute,
  setPath,
} from './json-mutations.ts';
import type { HostileRequest, KeyChoice } from './raw-request.ts';

/** A message event sent, and where it must (or must not) be stored. */
export interface SentMessage {
  /** Position in the request's events. */
  index: number;
  conversationId: string;
  messageId: string;
}

export interface IngestCase extends HostileRequest {
  messages: SentMessage[];
}

const AT = '2026-01-01T12:00:00.000Z';

/** One valid event of each type in `conversationId`. */
export function eventTemplates(prng: Prng, conversationId: string): Record<string, Record<string, unknown>> {
  const context = {
    conversationId,
    customerId: 'hostile-customer',
    source: 'hostile',
    environment: 'hostile-env',
  };
  return {
    conversation: {
      id: prng.uuid(),
      type: 'conversation',
      timestamp: AT,
      body: {
        ...context,
        name: 'hostile conversation',
        device: 'desktop',
        language: 'en',
        metadata: { plan: 'pro', nested: { level: 1 } },
        tags: ['a', 'b'],
        startedAt: AT,
        endedAt: '2026-01-01T12:05:00.000Z',
      },
    },
    message: {
      id: prng.uuid(),
      type: 'message',
      timestamp: AT,
      body: {
        ...context,
        messageId: prng.uuid(),
        role: 'human',
        content: 'hello from the hostile suite',
        metadata: { channel: 'web' },
        attachments: [
          { name: 'a.png', mimeType: 'image/png', url: 'https://example.com/a.png', sizeBytes: 10 },
        ],
      },
    },
    step: {
      id: prng.uuid(),
      type: 'step',
      timestamp: AT,
      body: {
        ...context,
        stepId: prng.uuid(),
        parentId: prng.uuid(),
        type: 'llm',
        name: 'chat gpt-4o',
        startedAt: AT,
        endedAt: '2026-01-01T12:00:01.000Z',
        durationMs: 1000,
        input: { messages: [{ role: 'user', content: 'hi' }] },
        output: 'hello',
        error: { message: 'boom', type: 'Error', stack: 'Error: boom\n    at x' },
        toolsUsed: ['search'],
        usage: {
          model: 'gpt-4o',
          provider: 'openai',
          inputTokens: 10,
          outputTokens: 5,
          totalTokens: 15,
          costUsd: 0.001,
          timeToFirstTokenMs: 120,
        },
        metadata: { run: 1 },
      },
    },
    feedback: {
      id: prng.uuid(),
      type: 'feedback',
      timestamp: AT,
      body: {
        ...context,
        feedbackId: prng.uuid(),
        messageId: prng.uuid(),
        sentiment: 'positive',
        score: { name: 'helpfulness', value: 0.9 },
        comment: 'great',
        feedbackSource: 'customer',
        metadata: { from: 'thumbs' },
      },
    },
  };
}

function companion(prng: Prng, conversationId: string): Record<string, unknown> {
  const template = eventTemplates(prng, conversationId).message;
  if (!template) throw new Error('no message template');
  return template;
}

/** The message an event stores when it is accepted (its messageId, else its event id). */
function sentMessage(event: unknown, index: number): SentMessage | null {
  if (event === null || typeof event !== 'object') return null;
  const { id, type, body } = event as { id?: unknown; type?: unknown; body?: unknown };
  if (type !== 'message' || body === null || typeof body !== 'object') return null;
  const { conversationId, messageId } = body as { conversationId?: unknown; messageId?: unknown };
  if (typeof conversationId !== 'string') return null;
  const stored = messageId === undefined ? id : messageId;
  return typeof stored === 'string' ? { index, conversationId, messageId: stored } : null;
}

function ingestCase(
  label: string,
  events: unknown[],
  key: KeyChoice = 'ingest',
  extra: object = {},
): IngestCase {
  const messages = events.map(sentMessage).filter((m): m is SentMessage => m !== null);
  return {
    label: `POST /v1/ingest ${label}`,
    method: 'POST',
    path: '/v1/ingest',
    key,
    headers: { 'content-type': 'application/json' },
    body: jsonText({ events, ...extra }),
    messages,
  };
}

/** Each field of each event type set to each hostile value; one conversation per field. */
export function eventFieldCases(prng: Prng, seed: number): IngestCase[] {
  const out: IngestCase[] = [];
  const types = Object.keys(eventTemplates(prng, 'x'));
  for (const type of types) {
    const paths: FieldPath[] = fieldPaths(eventTemplates(prng, 'x')[type]);
    for (const path of paths) {
      const conversationId = `hostile-${seed}-${type}-${dotted(path)}`;
      for (const { name, value } of valuesFor(prng, 4)) {
        const template = eventTemplates(prng, conversationId)[type];
        const mutated = setPath(template, path, value);
        out.push(ingestCase(`${type}.${dotted(path)}=${name}`, [companion(prng, conversationId), mutated]));
      }
    }
  }
  return out;
}

/** The envelope: events and client fields, batch limits, duplicates, keys, and the body as a whole. */
export function envelopeCases(prng: Prng, seed: number): HostileRequest[] {
  const conversationId = `hostile-${seed}-envelope`;
  const valid = () => companion(prng, conversationId);
  const out: HostileRequest[] = [];
  for (const { name, value } of valuesFor(prng, 10)) {
    out.push(ingestCase(`events=${name}`, [], 'ingest', { events: value }));
    out.push(ingestCase(`events.0=${name}`, [value, valid()]));
  }
  const client = {
    sdk: 'hostile',
    version: '1.0.0',
    instanceId: 'i-1',
    dropped: { events: 1, payloadsTruncated: 0, reasons: { full: 1 } },
  };
  for (const path of fieldPaths(client)) {
    for (let i = 0; i < 6; i++) {
      const { name, value } = prng.pick(HOSTILE_VALUES);
      out.push(
        ingestCase(`client.${dotted(path)}=${name}`, [valid()], 'ingest', {
          client: setPath(client, path, value),
        }),
      );
    }
  }
  const repeated = valid();
  out.push(ingestCase('same event twice', [repeated, repeated]));
  out.push(ingestCase('1,000 events', Array.from({ length: 1_000 }, valid)));
  out.push(ingestCase('1,001 events', Array.from({ length: 1_001 }, valid)));
  out.push(
    ingestCase('100,000 nulls', [], 'ingest', { events: Array.from({ length: 100_000 }, () => null) }),
  );
  out.push(ingestCase('unknown type', [{ ...valid(), type: 'hostile' }]));
  out.push(ingestCase('type __proto__', [{ ...valid(), type: '__proto__' }]));
  out.push(ingestCase('type toString', [{ ...valid(), type: 'toString' }]));
  out.push(ingestCase('type constructor', [{ ...valid(), type: 'constructor' }]));
  for (const key of ['read', 'none', 'unknown', 'malformed', 'hostile'] as const)
    out.push(ingestCase(`key=${key}`, [valid()], key));
  out.push(...reuseCases(prng, seed));
  const route: JsonRoute = { method: 'POST', path: '/v1/ingest', key: 'ingest', label: 'POST /v1/ingest' };
  out.push(...bodyMutations(route, { events: [valid()] }, prng));
  return out;
}

/**
 * Ids reused across requests (an event id under each type, one step id under two types and in two
 * conversations) and step trees that are not trees (a step its own parent, two steps each other's).
 */
function reuseCases(prng: Prng, seed: number): IngestCase[] {
  const out: IngestCase[] = [];
  const eventId = prng.uuid();
  const stepId = `hostile-${seed}-reused-step`;
  for (const [i, type] of ['conversation', 'message', 'step', 'feedback'].entries()) {
    const conversationId = `hostile-${seed}-reuse-${i % 2}`;
    const template = eventTemplates(prng, conversationId)[type];
    out.push(ingestCase(`event id reused as ${type}`, [setPath(template, ['id'], eventId)]));
    const step = eventTemplates(prng, conversationId).step;
    const retyped = setPath(
      setPath(step, ['body', 'stepId'], stepId),
      ['body', 'type'],
      i % 2 ? 'tool' : 'llm',
    );
    out.push(ingestCase(`step id reused #${i}`, [retyped]));
  }
  const conversationId = `hostile-${seed}-cycles`;
  const step = (id: string, parentId: string) =>
    setPath(
      setPath(eventTemplates(prng, conversationId).step, ['body', 'stepId'], id),
      ['body', 'parentId'],
      parentId,
    );
  out.push(ingestCase('step its own parent', [step('self', 'self')]));
  out.push(ingestCase("steps each other's parent", [step('a', 'b'), step('b', 'a')]));
  out.push(ingestCase('step parent cycle of 3', [step('x', 'y'), step('y', 'z'), step('z', 'x')]));
  return out;
}
