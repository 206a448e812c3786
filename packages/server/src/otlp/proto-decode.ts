/**
 * Decodes a protobuf ExportTraceServiceRequest into plain objects of the OTLP/JSON shape, which the
 * OTLP/JSON walk then checks: ids and bytes as Buffers, 64-bit integers as numbers or decimal
 * strings. Only the fields the collector reads are built; the rest are skipped. Hand-written rather
 * than protobufjs `decode` + `toObject`, which build two objects per value (with a Long for every
 * 64-bit field): for 190,000 values that kept RSS ~145 MB higher after the request, this ~10 MB
 * (memory-probe.ts). Run it after `checkProtobufLimits`, which bounds what it builds.
 */
import type { Obj } from './any-value.ts';
import { fieldEnd, notProtobuf, readFields, varint, type Wire } from './proto-wire.ts';

const utf8 = new TextDecoder('utf-8');
const MESSAGE = 2;

/** The plain-object form of an encoded request. */
export function decodeTraceRequest(bytes: Uint8Array): Obj {
  const wire: Wire = { bytes, pos: 0 };
  const resourceSpans: Obj[] = [];
  readFields(wire, bytes.length, (field, type) => {
    if (field !== 1 || type !== MESSAGE) return false;
    resourceSpans.push(nested(wire, readResourceSpans));
    return true;
  });
  return { resourceSpans };
}

/** Reads the message in the length-delimited field at hand with `read` (which gets its end). */
function nested(wire: Wire, read: (wire: Wire, end: number) => Obj): Obj {
  const end = fieldEnd(wire, wire.bytes.length);
  const out = read(wire, end);
  if (wire.pos !== end) throw notProtobuf();
  return out;
}

function text(wire: Wire): string {
  const end = fieldEnd(wire, wire.bytes.length);
  const value = utf8.decode(wire.bytes.subarray(wire.pos, end));
  wire.pos = end;
  return value;
}

function bytesField(wire: Wire): Uint8Array {
  const end = fieldEnd(wire, wire.bytes.length);
  const value = wire.bytes.subarray(wire.pos, end);
  wire.pos = end;
  return value;
}

function fixed64(wire: Wire): string {
  const { bytes, pos } = wire;
  if (pos + 8 > bytes.length) throw notProtobuf();
  wire.pos += 8;
  const view = new DataView(bytes.buffer, bytes.byteOffset + pos, 8);
  return view.getBigUint64(0, true).toString();
}

function double(wire: Wire): number {
  const { bytes, pos } = wire;
  if (pos + 8 > bytes.length) throw notProtobuf();
  wire.pos += 8;
  return new DataView(bytes.buffer, bytes.byteOffset + pos, 8).getFloat64(0, true);
}

/** An int64: a number when exact, else its decimal string (negative values are ten-byte varints). */
function int64(wire: Wire): number | string {
  const value = varint(wire);
  if (typeof value === 'number') return value;
  const signed = BigInt.asIntN(64, value);
  return Number.isSafeInteger(Number(signed)) ? Number(signed) : signed.toString();
}

/** An int32 (an enum): its low 32 bits, signed. */
function int32(wire: Wire): number {
  const value = varint(wire);
  return typeof value === 'number' ? value | 0 : Number(BigInt.asIntN(32, value));
}

function readResourceSpans(wire: Wire, end: number): Obj {
  const out: Obj = {};
  const scopeSpans: Obj[] = [];
  readFields(wire, end, (field, type) => {
    if (type !== MESSAGE) return false;
    if (field === 1) out.resource = nested(wire, readResource);
    else if (field === 2) scopeSpans.push(nested(wire, readScopeSpans));
    else return false;
    return true;
  });
  return { ...out, scopeSpans };
}

function readResource(wire: Wire, end: number): Obj {
  const attributes: Obj[] = [];
  readFields(wire, end, (field, type) => {
    if (field !== 1 || type !== MESSAGE) return false;
    attributes.push(nested(wire, readKeyValue));
    return true;
  });
  return { attributes };
}

function readScopeSpans(wire: Wire, end: number): Obj {
  const spans: Obj[] = [];
  readFields(wire, end, (field, type) => {
    if (field !== 2 || type !== MESSAGE) return false;
    spans.push(nested(wire, readSpan));
    return true;
  });
  return { spans };
}

/** Span fields by number: what each is called and how it is read. */
const SPAN_FIELDS: Record<number, [name: string, type: number, read: (wire: Wire) => unknown]> = {
  1: ['traceId', MESSAGE, bytesField],
  2: ['spanId', MESSAGE, bytesField],
  4: ['parentSpanId', MESSAGE, bytesField],
  5: ['name', MESSAGE, text],
  6: ['kind', 0, int32],
  7: ['startTimeUnixNano', 1, fixed64],
  8: ['endTimeUnixNano', 1, fixed64],
  15: ['status', MESSAGE, (wire) => nested(wire, readStatus)],
};

function readSpan(wire: Wire, end: number): Obj {
  const out: Obj = {};
  const attributes: Obj[] = [];
  const events: Obj[] = [];
  readFields(wire, end, (field, type) => {
    const known = SPAN_FIELDS[field];
    if (known && known[1] === type) out[known[0]] = known[2](wire);
    else if (field === 9 && type === MESSAGE) attributes.push(nested(wire, readKeyValue));
    else if (field === 11 && type === MESSAGE) events.push(nested(wire, readEvent));
    else return false;
    return true;
  });
  return { ...out, attributes, events };
}

function readEvent(wire: Wire, end: number): Obj {
  const out: Obj = {};
  const attributes: Obj[] = [];
  readFields(wire, end, (field, type) => {
    if (field === 1 && type === 1) out.timeUnixNano = fixed64(wire);
    else if (field === 2 && type === MESSAGE) out.name = text(wire);
    else if (field === 3 && type === MESSAGE) attributes.push(nested(wire, readKeyValue));
    else return false;
    return true;
  });
  return { ...out, attributes };
}

function readStatus(wire: Wire, end: number): Obj {
  const out: Obj = {};
  readFields(wire, end, (field, type) => {
    if (field === 2 && type === MESSAGE) out.message = text(wire);
    else if (field === 3 && type === 0) out.code = int32(wire);
    else return false;
    return true;
  });
  return out;
}

function readKeyValue(wire: Wire, end: number): Obj {
  const out: Obj = {};
  readFields(wire, end, (field, type) => {
    if (field === 1 && type === MESSAGE) out.key = text(wire);
    else if (field === 2 && type === MESSAGE) out.value = nested(wire, readAnyValue);
    else return false;
    return true;
  });
  return { key: '', ...out };
}

/** AnyValue fields by number (a oneof: the last one present wins). */
const ANY_VALUE_FIELDS: Record<number, [name: string, type: number, read: (wire: Wire) => unknown]> = {
  1: ['stringValue', MESSAGE, text],
  2: ['boolValue', 0, (wire) => varint(wire) !== 0],
  3: ['intValue', 0, int64],
  4: ['doubleValue', 1, double],
  5: ['arrayValue', MESSAGE, (wire) => nested(wire, readValues(readAnyValue))],
  6: ['kvlistValue', MESSAGE, (wire) => nested(wire, readValues(readKeyValue))],
  7: ['bytesValue', MESSAGE, bytesField],
};

function readAnyValue(wire: Wire, end: number): Obj {
  let out: Obj = {};
  readFields(wire, end, (field, type) => {
    const known = ANY_VALUE_FIELDS[field];
    if (!known || known[1] !== type) return false;
    out = { [known[0]]: known[2](wire) };
    return true;
  });
  return out;
}

/** An ArrayValue or KeyValueList: `values` (field 1), each read with `item`. */
function readValues(item: (wire: Wire, end: number) => Obj): (wire: Wire, end: number) => Obj {
  return (wire, end) => {
    const values: Obj[] = [];
    readFields(wire, end, (field, type) => {
      if (field !== 1 || type !== MESSAGE) return false;
      values.push(nested(wire, item));
      return true;
    });
    return { values };
  };
}
