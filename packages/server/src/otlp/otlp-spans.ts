/**
 * Normalizes OTLP trace payloads — protobuf-decoded or OTLP/JSON — into flat spans with plain
 * attribute values, hex ids and millisecond times.
 */

export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

export interface FlatSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  startMs: number;
  endMs: number;
  attributes: Record<string, AttributeValue>;
  resource: Record<string, AttributeValue>;
  events: Array<{ name: string; timeMs: number; attributes: Record<string, AttributeValue> }>;
  status: { code: number; message: string };
}

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const field = (object: Obj, camel: string, snake: string): unknown => object[camel] ?? object[snake];

/** A trace or span id as lowercase hex: OTLP/JSON sends hex, protobuf sends bytes. */
function hexId(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'string')
    return /^[0-9a-fA-F]*$/.test(value) ? value.toLowerCase() : Buffer.from(value, 'base64').toString('hex');
  return '';
}

/** Nanoseconds (string, number or bigint) to milliseconds. */
function nanosToMs(value: unknown): number {
  if (typeof value === 'string' && value.length > 0) return Number(BigInt(value) / 1_000_000n);
  if (typeof value === 'number') return Math.floor(value / 1_000_000);
  if (typeof value === 'bigint') return Number(value / 1_000_000n);
  return 0;
}

function anyValue(value: unknown): AttributeValue {
  if (!isObj(value)) return null;
  const string = field(value, 'stringValue', 'string_value');
  if (string !== undefined) return String(string);
  const bool = field(value, 'boolValue', 'bool_value');
  if (bool !== undefined) return Boolean(bool);
  const int = field(value, 'intValue', 'int_value');
  if (int !== undefined) return Number(int);
  const double = field(value, 'doubleValue', 'double_value');
  if (double !== undefined) return Number(double);
  const array = field(value, 'arrayValue', 'array_value');
  if (isObj(array)) return list(array.values).map(anyValue);
  const kv = field(value, 'kvlistValue', 'kvlist_value');
  if (isObj(kv)) return attributes(kv.values);
  const bytes = field(value, 'bytesValue', 'bytes_value');
  if (bytes !== undefined) return hexId(bytes);
  return null;
}

function attributes(value: unknown): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const item of list(value)) {
    if (isObj(item) && typeof item.key === 'string' && item.key !== '__proto__')
      out[item.key] = anyValue(item.value);
  }
  return out;
}

/** Flattens `resourceSpans[].scopeSpans[].spans[]` (also accepts the older `instrumentationLibrarySpans`). */
export function flattenSpans(request: unknown): FlatSpan[] {
  const spans: FlatSpan[] = [];
  if (!isObj(request)) return spans;
  for (const resourceSpans of list(field(request, 'resourceSpans', 'resource_spans'))) {
    if (!isObj(resourceSpans)) continue;
    const resource = isObj(resourceSpans.resource) ? attributes(resourceSpans.resource.attributes) : {};
    const scopes = [
      ...list(field(resourceSpans, 'scopeSpans', 'scope_spans')),
      ...list(resourceSpans.instrumentationLibrarySpans),
    ];
    for (const scope of scopes) {
      if (!isObj(scope)) continue;
      for (const span of list(scope.spans)) if (isObj(span)) spans.push(flatten(span, resource));
    }
  }
  return spans;
}

function flatten(span: Obj, resource: Record<string, AttributeValue>): FlatSpan {
  const status = isObj(span.status) ? span.status : {};
  const parent = hexId(field(span, 'parentSpanId', 'parent_span_id'));
  return {
    traceId: hexId(field(span, 'traceId', 'trace_id')),
    spanId: hexId(field(span, 'spanId', 'span_id')),
    parentSpanId: parent === '' ? null : parent,
    name: typeof span.name === 'string' ? span.name : '',
    kind: Number(span.kind ?? 0),
    startMs: nanosToMs(field(span, 'startTimeUnixNano', 'start_time_unix_nano')),
    endMs: nanosToMs(field(span, 'endTimeUnixNano', 'end_time_unix_nano')),
    attributes: attributes(span.attributes),
    resource,
    events: list(span.events).flatMap((event) =>
      isObj(event)
        ? [
            {
              name: String(event.name ?? ''),
              timeMs: nanosToMs(field(event, 'timeUnixNano', 'time_unix_nano')),
              attributes: attributes(event.attributes),
            },
          ]
        : [],
    ),
    status: {
      code:
        typeof status.code === 'string'
          ? status.code === 'STATUS_CODE_ERROR'
            ? 2
            : 0
          : Number(status.code ?? 0),
      message: String(status.message ?? ''),
    },
  };
}
