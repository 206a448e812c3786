/**
 * Families of bad requests, generated from lists of variations (auth headers, names, ids, content types,
 * malformed JSON, wrong field values, oversize and deep bodies, `__proto__` keys), so each route of
 * `serveAgents` is tried with a hundred different mistakes and every one must be a clear 4xx.
 */
import { bearerUser } from './fixtures.ts';

/** One bad request and what it must answer. */
export interface BadRequest {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  status: number;
  /** Text the error (message or an issue path) must contain: the field, header or name at fault. */
  names?: string;
}

export const ALICE = { authorization: 'Bearer alice-token' };
export const JSON_TYPE = { 'content-type': 'application/json' };
export const SSE = { accept: 'text/event-stream' };

const SCHEMES = ['Bearer', 'Basic', 'Token', 'Digest', 'JWT', 'Bearer:', 'Bearer=', 'Bear', 'ApiKey'];
const TOKENS = [
  '',
  'nope',
  'alice',
  'ALICE-TOKEN',
  'alice-token-x',
  'alice_token',
  'YWxpY2U6dG9rZW4=',
  'x'.repeat(4096),
  'alice-token;bob-token',
  'null',
  'undefined',
  '{}',
  '%61lice-token',
  'alice-token',
  'bob-token\tx',
];

/** Authorization header values getUser refuses (missing first), none of them a valid bearer token. */
export const BAD_AUTH: Array<string | undefined> = [
  undefined,
  ...SCHEMES.flatMap((scheme) => TOKENS.map((token) => `${scheme} ${token}`)).filter(
    (value) => bearerUser(new Request('http://x/', { headers: { authorization: value } })) === undefined,
  ),
];

/** Agent names nobody serves (as they appear in a URL). */
export const UNKNOWN_NAMES = [
  'nobody',
  'calculator2',
  'Calculator',
  'CALCULATOR',
  'calc',
  'calculator%20',
  '%20calculator',
  'calculator.json',
  '%2e%2e',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'prototype',
  '0',
  '-1',
  'x'.repeat(300),
  'y'.repeat(5000),
  '%00',
  '%E2%80%8Bcalculator',
  'caf%C3%A9',
  '%F0%9F%98%80',
  'a%2Fb',
  '*',
  '%24',
  '%25',
  '%ZZ',
  'calculator%00',
  'weather%0A',
  '%3Cscript%3E',
  "'%20OR%201=1",
  'agents',
  'runs',
  'v1',
];

/** Run ids (as they appear in a URL) that name no run of Alice's. */
export const UNKNOWN_RUN_IDS = [
  'nope',
  'run-1',
  '00000000-0000-0000-0000-000000000000',
  '01a2b3c4-0000-7000-8000-000000000000',
  'x'.repeat(257),
  'z'.repeat(4000),
  '%00',
  'a%01b',
  '%2e%2e',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  '0',
  '-1',
  '1e9',
  '%F0%9F%98%80',
  '%20',
  '%ZZ',
  'latest',
  '*',
  '%3Cb%3E',
];

export const WRONG_CONTENT_TYPES = [
  'text/plain',
  'text/html',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/jsonp',
  'application/octet-stream',
  'image/png',
  '',
];

/** Bodies that are not JSON at all (or nothing). */
export const MALFORMED_JSON = [
  '',
  ' ',
  '{',
  '{"input":',
  '{"input":"hi"',
  "{'input':'hi'}",
  '{input:"hi"}',
  'undefined',
  'NaN',
  '{"input":"hi",}',
  '[1,2',
  '"unterminated',
  '{"input":"\\x"}',
  '{"input": 01}',
  '}{',
  '\ufeff{"input":"hi"}',
  '{"input":"hi"}{"input":"hi"}',
  '<xml/>',
];

/** A value nested `depth` levels deep (as JSON text). */
export function deepJson(depth: number, open = '{"a":', close = '}'): string {
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
}

/** Requests with the bad authorization headers, `count` of them starting at `offset`, otherwise valid. */
export function authCases(
  base: Omit<BadRequest, 'label' | 'status' | 'headers'> & { headers?: Record<string, string> },
  count: number,
  offset = 0,
): BadRequest[] {
  const values = BAD_AUTH.slice(offset, offset + count);
  return values.map((value, index) => ({
    ...base,
    label: `auth #${offset + index}: ${value === undefined ? 'missing' : value.slice(0, 40)}`,
    headers: { ...base.headers, ...(value === undefined ? {} : { authorization: value }) },
    status: 401,
  }));
}

/** The same request with each unknown agent name in place of `{name}` in the path. */
export function unknownAgentCases(
  base: Omit<BadRequest, 'label' | 'status'>,
  count: number,
  offset = 0,
): BadRequest[] {
  return UNKNOWN_NAMES.slice(offset, offset + count).map((name) => ({
    ...base,
    label: `unknown agent ${name.slice(0, 40)}`,
    path: base.path.replace('{name}', name),
    status: 404,
  }));
}

/** The path answered with the methods it does not serve: a JSON 404. */
export function wrongMethodCases(path: string, served: string[]): BadRequest[] {
  return ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
    .filter((method) => !served.includes(method))
    .map((method) => ({
      label: `${method} ${path.slice(0, 60)}`,
      method,
      path,
      headers: { ...ALICE, ...JSON_TYPE },
      ...(method === 'GET' ? {} : { body: '{}' }),
      status: 404,
    }));
}

/** The request with each wrong content type (the body is valid JSON): 415. */
export function contentTypeCases(base: Omit<BadRequest, 'label' | 'status'>): BadRequest[] {
  return WRONG_CONTENT_TYPES.map((type) => ({
    ...base,
    label: `content-type "${type}"`,
    headers: { ...base.headers, 'content-type': type },
    status: 415,
  }));
}

/** The request with each malformed body: 400. */
export function malformedJsonCases(base: Omit<BadRequest, 'label' | 'status' | 'body'>): BadRequest[] {
  return MALFORMED_JSON.map((body) => ({
    ...base,
    label: `malformed JSON ${JSON.stringify(body)}`,
    body,
    status: 400,
  }));
}

/**
 * A valid body with one field set to each bad value (undefined removes it): 400 naming the field.
 * `path` is a dotted path into the body (`approvals.0.approved`).
 */
export function fieldCases(
  base: Omit<BadRequest, 'label' | 'status' | 'body'>,
  valid: Record<string, unknown>,
  path: string,
  values: unknown[],
): BadRequest[] {
  return values.map((value) => {
    const body = structuredClone(valid);
    const keys = path.split('.');
    let target = body as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
    const last = keys.at(-1) as string;
    if (value === undefined) delete target[last];
    else target[last] = value;
    const shown = value === undefined ? 'missing' : JSON.stringify(value).slice(0, 40);
    return {
      ...base,
      label: `${path} = ${shown}`,
      body: JSON.stringify(body),
      status: 400,
      names: path,
    };
  });
}

/** Extra keys a strict body refuses: 400 naming the key. */
export function unknownKeyCases(
  base: Omit<BadRequest, 'label' | 'status' | 'body'>,
  valid: Record<string, unknown>,
  keys: string[],
): BadRequest[] {
  return keys.map((key) => ({
    ...base,
    label: `unknown key ${key}`,
    body: JSON.stringify({ ...valid, [key]: 1 }),
    status: 400,
    names: key,
  }));
}

/**
 * Bodies shaped to hurt: nested thousands of levels (at the top, and under `deepField`), `__proto__` keys
 * (top level and inside `protoField`), too big for the byte limit (413).
 */
export function shapeCases(
  base: Omit<BadRequest, 'label' | 'status' | 'body'>,
  valid: Record<string, unknown>,
  fields: { deep: string; proto: string; big: string },
): BadRequest[] {
  const json = JSON.stringify(valid);
  const withField = (field: string, raw: string) => `${json.slice(0, -1)},"${field}":${raw}}`;
  return [
    { label: 'top-level array 100,000 deep', body: deepJson(100_000, '[', ']'), status: 400 },
    {
      label: `${fields.deep} 5,000 deep`,
      body: withField(fields.deep, deepJson(5000)),
      status: 400,
      names: fields.deep,
    },
    {
      label: `${fields.deep} 101 deep`,
      body: withField(fields.deep, deepJson(101)),
      status: 400,
      names: fields.deep,
    },
    {
      label: '__proto__ at the top',
      body: `${json.slice(0, -1)},"__proto__":{"admin":true}}`,
      status: 400,
      names: '__proto__',
    },
    {
      label: `__proto__ in ${fields.proto}`,
      body: withField(fields.proto, '{"__proto__":{"admin":true}}'),
      status: 400,
      names: `${fields.proto}.__proto__`,
    },
    {
      label: `__proto__ deep in ${fields.proto}`,
      body: withField(fields.proto, '{"a":{"b":[{"__proto__":{"admin":true}}]}}'),
      status: 400,
      names: '__proto__',
    },
    {
      label: 'body over 1 MiB',
      body: JSON.stringify({ ...valid, [fields.big]: 'x'.repeat(1024 * 1024) }),
      status: 413,
      names: '1048576',
    },
  ].map((shape) => ({ ...base, ...shape }));
}

/** Last-Event-ID values that are not a frame number. */
export const BAD_EVENT_IDS = [
  'abc',
  '-1',
  '1.5',
  '1e3',
  '0x1',
  '+1',
  'NaN',
  'Infinity',
  '1/2',
  '1%',
  '1 2',
  '1,2',
  '1;2',
  '"1"',
  "'1'",
  '[1]',
  '{}',
  'null',
  'true',
  '9'.repeat(16),
  '9'.repeat(100),
  '0'.repeat(16),
  'id:3',
  '3\t4',
  '-0',
  '1_000',
  '0.0',
  'last',
  '1.0',
  '0b1',
  '1e0',
  'x1',
];
