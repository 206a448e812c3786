/**
 * Scores from OTLP span events, in OTLP/JSON and protobuf: the GenAI `gen_ai.evaluation.result` event
 * (name, value, label, explanation) on the span it evaluates, and `sightline.score` events (numeric,
 * boolean, categorical; source, id, a conversation target); a re-sent export is a duplicate; a score
 * the collector cannot take is quoted in the partial success while its span is stored.
 */
import type { StoredScore } from '@sightline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attr, nanos, TRACE_ID } from './otlp/test-payloads.ts';
import { encodeTraceRequest } from './otlp/trace-proto.ts';
import { createFixture, type Fixture } from './test-fixture.ts';

/** AnyValue in OTLP/JSON form: a bool as such (attr() takes strings and numbers). */
const bool = (key: string, value: boolean) => ({ key, value: { boolValue: value } });
const double = (key: string, value: number) => ({ key, value: { doubleValue: value } });

/** A span of conversation `session` with these span events, in OTLP/JSON form. */
function spanWithEvents(
  session: string,
  events: Array<{ name: string; attributes: unknown[] }>,
  traceId = TRACE_ID,
) {
  return {
    traceId,
    spanId: '00000000000000a1',
    name: 'chat gpt-4o',
    startTimeUnixNano: nanos(),
    endTimeUnixNano: nanos(1_000),
    attributes: [attr('session.id', session), attr('gen_ai.operation.name', 'chat')],
    events: events.map((event, index) => ({ timeUnixNano: nanos(2_000 + index), ...event })),
  };
}

const EVALUATIONS = [
  {
    name: 'gen_ai.evaluation.result',
    attributes: [
      attr('gen_ai.evaluation.name', 'relevance'),
      double('gen_ai.evaluation.score.value', 0.8),
      attr('gen_ai.evaluation.score.label', 'relevant'),
      attr('gen_ai.evaluation.explanation', 'answers the question'),
    ],
  },
  {
    name: 'gen_ai.evaluation.result',
    attributes: [attr('gen_ai.evaluation.name', 'verdict'), attr('gen_ai.evaluation.score.label', 'pass')],
  },
  {
    name: 'sightline.score',
    attributes: [
      attr('sightline.score.name', 'resolved'),
      bool('sightline.score.value', true),
      attr('sightline.score.source', 'human'),
      attr('sightline.score.id', 'resolved-1'),
      attr('sightline.score.target', 'conversation'),
      attr('sightline.score.comment', 'customer said thanks'),
    ],
  },
  {
    name: 'sightline.score',
    attributes: [attr('sightline.score.name', 'latency-ok'), attr('sightline.score.value', 1)],
  },
  { name: 'exception', attributes: [attr('exception.message', 'not a score')] },
  { name: 'sightline.score', attributes: [attr('sightline.score.value', 3)] }, // no name: refused
];

/** The same export as protobuf (protobufjs object form: ids as bytes, AnyValues by their oneof name). */
function protobufOf(session: string, traceId: string): Uint8Array {
  const span = spanWithEvents(session, EVALUATIONS, traceId);
  return encodeTraceRequest({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                ...span,
                traceId: Buffer.from(span.traceId, 'hex'),
                spanId: Buffer.from(span.spanId, 'hex'),
              },
            ],
          },
        ],
      },
    ],
  });
}

describe('scores from OTLP span events', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ retention: false });
  });
  afterAll(async () => {
    await f.close();
  });

  const post = (body: unknown) => {
    const protobuf = body instanceof Uint8Array;
    return f.request('/v1/otlp/v1/traces', {
      method: 'POST',
      key: f.ingestKey,
      headers: { 'content-type': protobuf ? 'application/x-protobuf' : 'application/json' },
      body: protobuf ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify(body),
    });
  };
  const scoresOf = async (conversationId: string) => {
    const res = await f.request(`/v1/conversations/${conversationId}`, { key: f.readKey });
    expect(res.status).toBe(200);
    const detail = (await res.json()) as { scores: StoredScore[] };
    return detail.scores.sort((a, b) => a.name.localeCompare(b.name));
  };

  for (const encoding of ['json', 'protobuf'] as const) {
    it(`maps evaluation and score events to scores (${encoding})`, async () => {
      const session = `otlp-scores-${encoding}`;
      const traceId = encoding === 'json' ? TRACE_ID : TRACE_ID.replace(/^0/, 'f');
      const body =
        encoding === 'json'
          ? { resourceSpans: [{ scopeSpans: [{ spans: [spanWithEvents(session, EVALUATIONS, traceId)] }] }] }
          : protobufOf(session, traceId);
      const res = await post(body);
      expect(res.status).toBe(200);
      if (encoding === 'json') {
        const answer = (await res.json()) as {
          partialSuccess?: { errorMessage?: string; rejectedSpans?: number };
        };
        expect(answer.partialSuccess?.rejectedSpans ?? 0).toBe(0);
        expect(answer.partialSuccess?.errorMessage).toContain('name');
      }
      const stepId = `${traceId}-00000000000000a1`;
      const scores = await scoresOf(session);
      expect(scores).toEqual([
        expect.objectContaining({
          name: 'latency-ok',
          value: 1,
          dataType: 'numeric',
          source: 'code',
          stepId,
        }),
        expect.objectContaining({
          name: 'relevance',
          value: 0.8,
          dataType: 'numeric',
          source: 'model',
          comment: 'answers the question',
          metadata: { label: 'relevant' },
          stepId,
        }),
        expect.objectContaining({
          id: 'resolved-1',
          name: 'resolved',
          value: true,
          dataType: 'boolean',
          source: 'human',
          comment: 'customer said thanks',
          stepId: null,
        }),
        expect.objectContaining({
          name: 'verdict',
          value: 'pass',
          dataType: 'categorical',
          source: 'model',
          stepId,
        }),
      ]);
      expect(scores.find((s) => s.name === 'relevance')?.timestamp).toBe(
        new Date(1767225600000 + 2_000).toISOString(),
      );
      const again = await post(body);
      expect(again.status).toBe(200);
      expect(await scoresOf(session)).toEqual(scores);
    });
  }

  it('lists conversations by an OTLP score', async () => {
    const res = await f.request('/v1/conversations?scoreName=relevance&scoreMin=0.5', { key: f.readKey });
    const ids = ((await res.json()) as { data: Array<{ id: string }> }).data.map((c) => c.id).sort();
    expect(ids).toEqual(['otlp-scores-json', 'otlp-scores-protobuf']);
  });
});
