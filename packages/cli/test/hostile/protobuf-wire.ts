/**
 * Protobuf wire encoding by hand (Buffers, linear time), so a test can write OTLP that is wrong in any
 * way: wrong wire types, overlong varints, absurd lengths, invalid UTF-8 in strings.
 */
import type { Prng } from './hostile-values.ts';

export type Bytes = Buffer;

export const cat = (...parts: ReadonlyArray<Uint8Array | readonly number[]>): Bytes =>
  Buffer.concat(parts.map((part) => (part instanceof Uint8Array ? part : Buffer.from(part))));

export function varint(value: bigint | number): Bytes {
  let n = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const byte = Number(n & 0x7fn);
    n >>= 7n;
    out.push(n > 0n ? byte | 0x80 : byte);
  } while (n > 0n);
  return Buffer.from(out);
}

export const tag = (field: number, wire: number): Bytes => varint((field << 3) | wire);
export const lenField = (field: number, bytes: Uint8Array): Bytes =>
  cat(tag(field, 2), varint(bytes.length), bytes);
export const strField = (field: number, text: string): Bytes => lenField(field, wtf8(text));
export const intField = (field: number, value: bigint | number): Bytes => cat(tag(field, 0), varint(value));

export function fixed(field: number, value: bigint, size: 4 | 8): Bytes {
  const out = Buffer.alloc(size);
  if (size === 8) out.writeBigUInt64LE(BigInt.asUintN(64, value));
  else out.writeUInt32LE(Number(BigInt.asUintN(32, value)));
  return cat(tag(field, size === 8 ? 1 : 5), out);
}

/** UTF-8, except that a lone surrogate is written as its 3-byte (invalid) form, as a careless encoder would. */
export function wtf8(text: string): Bytes {
  if (text.isWellFormed()) return Buffer.from(text, 'utf8');
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i) ?? 0;
    if (code > 0xffff) i++;
    if (code >= 0xd800 && code <= 0xdfff)
      out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else out.push(...Buffer.from(String.fromCodePoint(code), 'utf8'));
  }
  return Buffer.from(out);
}

// OTLP trace messages (opentelemetry-proto field numbers).
export const anyString = (text: string): Bytes => strField(1, text);
export const keyValue = (key: string, value: Uint8Array): Bytes =>
  lenField(9, cat(strField(1, key), lenField(2, value)));
export const NS = 1_767_225_600_000_000_000n;

export interface SpanParts {
  name?: string;
  attributes?: Bytes[];
  extra?: Bytes;
  traceId?: Uint8Array;
  spanId?: Uint8Array;
}

/** A GenAI chat span (the Span message's fields), with parts replaceable. */
export function span(prng: Prng, parts: SpanParts = {}): Bytes {
  const attributes = parts.attributes ?? [
    keyValue('gen_ai.operation.name', anyString('chat')),
    keyValue('gen_ai.request.model', anyString('gpt-4o')),
    keyValue('gen_ai.conversation.id', anyString(`otlp-hostile-${prng.int(1_000)}`)),
    keyValue('gen_ai.usage.input_tokens', intField(3, 12)),
    keyValue(
      'gen_ai.input.messages',
      anyString('[{"role":"user","parts":[{"type":"text","content":"hi"}]}]'),
    ),
  ];
  return cat(
    lenField(1, parts.traceId ?? prng.bytes(16)),
    lenField(2, parts.spanId ?? prng.bytes(8)),
    strField(5, parts.name ?? 'chat gpt-4o'),
    intField(6, 3),
    fixed(7, NS, 8),
    fixed(8, NS + 1_000_000n, 8),
    ...attributes,
    lenField(15, cat(strField(2, 'ok'), intField(3, 1))),
    parts.extra ?? [],
  );
}

/** An ExportTraceServiceRequest with one resource and one scope holding `spans`. */
export function traceRequest(spans: Bytes[], resource: Bytes = Buffer.alloc(0)): Bytes {
  const scopeSpans = lenField(
    2,
    cat(lenField(1, strField(1, 'hostile')), ...spans.map((s) => lenField(2, s))),
  );
  return lenField(1, cat(lenField(1, resource), scopeSpans));
}

/** An AnyValue holding an arrayValue `depth` levels deep, built inside out in linear time. */
export function nestedArrays(depth: number): Bytes {
  const leaf = anyString('leaf');
  const prefixes: Bytes[] = [];
  let length = leaf.length;
  for (let i = 0; i < depth; i++) {
    const item = cat(tag(1, 2), varint(length));
    const array = cat(tag(5, 2), varint(length + item.length));
    prefixes.push(item, array);
    length += item.length + array.length;
  }
  return cat(...prefixes.reverse(), leaf);
}
