/**
 * Mutations shared by every JSON route: each field of a body set to each hostile value (fields found by
 * walking the body, or its JSON schema), required fields removed, prototype keys added, and the body
 * itself broken (invalid JSON and UTF-8, wrong content types, gzip garbage and bombs, over the size limit).
 */
import { gzipSync } from 'node:zlib';
import {
  HOSTILE_VALUES,
  type HostileValue,
  jsonText,
  type Prng,
  RawJson,
  withOwnKey,
} from './hostile-values.ts';
import type { HostileRequest, KeyChoice } from './raw-request.ts';

/** A dotted field path: object keys and array indexes. */
export type FieldPath = ReadonlyArray<string | number>;

/** Every path of a value: objects, arrays and leaves (arrays through their first item). */
export function fieldPaths(value: unknown, prefix: FieldPath = []): FieldPath[] {
  const out: FieldPath[] = [];
  if (Array.isArray(value)) {
    if (value.length > 0) {
      out.push([...prefix, 0]);
      out.push(...fieldPaths(value[0], [...prefix, 0]).slice(1));
    }
  } else if (value !== null && typeof value === 'object' && !(value instanceof RawJson)) {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      out.push(...fieldPaths(item, [...prefix, key]).slice(1));
    }
  }
  return prefix.length === 0 ? out : [prefix, ...out];
}

/** A deep copy with `path` set to `replacement` (created when missing), or removed when it is `REMOVE`. */
export function setPath(value: unknown, path: FieldPath, replacement: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  const container = (
    Array.isArray(value) ? [...value] : value !== null && typeof value === 'object' ? { ...value } : {}
  ) as Record<string | number, unknown>;
  const child = setPath(container[head], rest, replacement);
  if (child === REMOVE) {
    if (Array.isArray(container)) container.splice(Number(head), 1);
    else delete container[head];
  } else {
    container[head] = child;
  }
  return container;
}

export const REMOVE = Symbol('remove');

export function dotted(path: FieldPath): string {
  return path.join('.') || '(root)';
}

/** What a JSON route needs to build its requests. */
export interface JsonRoute {
  method: string;
  /** Request-line path (already encoded). */
  path: string;
  key: KeyChoice;
  headers?: Record<string, string>;
  /** Label prefix for the report. */
  label: string;
}

/** Wraps a JSON body into a request of the route. */
export function jsonRequest(route: JsonRoute, body: unknown, label: string): HostileRequest {
  return {
    label: `${route.label} ${label}`,
    method: route.method,
    path: route.path,
    key: route.key,
    headers: { 'content-type': 'application/json', ...route.headers },
    body: jsonText(body),
  };
}

/** Hostile values for a field: a fixed list, or a new choice for each field. */
export type Values = readonly HostileValue[] | (() => readonly HostileValue[]);

/** Each field of `base` (and each of `extraPaths`) set to each value of `values`, and each removed. */
export function fieldMutations(
  route: JsonRoute,
  base: unknown,
  options: { extraPaths?: FieldPath[]; values?: Values } = {},
): HostileRequest[] {
  const seen = new Set<string>();
  const paths = [...fieldPaths(base), ...(options.extraPaths ?? [])].filter((path) => {
    const key = JSON.stringify(path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return mutatePaths(route, base, paths, options.values ?? HOSTILE_VALUES);
}

/** Each of `paths` set to each of `values`, and each removed. */
export function mutatePaths(
  route: JsonRoute,
  base: unknown,
  paths: readonly FieldPath[],
  values: Values,
): HostileRequest[] {
  const out: HostileRequest[] = [];
  for (const path of paths) {
    for (const { name, value } of typeof values === 'function' ? values() : values)
      out.push(jsonRequest(route, setPath(base, path, value), `${dotted(path)}=${name}`));
    out.push(jsonRequest(route, setPath(base, path, REMOVE), `${dotted(path)} removed`));
  }
  return out;
}

/** Prototype keys at the root and in each object of the body. */
export function prototypeKeyMutations(route: JsonRoute, base: unknown): HostileRequest[] {
  const objectPaths = [[], ...fieldPaths(base)].filter((path) => {
    const at = path.reduce<unknown>((node, part) => (node as Record<string | number, unknown>)?.[part], base);
    return at !== null && typeof at === 'object' && !Array.isArray(at) && !(at instanceof RawJson);
  });
  const out: HostileRequest[] = [];
  for (const path of objectPaths) {
    const at = path.reduce<unknown>((node, part) => (node as Record<string | number, unknown>)[part], base);
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const polluted = withOwnKey(at as object, key, { polluted: true, toString: 'x' });
      out.push(jsonRequest(route, setPath(base, path, polluted), `${dotted(path)}.${key} key`));
    }
  }
  return out;
}

const INVALID_JSON = [
  '{',
  '}',
  '{"a":}',
  '{"a" 1}',
  "{'a':1}",
  '{"a":1,}',
  '[1,2',
  'NaN',
  'undefined',
  '{"a":1}{"b":2}',
  '{"a":"\\ud800"',
  '{"a":"\\u00"}',
  '{"a":"\u0000"}',
  '\u0000',
  '\uFEFF{}',
];

/** The body broken as a whole: invalid JSON and UTF-8, wrong JSON types, encodings and content types. */
export function bodyMutations(route: JsonRoute, base: unknown, prng: Prng): HostileRequest[] {
  const text = jsonText(base);
  const make = (label: string, body: string | Uint8Array, headers: Record<string, string> = {}) => ({
    label: `${route.label} body ${label}`,
    method: route.method,
    path: route.path,
    key: route.key,
    headers: { 'content-type': 'application/json', ...route.headers, ...headers } as Record<string, string>,
    body,
  });
  const out: HostileRequest[] = [];
  for (const garbage of INVALID_JSON) out.push(make(`invalid JSON ${JSON.stringify(garbage)}`, garbage));
  for (let i = 1; i <= 6; i++) {
    const cut = Math.floor((text.length * i) / 7);
    out.push(make(`truncated at ${cut}`, text.slice(0, cut)));
  }
  for (const [label, value] of [
    ['null', 'null'],
    ['array', '[]'],
    ['string', '"x"'],
    ['number', '42'],
    ['array of body', `[${text}]`],
    ['deep arrays', `${'['.repeat(50_000)}${']'.repeat(50_000)}`],
    ['deep objects', `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`],
  ]) {
    out.push(make(`top-level ${label}`, value as string));
  }
  out.push(make('empty', ''));
  out.push(make('whitespace', ' \n\t '));
  out.push(
    make(
      'invalid UTF-8',
      Buffer.concat([Buffer.from(text.slice(0, -1)), Buffer.from([0xff, 0xfe]), Buffer.from('}')]),
    ),
  );
  out.push(make('UTF-8 surrogate bytes', Buffer.from(`{"a":"${'\u00ed\u00a0\u0080'}"}`, 'latin1')));
  out.push(make('UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])));
  out.push(
    make('UTF-16LE', Buffer.from(text, 'utf16le'), { 'content-type': 'application/json; charset=utf-16' }),
  );
  out.push(make('random bytes', prng.bytes(512)));
  out.push(make('over 6 MiB', `{"pad":"${'p'.repeat(6 * 1024 * 1024)}"}`));
  for (const type of [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonx',
    'application/json\u00ff',
    ';;;',
    '',
  ]) {
    out.push(make(`content-type ${JSON.stringify(type)}`, text, { 'content-type': type }));
  }
  const noType = make('no content-type', text);
  delete noType.headers['content-type'];
  out.push(noType);
  out.push(...encodingMutations(make, text, prng));
  return out;
}

type Make = (label: string, body: string | Uint8Array, headers?: Record<string, string>) => HostileRequest;

let bomb: Buffer | undefined;

/** 64 MiB of zeros, gzipped once per process (about 64 KiB). */
function gzipBomb(): Buffer {
  bomb ??= gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
  return bomb;
}

function encodingMutations(make: Make, text: string, prng: Prng): HostileRequest[] {
  const gz = gzipSync(Buffer.from(text));
  return [
    make('gzip valid', gz, { 'content-encoding': 'gzip' }),
    make('gzip garbage', prng.bytes(300), { 'content-encoding': 'gzip' }),
    make('gzip truncated', gz.subarray(0, Math.max(10, gz.length >> 1)), { 'content-encoding': 'gzip' }),
    make('gzip bomb 64 MiB', gzipBomb(), { 'content-encoding': 'gzip' }),
    make('gzip of invalid JSON', gzipSync(Buffer.from('{"a":')), { 'content-encoding': 'gzip' }),
    make('gzip twice declared once', gzipSync(gz), { 'content-encoding': 'gzip' }),
    make('gzip, gzip', gzipSync(gz), { 'content-encoding': 'gzip, gzip' }),
    make('plain text declared gzip', text, { 'content-encoding': 'gzip' }),
    make('br', text, { 'content-encoding': 'br' }),
    make('deflate', text, { 'content-encoding': 'deflate' }),
    make('hostile encoding', text, { 'content-encoding': '\u00ff\u00fe' }),
  ];
}

/** Wrong methods on a path, with a key the path accepts (`read` for the collector's, `chat` for served ones). */
export function methodMutations(
  path: string,
  allowed: readonly string[],
  label: string,
  key: KeyChoice = 'read',
): HostileRequest[] {
  return ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND']
    .filter((method) => !allowed.includes(method))
    .map((method) => ({ label: `${label} method ${method}`, method, path, key }));
}

/** The route's request with each wrong credential. */
export function keyMutations(request: HostileRequest, wrongScope: KeyChoice | null): HostileRequest[] {
  const choices: KeyChoice[] = ['none', 'unknown', 'malformed', 'hostile'];
  if (wrongScope) choices.push(wrongScope);
  const out: HostileRequest[] = choices.map((key) => ({
    ...request,
    label: `${request.label} key=${key}`,
    key,
  }));
  for (const header of ['Basic Zm9vOmJhcg==', `Bearer ${'k'.repeat(10_000)}`, 'Bearer  ', 'Bearer a b c']) {
    out.push({
      ...request,
      label: `${request.label} authorization=${header.slice(0, 20)}`,
      key: 'none',
      headers: { ...request.headers, authorization: header },
    });
  }
  return out;
}
