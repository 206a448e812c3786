/**
 * OTLP garbage for `POST /v1/otlp/v1/traces`: protobuf built by hand (so it can be wrong in every way:
 * random bytes, truncations, bit flips, wrong wire types, overlong varints, absurd lengths, deep
 * AnyValues, hostile strings as raw bytes) and OTLP JSON with each field of a valid GenAI span set to
 * hostile values (wrong types, non-integer nanos, deep AnyValue).
 */
import { HOSTILE_STRINGS, type HostileValue, type Prng, RawJson, valuesFor } from './hostile-values.ts';
import { fieldMutations, type JsonRoute, mutatePaths } from './json-mutations.ts';
import {
  anyString,
  type Bytes,
  cat,
  fixed,
  intField,
  keyValue,
  lenField,
  NS,
  nestedArrays,
  traceRequest as request,
  type SpanParts,
  span,
  tag,
  varint,
} from './protobuf-wire.ts';
import type { HostileRequest } from './raw-request.ts';

const PATH = '/v1/otlp/v1/traces';

function protoCase(label: string, body: Uint8Array, contentType = 'application/x-protobuf'): HostileRequest {
  return {
    label: `POST ${PATH} protobuf ${label}`,
    method: 'POST',
    path: PATH,
    key: 'ingest',
    headers: { 'content-type': contentType },
    body,
  };
}

/** One span with `parts` changed, in a request of its own. */
const oneSpan = (prng: Prng, parts: SpanParts) => request([span(prng, parts)]);

/** Bytes that are not (or no longer) a valid request: random, truncated, bit-flipped. */
function brokenBytes(prng: Prng, valid: Bytes): Array<[string, Uint8Array]> {
  const out: Array<[string, Uint8Array]> = [['valid', valid]];
  for (const size of [0, 1, 2, 3, 7, 16, 100, 1_000, 10_000, 100_000])
    for (let i = 0; i < 3; i++) out.push([`random ${size} bytes #${i}`, prng.bytes(size)]);
  for (let i = 1; i < 60; i++)
    out.push([`truncated at ${i}/60`, valid.subarray(0, Math.floor((valid.length * i) / 60))]);
  for (let i = 0; i < 60; i++) {
    const flipped = Uint8Array.from(valid);
    const at = prng.int(flipped.length);
    flipped[at] = (flipped[at] ?? 0) ^ (1 << prng.int(8));
    out.push([`bit flip #${i} at ${at}`, flipped]);
  }
  return out;
}

const WIRE_PAYLOADS: Record<number, readonly number[]> = {
  1: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
  2: [3, 1, 2, 3],
  5: [1, 2, 3, 4],
};

/** Fields with the wrong wire type, malformed varints and lengths, odd ids and times. */
function wireGarbage(prng: Prng): Array<[string, Uint8Array]> {
  const out: Array<[string, Uint8Array]> = [];
  for (let field = 1; field <= 16; field++) {
    for (const wire of [0, 1, 2, 3, 4, 5, 6, 7]) {
      const payload = wire === 0 ? varint(2n ** 63n) : (WIRE_PAYLOADS[wire] ?? []);
      out.push([
        `span field ${field} wire type ${wire}`,
        oneSpan(prng, { extra: cat(tag(field, wire), payload) }),
      ]);
    }
  }
  const extras: Array<[string, Bytes]> = [
    ['11-byte varint', cat(tag(6, 0), Array(10).fill(0xff), [0x01])],
    ['length 2^31', cat(tag(5, 2), varint(2 ** 31))],
    ['length 2^64-1', cat(tag(5, 2), varint(-1n))],
    ['field number 0', cat(tag(0, 0), [1])],
    ['field number 2^29-1', cat(tag(2 ** 29 - 1, 0), [1])],
    ['unterminated group', tag(20, 3)],
    ['end group without start', tag(20, 4)],
    ['times 0 and max', cat(fixed(7, 0n, 8), fixed(8, 2n ** 64n - 1n, 8))],
    ['end before start', cat(fixed(7, NS * 2n, 8), fixed(8, 1n, 8))],
  ];
  for (const [label, extra] of extras) out.push([label, oneSpan(prng, { extra })]);
  for (const length of [0, 1, 15, 17, 1_000]) {
    out.push([`trace id of ${length} bytes`, oneSpan(prng, { traceId: prng.bytes(length) })]);
    out.push([`span id of ${length} bytes`, oneSpan(prng, { spanId: prng.bytes(length) })]);
  }
  return out;
}

/** Sizes and depths at and past the limits. */
function sizeGarbage(prng: Prng): Array<[string, Uint8Array]> {
  const out: Array<[string, Uint8Array]> = [];
  for (const depth of [5, 64, 1_000, 20_000]) {
    const attributes = [keyValue('gen_ai.input.messages', nestedArrays(depth))];
    out.push([`arrayValue nested ${depth}`, oneSpan(prng, { attributes })]);
  }
  out.push(['10,001 spans', request(Array.from({ length: 10_001 }, () => span(prng)))]);
  out.push(['10,000 spans (the limit)', request(Array.from({ length: 10_000 }, () => span(prng)))]);
  const many = Array.from({ length: 5_000 }, (_, i) => keyValue(`k${i}`, anyString('v')));
  out.push(['5,000 attributes', oneSpan(prng, { attributes: many })]);
  return out;
}

const GENAI_KEYS = [
  'gen_ai.conversation.id',
  'gen_ai.request.model',
  'gen_ai.input.messages',
  'gen_ai.tool.name',
];

/** Hostile text (as raw bytes: NUL, lone surrogates as invalid UTF-8, 100k characters) in names and attributes. */
function textGarbage(prng: Prng): Array<[string, Uint8Array]> {
  const out: Array<[string, Uint8Array]> = [];
  const chat = keyValue('gen_ai.operation.name', anyString('chat'));
  for (const { name, value } of HOSTILE_STRINGS) {
    const text = value as string;
    out.push([`span name ${name}`, oneSpan(prng, { name: text })]);
    for (const key of GENAI_KEYS)
      out.push([`${key}=${name}`, oneSpan(prng, { attributes: [chat, keyValue(key, anyString(text))] })]);
    out.push([`attribute key ${name}`, oneSpan(prng, { attributes: [keyValue(text, anyString('v'))] })]);
  }
  const wrongValues: Array<[string, Bytes]> = [
    ['int', intField(3, -1)],
    ['int64 max', intField(3, 2n ** 63n - 1n)],
    ['double NaN', cat(tag(4, 1), [0, 0, 0, 0, 0, 0, 0xf8, 0x7f])],
    ['bool', intField(2, 1)],
    ['bytes', lenField(7, prng.bytes(64))],
    ['empty kvlist', lenField(6, Buffer.alloc(0))],
    ['empty AnyValue', Buffer.alloc(0)],
  ];
  for (const key of [
    'gen_ai.conversation.id',
    'gen_ai.usage.input_tokens',
    'gen_ai.input.messages',
    'session.id',
    'user.id',
  ])
    for (const [label, value] of wrongValues)
      out.push([`${key} as ${label}`, oneSpan(prng, { attributes: [keyValue(key, value)] })]);
  return out;
}

/** Protobuf requests that are wrong in every way a decoder can meet. */
export function otlpProtobufCases(prng: Prng): HostileRequest[] {
  const valid = request([span(prng), span(prng)]);
  const bodies = [
    ...brokenBytes(prng, valid),
    ...wireGarbage(prng),
    ...sizeGarbage(prng),
    ...textGarbage(prng),
  ];
  return [
    ...bodies.map(([label, body]) => protoCase(label, body)),
    protoCase('protobuf sent as JSON', valid, 'application/json'),
    protoCase('content-type protobuf with params', valid, 'application/x-protobuf; charset=binary; x=\u00ff'),
  ];
}

const nanos = (ms: number) => `${BigInt(1_767_225_600_000 + ms) * 1_000_000n}`;
const jsonAttr = (key: string, value: unknown) => ({ key, value });

/** A valid OTLP JSON export of one GenAI chat span. */
export function otlpJsonTemplate(prng: Prng): Record<string, unknown> {
  const conversation = `otlp-json-hostile-${prng.int(1_000)}`;
  return {
    resourceSpans: [
      {
        resource: { attributes: [jsonAttr('service.name', { stringValue: 'hostile' })] },
        scopeSpans: [
          {
            scope: { name: 'hostile', version: '1' },
            spans: [
              {
                traceId: '5b8efff798038103d269b633813fc60c',
                spanId: 'eee19b7ec3c1b174',
                parentSpanId: 'eee19b7ec3c1b173',
                name: 'chat gpt-4o',
                kind: 3,
                startTimeUnixNano: nanos(0),
                endTimeUnixNano: nanos(1_000),
                attributes: [
                  jsonAttr('gen_ai.operation.name', { stringValue: 'chat' }),
                  jsonAttr('gen_ai.conversation.id', { stringValue: conversation }),
                  jsonAttr('gen_ai.usage.input_tokens', { intValue: '12' }),
                  jsonAttr('gen_ai.usage.output_tokens', { intValue: 3 }),
                  jsonAttr('gen_ai.request.temperature', { doubleValue: 0.5 }),
                  jsonAttr('gen_ai.input.messages', {
                    stringValue: '[{"role":"user","parts":[{"type":"text","content":"hi"}]}]',
                  }),
                  jsonAttr('tags', { arrayValue: { values: [{ stringValue: 'a' }, { boolValue: true }] } }),
                  jsonAttr('meta', { kvlistValue: { values: [jsonAttr('k', { bytesValue: 'aGk=' })] } }),
                ],
                events: [
                  {
                    timeUnixNano: nanos(500),
                    name: 'gen_ai.user.message',
                    attributes: [jsonAttr('content', { stringValue: 'hi' })],
                  },
                ],
                status: { code: 1, message: '' },
              },
            ],
          },
        ],
      },
    ],
  };
}

function deepAnyValue(depth: number): RawJson {
  return new RawJson(`${'{"arrayValue":{"values":['.repeat(depth)}{"stringValue":"x"}${']}}'.repeat(depth)}`);
}

const NANOS_VALUES: readonly HostileValue[] = [
  { name: 'fraction', value: '1.5' },
  { name: 'exponent', value: '1e30' },
  { name: 'negative', value: '-1' },
  { name: 'over uint64', value: '18446744073709551616' },
  { name: 'hex', value: '0x10' },
  { name: 'number fraction', value: 1.5 },
  { name: 'number huge', value: 1.7e308 },
  { name: 'number unsafe', value: new RawJson('1767225600000000001') },
];

/** OTLP JSON: each field of the template set to hostile values, deep AnyValues, non-integer nanos. */
export function otlpJsonCases(prng: Prng): HostileRequest[] {
  const route: JsonRoute = { method: 'POST', path: PATH, key: 'ingest', label: `POST ${PATH} json` };
  const template = otlpJsonTemplate(prng);
  const out = fieldMutations(route, template, { values: () => valuesFor(prng, 2) });
  const spanPath = ['resourceSpans', 0, 'scopeSpans', 0, 'spans', 0];
  const nanoPaths = [
    [...spanPath, 'startTimeUnixNano'],
    [...spanPath, 'endTimeUnixNano'],
    [...spanPath, 'events', 0, 'timeUnixNano'],
  ];
  const valuePaths = [
    [...spanPath, 'attributes', 0, 'value'],
    [...spanPath, 'attributes', 2, 'value'],
    [...spanPath, 'attributes', 5, 'value'],
  ];
  const anyValues: HostileValue[] = [
    { name: 'deep 100', value: deepAnyValue(100) },
    { name: 'deep 10000', value: deepAnyValue(10_000) },
    { name: 'intValue text', value: { intValue: 'abc' } },
    { name: 'intValue fraction', value: { intValue: 1.5 } },
    { name: 'doubleValue text', value: { doubleValue: 'NaN' } },
    { name: 'boolValue text', value: { boolValue: 'true' } },
    { name: 'bytesValue not base64', value: { bytesValue: '%%%' } },
    { name: 'two oneofs', value: { stringValue: 'a', intValue: '1' } },
    { name: 'arrayValue values object', value: { arrayValue: { values: { a: 1 } } } },
    {
      name: 'kvlist 100k values',
      value: new RawJson(`{"kvlistValue":{"values":[${Array(100_000).fill('{"key":"k"}').join(',')}]}}`),
    },
  ];
  out.push(...mutatePaths(route, template, nanoPaths, NANOS_VALUES));
  out.push(...mutatePaths(route, template, valuePaths, anyValues));
  return out;
}
