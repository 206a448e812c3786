/**
 * Per-request limits of OTLP exports (OTLP_LIMITS), in OTLP/JSON and protobuf alike: too many spans
 * or values in all is a 413, one list over its limit a 400, each naming the field and the limit; what
 * a real exporter sends at most (512 spans of 128 attributes) goes in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTLP_LIMITS } from './otlp/otlp-limits.ts';
import { attr, errorOf, jsonExport, jsonSpan, postExport, SPAN_PATH } from './otlp/test-payloads.ts';
import { encodeTraceRequest } from './otlp/trace-proto.ts';
import { createFixture, type Fixture } from './test-fixture.ts';

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
});
afterAll(() => f.close());

/** The same export as protobuf (ids as bytes, as protobufjs wants them). */
function asProtobuf(json: unknown): Uint8Array {
  const withBytes = JSON.parse(JSON.stringify(json), (key, value) =>
    ['traceId', 'spanId', 'parentSpanId'].includes(key) ? Buffer.from(value, 'hex') : value,
  );
  return encodeTraceRequest(withBytes);
}

const values = (count: number) => Array.from({ length: count }, (_, i) => ({ intValue: i % 10 }));
const attributes = (count: number) => Array.from({ length: count }, (_, i) => attr(`a.${i}`, 'v'));
const spans = (count: number) => Array.from({ length: count }, (_, i) => jsonSpan(i + 1));

/** [what, export, status, path, message] */
const CASES: Array<[string, () => unknown, number, string, string]> = [
  [
    `${OTLP_LIMITS.maxSpansPerRequest + 1} spans`,
    () => jsonExport(spans(OTLP_LIMITS.maxSpansPerRequest + 1)),
    413,
    'resourceSpans',
    `must hold at most ${OTLP_LIMITS.maxSpansPerRequest} spans per request`,
  ],
  [
    'spans over the limit across two resourceSpans',
    () => ({
      resourceSpans: [
        jsonExport(spans(OTLP_LIMITS.maxSpansPerRequest / 2 + 1)).resourceSpans[0],
        jsonExport(spans(OTLP_LIMITS.maxSpansPerRequest / 2)).resourceSpans[0],
      ],
    }),
    413,
    'resourceSpans',
    `must hold at most ${OTLP_LIMITS.maxSpansPerRequest} spans per request`,
  ],
  [
    `${OTLP_LIMITS.maxAttributes + 1} span attributes`,
    () => jsonExport([jsonSpan(1, { attributes: attributes(OTLP_LIMITS.maxAttributes + 1) })]),
    400,
    `${SPAN_PATH}.attributes`,
    `must hold at most ${OTLP_LIMITS.maxAttributes} attributes`,
  ],
  [
    `${OTLP_LIMITS.maxAttributes + 1} resource attributes`,
    () => jsonExport([jsonSpan()], { attributes: attributes(OTLP_LIMITS.maxAttributes + 1) }),
    400,
    'resourceSpans.0.resource.attributes',
    `must hold at most ${OTLP_LIMITS.maxAttributes} attributes`,
  ],
  [
    `${OTLP_LIMITS.maxAttributes + 1} event attributes`,
    () =>
      jsonExport([
        jsonSpan(1, { events: [{ name: 'e', attributes: attributes(OTLP_LIMITS.maxAttributes + 1) }] }),
      ]),
    400,
    `${SPAN_PATH}.events.0.attributes`,
    `must hold at most ${OTLP_LIMITS.maxAttributes} attributes`,
  ],
  [
    `${OTLP_LIMITS.maxEventsPerSpan + 1} events`,
    () =>
      jsonExport([
        jsonSpan(1, {
          events: Array.from({ length: OTLP_LIMITS.maxEventsPerSpan + 1 }, () => ({ name: 'e' })),
        }),
      ]),
    400,
    `${SPAN_PATH}.events`,
    `must hold at most ${OTLP_LIMITS.maxEventsPerSpan} events`,
  ],
  [
    'a 300,000-value arrayValue',
    () =>
      jsonExport([jsonSpan(1, { attributes: [attr('big', { arrayValue: { values: values(300_000) } })] })]),
    400,
    `${SPAN_PATH}.attributes.0.value.arrayValue.values`,
    `must hold at most ${OTLP_LIMITS.maxValuesPerList} values`,
  ],
  [
    `a kvlistValue of ${OTLP_LIMITS.maxValuesPerList + 1} entries`,
    () =>
      jsonExport([
        jsonSpan(1, {
          attributes: [
            attr('map', { kvlistValue: { values: attributes(OTLP_LIMITS.maxValuesPerList + 1) } }),
          ],
        }),
      ]),
    400,
    `${SPAN_PATH}.attributes.0.value.kvlistValue.values`,
    `must hold at most ${OTLP_LIMITS.maxValuesPerList} values`,
  ],
  [
    'more values in all than a request may hold, each list within its limit',
    () => {
      const lists = Math.ceil(OTLP_LIMITS.maxValuesPerRequest / OTLP_LIMITS.maxValuesPerList) + 1;
      const big = Array.from({ length: lists }, (_, i) =>
        attr(`list.${i}`, { arrayValue: { values: values(OTLP_LIMITS.maxValuesPerList) } }),
      );
      return jsonExport([jsonSpan(1, { attributes: big })]);
    },
    413,
    'resourceSpans',
    `must hold at most ${OTLP_LIMITS.maxValuesPerRequest} attributes and list values per request`,
  ],
];

describe('OTLP per-request limits', () => {
  for (const [label, build, status, path, message] of CASES) {
    for (const encoding of ['JSON', 'protobuf'] as const) {
      it(`refuses ${label} (${encoding}) with ${status} naming ${path} and the limit`, async () => {
        const json = build();
        const response = await postExport(f, encoding === 'JSON' ? json : asProtobuf(json));
        expect(response.status).toBe(status);
        const { error } = await errorOf(response);
        expect(error.issues?.[0]?.path).toBe(path);
        expect(error.message).toContain(`${path}: ${message}`);
      });
    }
  }

  it('takes what an OpenTelemetry SDK sends at most: 512 spans of 128 attributes, in both encodings', async () => {
    for (const [encoding, conversationId] of [
      ['JSON', 'sdk-max-json'],
      ['protobuf', 'sdk-max-protobuf'],
    ] as const) {
      const batch = Array.from({ length: 512 }, (_, i) =>
        jsonSpan(i + 1, {
          traceId: `${encoding === 'JSON' ? 'a' : 'b'}${'0'.repeat(31)}`,
          attributes: [attr('session.id', conversationId), ...attributes(127)],
        }),
      );
      const json = jsonExport(batch);
      const response = await postExport(f, encoding === 'JSON' ? json : asProtobuf(json));
      expect(response.status).toBe(200);
      const detail = await f.request(`/v1/conversations/${conversationId}`, { key: f.readKey });
      expect(((await detail.json()) as { steps: unknown[] }).steps).toHaveLength(512);
    }
  });
});
