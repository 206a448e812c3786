/**
 * Malformed OTLP exports get a 400 naming the field (never a 5xx): wrong types and out-of-range
 * times in OTLP/JSON, AnyValues nested thousands deep, and protobuf garbage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attr,
  deepProtobufValue,
  errorOf,
  field,
  jsonExport,
  jsonSpan,
  postExport,
  protobufExport,
  SPAN_PATH,
  TRACE_ID,
} from './otlp/test-payloads.ts';
import { encodeTraceRequest } from './otlp/trace-proto.ts';
import { createFixture, type Fixture } from './test-fixture.ts';

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
});
afterAll(() => f.close());

const withSpan = (extra: Record<string, unknown>) => jsonExport([jsonSpan(1, extra)]);
const withValue = (value: unknown) => withSpan({ attributes: [{ key: 'k', value }] });
const VALUE = `${SPAN_PATH}.attributes.0.value`;

/** [what, request body, the path the 400 must name] */
const JSON_CASES: Array<[string, unknown, string]> = [
  ['a time that is not an integer string', withSpan({ startTimeUnixNano: 'abc' }), 'startTimeUnixNano'],
  ['a time in exponent notation', withSpan({ startTimeUnixNano: '1.7e18' }), 'startTimeUnixNano'],
  ['a time past 2^64 ns (and year 9999)', withSpan({ endTimeUnixNano: '9'.repeat(25) }), 'endTimeUnixNano'],
  ['a time of exactly 2^64 ns', withSpan({ startTimeUnixNano: '18446744073709551616' }), 'startTimeUnixNano'],
  ['a time number beyond range', withSpan({ startTimeUnixNano: 1e30 }), 'startTimeUnixNano'],
  ['a negative time', withSpan({ startTimeUnixNano: -1 }), 'startTimeUnixNano'],
  ['a fractional time', withSpan({ endTimeUnixNano: 1.5 }), 'endTimeUnixNano'],
  ['a time as an object', withSpan({ endTimeUnixNano: { low: 1 } }), 'endTimeUnixNano'],
  ['traceId as an object', withSpan({ traceId: { id: TRACE_ID } }), 'traceId'],
  ['traceId as a number', withSpan({ traceId: 12 }), 'traceId'],
  ['traceId too short', withSpan({ traceId: 'abcd' }), 'traceId'],
  ['traceId missing', withSpan({ traceId: undefined }), 'traceId'],
  ['spanId as an array', withSpan({ spanId: [1, 2] }), 'spanId'],
  ['parentSpanId as a number', withSpan({ parentSpanId: 7 }), 'parentSpanId'],
  ['name as a number', withSpan({ name: 5 }), 'name'],
  ['name as an object', withSpan({ name: { text: 'x' } }), 'name'],
  ['kind out of range', withSpan({ kind: 9 }), 'kind'],
  ['kind as an unknown name', withSpan({ kind: 'SPAN_KIND_WHATEVER' }), 'kind'],
  ['status as a string', withSpan({ status: 'error' }), 'status'],
  ['status.code as an object', withSpan({ status: { code: {} } }), 'status.code'],
  ['status.message as a number', withSpan({ status: { code: 2, message: 5 } }), 'status.message'],
  ['attributes not an array', withSpan({ attributes: { k: 'v' } }), 'attributes'],
  ['an attribute that is a number', withSpan({ attributes: [5] }), 'attributes.0'],
  [
    'an attribute without key',
    withSpan({ attributes: [{ value: { stringValue: 'x' } }] }),
    'attributes.0.key',
  ],
  ['an attribute key as a number', withSpan({ attributes: [{ key: 1, value: {} }] }), 'attributes.0.key'],
  ['a value that is a bare string', withValue('x'), 'attributes.0.value'],
  ['stringValue as an object', withValue({ stringValue: { a: 1 } }), 'attributes.0.value.stringValue'],
  ['intValue as text', withValue({ intValue: 'abc' }), 'attributes.0.value.intValue'],
  ['intValue fractional', withValue({ intValue: 1.5 }), 'attributes.0.value.intValue'],
  ['intValue past int64', withValue({ intValue: '99999999999999999999' }), 'attributes.0.value.intValue'],
  ['boolValue as text', withValue({ boolValue: 'true' }), 'attributes.0.value.boolValue'],
  ['doubleValue as an object', withValue({ doubleValue: {} }), 'attributes.0.value.doubleValue'],
  ['bytesValue as a number', withValue({ bytesValue: 5 }), 'attributes.0.value.bytesValue'],
  ['arrayValue as an array', withValue({ arrayValue: [] }), 'attributes.0.value.arrayValue'],
  [
    'arrayValue.values not an array',
    withValue({ arrayValue: { values: {} } }),
    'attributes.0.value.arrayValue.values',
  ],
  [
    'a kvlistValue entry without key',
    withValue({ kvlistValue: { values: [{ value: { stringValue: 'x' } }] } }),
    'attributes.0.value.kvlistValue.values.0.key',
  ],
  ['events not an array', withSpan({ events: { name: 'x' } }), 'events'],
  ['an event that is a string', withSpan({ events: ['x'] }), 'events.0'],
  ['an event name as a number', withSpan({ events: [{ name: 5 }] }), 'events.0.name'],
  [
    'an event time as text',
    withSpan({ events: [{ name: 'e', timeUnixNano: 'now' }] }),
    'events.0.timeUnixNano',
  ],
  ['event attributes as text', withSpan({ events: [{ name: 'e', attributes: 'x' }] }), 'events.0.attributes'],
];

/** Cases whose path is not under the span. */
const ENVELOPE_CASES: Array<[string, unknown, string]> = [
  ['a body that is an array', [], 'body'],
  ['a body that is a number', 5, 'body'],
  ['resourceSpans as an object', { resourceSpans: {} }, 'resourceSpans'],
  ['a resourceSpans entry as a string', { resourceSpans: ['x'] }, 'resourceSpans.0'],
  ['resource as a number', jsonExport([jsonSpan()], 5), 'resourceSpans.0.resource'],
  [
    'resource attributes as an object',
    jsonExport([jsonSpan()], { attributes: {} }),
    'resourceSpans.0.resource.attributes',
  ],
  ['scopeSpans as a string', { resourceSpans: [{ scopeSpans: 'x' }] }, 'resourceSpans.0.scopeSpans'],
  [
    'spans as an object',
    { resourceSpans: [{ scopeSpans: [{ spans: {} }] }] },
    'resourceSpans.0.scopeSpans.0.spans',
  ],
  ['a span that is null', jsonExport([null]), SPAN_PATH],
];

/** An attribute value `depth` arrayValue (or kvlistValue) levels deep, as JSON text (too deep to stringify). */
function deepJson(depth: number, kind: 'arrayValue' | 'kvlistValue'): string {
  const open =
    kind === 'arrayValue' ? '{"arrayValue":{"values":[' : '{"kvlistValue":{"values":[{"key":"k","value":';
  const close = kind === 'arrayValue' ? ']}}' : '}]}}';
  const value = `${open.repeat(depth)}{"stringValue":"x"}${close.repeat(depth)}`;
  return JSON.stringify(withValue('DEEP')).replace('"DEEP"', value);
}

async function expect400(response: Response, path: string) {
  expect(response.status).toBe(400);
  const { error } = await errorOf(response);
  expect(error.code).toBe('invalid_request');
  expect(error.issues?.[0]?.path).toBe(path);
  expect(error.message.startsWith(`${path}: `)).toBe(true);
  return error;
}

describe('OTLP/JSON with fields of the wrong type or out of range', () => {
  for (const [label, body, path] of JSON_CASES) {
    it(`answers 400 naming ${path} for ${label}`, async () => {
      await expect400(await postExport(f, body), `${SPAN_PATH}.${path}`);
    });
  }
  for (const [label, body, path] of ENVELOPE_CASES) {
    it(`answers 400 naming ${path} for ${label}`, async () => {
      await expect400(await postExport(f, body), path);
    });
  }

  it('answers 400 naming the level where an AnyValue nested thousands deep passes the depth limit', async () => {
    const levels = { arrayValue: '.arrayValue.values.0', kvlistValue: '.kvlistValue.values.0.value' };
    for (const kind of ['arrayValue', 'kvlistValue'] as const) {
      const path = `${VALUE}${levels[kind].repeat(32)}.${kind}`;
      const error = await expect400(await postExport(f, deepJson(5_000, kind)), path);
      expect(error.message).toContain('deeper than the limit of 32 levels');
    }
  });

  it('stores nothing from a refused export, and still takes the same export once it is fixed', async () => {
    const good = jsonSpan(9, { attributes: [attr('session.id', 'malformed-then-fixed')] });
    const bad = jsonSpan(10, { startTimeUnixNano: 'soon' });
    expect((await postExport(f, jsonExport([good, bad]))).status).toBe(400);
    const missing = await f.request('/v1/conversations/malformed-then-fixed', { key: f.readKey });
    expect(missing.status).toBe(404);
    expect((await postExport(f, jsonExport([good]))).status).toBe(200);
  });
});

describe('OTLP protobuf garbage', () => {
  it('answers 400 for an AnyValue nested thousands deep (protobuf), naming where it passes the limit', async () => {
    const deep = protobufExport([Buffer.concat([field(1, 'k'), field(2, deepProtobufValue(5_000))])]);
    const error = await expect400(
      await postExport(f, deep),
      `${VALUE}${'.arrayValue.values.0'.repeat(32)}.arrayValue`,
    );
    expect(error.message).toContain('deeper than the limit of 32 levels');
  });

  it('answers 400 for ids of the wrong length and for wire types OTLP does not use', async () => {
    const shortTraceId = field(
      1,
      field(2, field(2, Buffer.concat([field(1, Buffer.alloc(3, 1)), field(2, Buffer.alloc(8, 1))]))),
    );
    await expect400(await postExport(f, shortTraceId), `${SPAN_PATH}.traceId`);
    const group = Buffer.from([0x0b, 0x0c]); // a start-group and an end-group tag
    expect((await postExport(f, group)).status).toBe(400);
    const truncated = protobufExport([Buffer.concat([field(1, 'k'), field(2, field(1, 'v'))])]).subarray(
      0,
      30,
    );
    expect((await postExport(f, truncated)).status).toBe(400);
  });

  it('never answers 5xx for random bytes or a mutated valid export (600 requests)', async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const valid = encodeTraceRequest({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'fuzz' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: Buffer.from(TRACE_ID, 'hex'),
                  spanId: Buffer.alloc(8, 7),
                  name: 'chat',
                  kind: 3,
                  startTimeUnixNano: '1767225600000000000',
                  endTimeUnixNano: '1767225601000000000',
                  attributes: [
                    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                    { key: 'n', value: { intValue: -5 } },
                    {
                      key: 'list',
                      value: { arrayValue: { values: [{ doubleValue: 1.5 }, { boolValue: true }] } },
                    },
                    {
                      key: 'map',
                      value: {
                        kvlistValue: { values: [{ key: 'a', value: { bytesValue: Buffer.from('z') } }] },
                      },
                    },
                  ],
                  events: [{ name: 'gen_ai.choice', timeUnixNano: '1767225600500000000', attributes: [] }],
                  status: { code: 2, message: 'failed' },
                },
              ],
            },
          ],
        },
      ],
    });
    const statuses = new Set<number>();
    for (let i = 0; i < 600; i++) {
      let body: Uint8Array;
      if (i % 2 === 0) {
        body = Buffer.from(
          Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256)),
        );
      } else {
        body = Buffer.from(valid);
        for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--)
          body[Math.floor(random() * body.length)] = Math.floor(random() * 256);
      }
      const response = await postExport(f, body);
      statuses.add(response.status);
      expect(response.status, `request ${i}`).toBeLessThan(500);
    }
    expect([...statuses].every((status) => status === 200 || status === 400)).toBe(true);
  });
});
