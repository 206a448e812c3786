/**
 * The hostile value classes the suite throws at every field, a seeded PRNG so a run is reproducible,
 * and JSON text building that can embed what JSON.stringify cannot make: nesting thousands of levels
 * deep, prototype keys as own keys, invalid JSON.
 */

/** A 32-bit seeded PRNG (mulberry32): the same seed gives the same run. */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }

  /** A UUID v4 shape built from this PRNG (so ids are reproducible too). */
  uuid(): string {
    const hex = Array.from(this.bytes(16), (b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

/** JSON text to splice in as is (deep nesting, invalid JSON fragments). */
export class RawJson {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }
}

/** Serializes a value to JSON text, splicing RawJson in; lone surrogates come out as `\udXXX` escapes. */
export function jsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}:${jsonText(item)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** An object holding `key` as an own, enumerable property, even `__proto__`. */
export function withOwnKey(target: object, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...target } as Record<string, unknown>;
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

export interface HostileValue {
  name: string;
  value: unknown;
}

const LONG = 100_000;

/** Hostile strings: the text classes of issue 11 and their neighbours. */
export const HOSTILE_STRINGS: readonly HostileValue[] = [
  { name: 'nul', value: 'a\u0000b' },
  { name: 'only-nul', value: '\u0000' },
  { name: 'lone-high-surrogate', value: 'x\uD800y' },
  { name: 'lone-low-surrogate', value: '\uDC00' },
  { name: 'swapped-surrogates', value: '\uDE00\uD83D' },
  { name: 'bom', value: '\uFEFFvalue' },
  { name: 'only-bom', value: '\uFEFF' },
  { name: 'long-100k', value: 'x'.repeat(LONG) },
  { name: 'long-100k-plus-1', value: 'y'.repeat(LONG + 1) },
  { name: 'long-astral', value: '\u{1F600}'.repeat(LONG / 2) },
  { name: 'long-nul', value: '\u0000'.repeat(LONG) },
  { name: 'empty', value: '' },
  { name: 'whitespace', value: ' \t\r\n ' },
  { name: 'controls', value: '\u0001\u001b[31m\u007f\u0085' },
  { name: 'bidi-zero-width', value: '\u202Eevil\u200B\u2066' },
  { name: 'noncharacters', value: '\uFFFE\uFFFF\u{10FFFF}' },
  { name: 'proto-word', value: '__proto__' },
  { name: 'constructor-word', value: 'constructor' },
  { name: 'dot-dot', value: '..' },
  { name: 'slashes', value: 'a/b\\c/../d' },
  { name: 'percent-text', value: '%zz%%E0%A4%' },
  { name: 'url-delimiters', value: '?a=b&c#d;e' },
  { name: 'sql', value: "'; drop table conversations; --" },
  { name: 'like-wildcards', value: '%_\\%' },
  { name: 'json-text', value: '{"a":[1,{"b":null}]}' },
  { name: 'html', value: '<script>alert(1)</script>' },
  { name: 'number-like', value: '1e309' },
  { name: 'date-like', value: '+275760-09-13T00:00:00.001Z' },
  { name: 'max-date', value: '+275760-09-13T00:00:00.000Z' },
  { name: 'year-zero', value: '0000-01-01T00:00:00.000Z' },
  { name: 'leap-second', value: '2016-12-31T23:59:60Z' },
  { name: 'fts-syntax', value: '"a" AND (b OR NEAR(c d, 2)) NOT e* ^f col:g' },
  { name: 'unbalanced-quote', value: '"abc' },
  { name: 'json-path', value: '$.a[0]."b"' },
];

/** Wrong types where a string belongs, and hostile shapes where an object or array belongs. */
export const WRONG_TYPES: readonly HostileValue[] = [
  { name: 'null', value: null },
  { name: 'true', value: true },
  { name: 'zero', value: 0 },
  { name: 'negative', value: -1 },
  { name: 'fraction', value: 0.5 },
  { name: 'huge-number', value: new RawJson('1e400') },
  { name: 'negative-zero', value: new RawJson('-0') },
  { name: 'big-integer', value: new RawJson('123456789012345678901234567890') },
  { name: 'max-double', value: Number.MAX_VALUE },
  { name: 'large-double', value: 1e308 },
  { name: 'negative-huge', value: -1e308 },
  { name: 'unsafe-integer', value: new RawJson('9007199254740993') },
  { name: 'min-double', value: Number.MIN_VALUE },
  { name: 'empty-object', value: {} },
  { name: 'empty-array', value: [] },
  { name: 'string-array', value: ['a', 'b'] },
  { name: 'object', value: { nested: 'x' } },
  { name: 'huge-array', value: new RawJson(`[${'0,'.repeat(200_000)}0]`) },
  { name: 'many-keys', value: new RawJson(`{${Array.from({ length: 20_000 }, (_, i) => `"k${i}":${i}`)}}`) },
  { name: 'deep-arrays', value: new RawJson(`${'['.repeat(5_000)}${']'.repeat(5_000)}`) },
  { name: 'deep-objects', value: new RawJson(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`) },
  { name: 'very-deep-arrays', value: new RawJson(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) },
  {
    name: 'proto-object',
    value: new RawJson('{"__proto__":{"polluted":true},"constructor":{"prototype":{}}}'),
  },
];

/** Every hostile value for a field. */
export const HOSTILE_VALUES: readonly HostileValue[] = [...HOSTILE_STRINGS, ...WRONG_TYPES];

/** What every field gets: the text classes of issue 11, deep nesting and the common wrong types. */
const CORE = new Set([
  'nul',
  'lone-high-surrogate',
  'lone-low-surrogate',
  'bom',
  'long-100k',
  'empty',
  'null',
  'zero',
  'true',
  'empty-object',
  'string-array',
  'deep-objects',
  'max-double',
  'large-double',
]);

export const CORE_VALUES: readonly HostileValue[] = HOSTILE_VALUES.filter((v) => CORE.has(v.name));
const OTHER_VALUES: readonly HostileValue[] = HOSTILE_VALUES.filter((v) => !CORE.has(v.name));

/** The core values plus `extra` others picked by the PRNG (so each field meets a different few). */
export function valuesFor(prng: Prng, extra: number): HostileValue[] {
  const picked = new Set<HostileValue>();
  while (picked.size < Math.min(extra, OTHER_VALUES.length)) picked.add(prng.pick(OTHER_VALUES));
  return [...CORE_VALUES, ...picked];
}

/** Hostile texts for a path segment or query value, as raw percent-encoded request-line text. */
export interface RawText {
  name: string;
  raw: string;
}

/** UTF-8 percent-encoding that keeps lone surrogates as their (invalid) 3-byte WTF-8 form. */
export function percentEncode(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (/^[A-Za-z0-9\-_.~]$/.test(char)) out += char;
    else if (code >= 0xd800 && code <= 0xdfff)
      out +=
        `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    else
      for (const byte of Buffer.from(char, 'utf8'))
        out += `%${byte.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  return out;
}

/** Hostile request-line texts: every hostile string encoded, plus malformed percent-encoding sent raw. */
export const HOSTILE_RAW_TEXTS: readonly RawText[] = [
  // Long texts are cut to fit Node's 16 KiB header limit, so they reach the routes (over it, Node answers 431).
  ...HOSTILE_STRINGS.map(({ name, value }) => ({
    name,
    raw: percentEncode((value as string).slice(0, 1_000)),
  })),
  { name: 'bare-percent', raw: '%' },
  { name: 'percent-one-digit', raw: 'a%4' },
  { name: 'percent-non-hex', raw: '%zz' },
  { name: 'overlong-utf8', raw: '%C0%AF' },
  { name: 'truncated-utf8', raw: '%E2%82' },
  { name: 'invalid-utf8-byte', raw: '%FF%FE' },
  { name: 'encoded-surrogate-pair-halves', raw: '%ED%A0%BD%ED%B8%80' },
  { name: 'raw-latin1-bytes', raw: '\u00e9\u00ff' },
  { name: 'encoded-slash-dot', raw: '%2E%2E%2F%2E%2E' },
  { name: 'double-encoded', raw: '%2500' },
  { name: 'plus-and-spaces', raw: 'a+b%20c' },
  { name: 'long-raw-12k', raw: 'r'.repeat(12_000) },
  { name: 'over-header-limit', raw: 'h'.repeat(20_000) },
];
