/**
 * The scalar fields of an OTLP span, checked: trace and span ids (hex in OTLP/JSON, bytes in
 * protobuf, base64 accepted), nanosecond times, kind and status. A wrong value is a 400 naming it.
 */
import { isObj, type Obj } from './any-value.ts';
import { at, invalid, type Path } from './otlp-issues.ts';

const UINT64_MAX = 2n ** 64n - 1n;
const DIGITS = /^\d{1,20}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** An id of `size` bytes as lowercase hex, or '' when absent (`required` makes absence a 400). */
export function readId(value: unknown, path: Path, options: { size: number; required: boolean }): string {
  const { size, required } = options;
  const shape = `must be ${size * 2} hex characters (${size} bytes)`;
  if (
    value === undefined ||
    value === null ||
    value === '' ||
    (value instanceof Uint8Array && !value.length)
  ) {
    if (required) throw invalid(path, `is required; ${shape}`);
    return '';
  }
  if (value instanceof Uint8Array) {
    if (value.length !== size) throw invalid(path, `is ${value.length} bytes; ${shape}`);
    return Buffer.from(value).toString('hex');
  }
  if (typeof value !== 'string') throw invalid(path, shape);
  if (value.length === size * 2 && /^[0-9a-fA-F]+$/.test(value)) return value.toLowerCase();
  const bytes = BASE64.test(value) ? Buffer.from(value, 'base64') : null;
  if (bytes?.length === size) return bytes.toString('hex');
  throw invalid(path, shape);
}

/**
 * Nanoseconds since 1970 (a string of digits or a JSON number, below 2^64; absent is 0) in whole
 * milliseconds. 2^64 ns is in the year 2554, so every accepted time is a valid date.
 */
export function readNanosAsMs(value: unknown, path: Path): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'string' && DIGITS.test(value) && BigInt(value) <= UINT64_MAX)
    return Number(BigInt(value) / 1_000_000n);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 64)
    return Math.floor(value / 1_000_000);
  if (typeof value === 'bigint' && value >= 0n && value <= UINT64_MAX) return Number(value / 1_000_000n);
  throw invalid(
    path,
    'must be nanoseconds since 1970: a non-negative integer below 2^64, as a string of digits or a number',
  );
}

const SPAN_KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/** An OTLP enum: its number or its name; absent is 0. */
function readEnum(value: unknown, path: Path, names: string[]): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < names.length)
    return value;
  if (typeof value === 'string' && names.includes(value)) return names.indexOf(value);
  throw invalid(path, `must be one of 0..${names.length - 1} or ${names.join(', ')}`);
}

/** The span kind (0 unspecified … 5 consumer). */
export const readKind = (value: unknown, path: Path): number => readEnum(value, path, SPAN_KINDS);

/** The span status: code 0 unset, 1 ok, 2 error, and its message. */
export function readStatus(value: unknown, path: Path): { code: number; message: string } {
  if (value === undefined || value === null) return { code: 0, message: '' };
  if (!isObj(value)) throw invalid(path, 'must be an object { code, message }');
  const message = value.message ?? '';
  if (typeof message !== 'string') throw invalid(at(path, 'message'), 'must be a string');
  return { code: readEnum(value.code, at(path, 'code'), STATUS_CODES), message };
}

/** An optional string field (absent is ''). */
export function readString(object: Obj, name: string, path: Path): string {
  const value = object[name];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw invalid(at(path, name), 'must be a string');
  return value;
}
