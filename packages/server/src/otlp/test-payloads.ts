/** Test helpers: OTLP export payloads in JSON and hand-encoded protobuf, and posting them. */
import type { Fixture } from '../test-fixture.ts';

export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
export const SPAN_PATH = 'resourceSpans.0.scopeSpans.0.spans.0';

/** Nanoseconds (as OTLP/JSON sends them) `offsetMs` after 2026-01-01. */
export const nanos = (offsetMs = 0): string => `${BigInt(1767225600000 + offsetMs) * 1_000_000n}`;

/** A valid OTLP/JSON span; `n` picks its span id. */
export function jsonSpan(n = 1, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: TRACE_ID,
    spanId: n.toString(16).padStart(16, '0'),
    name: `span ${n}`,
    startTimeUnixNano: nanos(),
    endTimeUnixNano: nanos(1_000),
    attributes: [{ key: 'session.id', value: { stringValue: 'otlp-test' } }],
    ...extra,
  };
}

/** An OTLP/JSON export request of these spans. */
export const jsonExport = (spans: unknown[], resource: unknown = { attributes: [] }) => ({
  resourceSpans: [{ resource, scopeSpans: [{ spans }] }],
});

/** An attribute: a string, int or double as such, anything else taken as the AnyValue itself. */
export const attr = (key: string, value: unknown) =>
  typeof value === 'string'
    ? { key, value: { stringValue: value } }
    : typeof value === 'number'
      ? { key, value: Number.isInteger(value) ? { intValue: value } : { doubleValue: value } }
      : { key, value };

/** POSTs an export (a JSON value, or protobuf bytes) to the OTLP route. */
export function postExport(f: Fixture, body: unknown): Promise<Response> {
  const protobuf = body instanceof Uint8Array;
  return f.request('/v1/otlp/v1/traces', {
    method: 'POST',
    key: f.ingestKey,
    headers: { 'content-type': protobuf ? 'application/x-protobuf' : 'application/json' },
    body: protobuf
      ? (body as Uint8Array<ArrayBuffer>)
      : typeof body === 'string'
        ? body
        : JSON.stringify(body),
  });
}

function varint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}

/** A length-delimited protobuf field (message, bytes or string). */
export function field(number: number, content: Uint8Array | string): Uint8Array {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return Buffer.concat([Buffer.from([...varint(number * 8 + 2), ...varint(bytes.length)]), bytes]);
}

/** A varint protobuf field. */
export const varintField = (number: number, value: number): Uint8Array =>
  Buffer.from([...varint(number * 8), ...varint(value)]);

/** Hand-encoded protobuf: an export of one span (valid ids) with these encoded attributes (KeyValues). */
export function protobufExport(attributes: Uint8Array[], spanFields: Uint8Array[] = []): Uint8Array {
  const span = Buffer.concat([
    field(1, Buffer.from(TRACE_ID, 'hex')),
    field(2, Buffer.alloc(8, 1)),
    field(5, 'span'),
    ...spanFields,
    ...attributes.map((kv) => field(9, kv)),
  ]);
  return field(1, field(2, field(2, span)));
}

/** An AnyValue nested `depth` arrayValues deep around a string (built from the inside out). */
export function deepProtobufValue(depth: number): Uint8Array {
  let value = field(1, 'x'); // AnyValue { string_value }
  for (let i = 0; i < depth; i++) value = field(5, field(1, value)); // AnyValue { array_value { values } }
  return value;
}

/** Reads an error answer. */
export async function errorOf(response: Response) {
  return (await response.json()) as {
    error: { code: string; message: string; issues?: Array<{ path: string; message: string }> };
  };
}
