/**
 * Reading protobuf wire format: varints, tags, length-delimited fields and skipping what is not read.
 * Every read is bounds-checked; bytes that are not protobuf are a 400.
 */
import { ServerError } from '../errors.ts';

export interface Wire {
  bytes: Uint8Array;
  pos: number;
}

/** The 400 for bytes that are not an OTLP trace export. */
export const notProtobuf = (): ServerError =>
  new ServerError('invalid_request', 'body: is not an OTLP ExportTraceServiceRequest', {
    issues: [{ path: 'body', message: 'is not valid OTLP protobuf' }],
  });

/**
 * A varint: a number when it fits in 49 bits (every length, tag, enum and most integers), else a
 * bigint of its 64 bits.
 */
export function varint(wire: Wire): number | bigint {
  let value = 0;
  let big: bigint | null = null;
  for (let shift = 0; shift < 70; shift += 7) {
    const byte = wire.bytes[wire.pos++];
    if (byte === undefined) throw notProtobuf();
    if (shift < 49) value += (byte & 0x7f) * 2 ** shift;
    else big = (big ?? BigInt(value)) | (BigInt(byte & 0x7f) << BigInt(shift));
    if (byte < 0x80) return big === null ? value : BigInt.asUintN(64, big);
  }
  throw notProtobuf();
}

/** A varint that must be a length, tag or small number. */
export function smallVarint(wire: Wire): number {
  const value = varint(wire);
  if (typeof value !== 'number') throw notProtobuf();
  return value;
}

/** The end of the length-delimited field starting here (its length read), within `end`. */
export function fieldEnd(wire: Wire, end: number): number {
  const length = smallVarint(wire);
  const fieldEnds = wire.pos + length;
  if (fieldEnds > end) throw notProtobuf();
  return fieldEnds;
}

/** Skips the value of a field of wire type `type` (groups are refused: OTLP has none). */
export function skip(wire: Wire, type: number, end: number): void {
  if (type === 0) varint(wire);
  else if (type === 1) wire.pos += 8;
  else if (type === 5) wire.pos += 4;
  else if (type === 2) wire.pos = fieldEnd(wire, end);
  else throw notProtobuf();
  if (wire.pos > end) throw notProtobuf();
}

/**
 * Reads the fields of one message up to `end`: `read` gets each field number and wire type, and
 * returns false for fields it does not read, which are skipped.
 */
export function readFields(wire: Wire, end: number, read: (field: number, type: number) => boolean): void {
  while (wire.pos < end) {
    const tag = smallVarint(wire);
    if (!read(Math.floor(tag / 8), tag % 8)) skip(wire, tag % 8, end);
  }
  if (wire.pos !== end) throw notProtobuf();
}
