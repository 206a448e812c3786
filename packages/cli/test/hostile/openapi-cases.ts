/**
 * Hostile requests generated from the server's own /openapi.json: for every path and method, each path
 * parameter and query parameter set to each hostile request-line text (sent raw) and to wrong shapes,
 * each documented JSON body field set to each hostile value, wrong methods and wrong keys; plus the
 * collector's undocumented routes (health, docs, dashboard files).
 */
import { HOSTILE_RAW_TEXTS, type Prng, percentEncode, valuesFor } from './hostile-values.ts';
import {
  bodyMutations,
  type FieldPath,
  fieldMutations,
  type JsonRoute,
  keyMutations,
  methodMutations,
  prototypeKeyMutations,
} from './json-mutations.ts';
import type { HostileRequest, KeyChoice } from './raw-request.ts';

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  minimum?: number;
}

interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}

interface Operation {
  parameters?: Parameter[];
  security?: unknown[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

/** Valid values for named fields, so a baseline request reaches the route's logic. */
export interface Hints {
  /** Path parameters by name, already valid (e.g. an existing conversation id). */
  params: Record<string, string>;
  /** Body fields by name. */
  fields: Record<string, unknown>;
}

/** A valid-looking value for a schema: hints by field name, then default, enum, format and type. */
export function exampleOf(schema: JsonSchema | undefined, name: string, hints: Hints): unknown {
  if (name in hints.fields) return hints.fields[name];
  if (!schema) return { key: 'value' };
  if (schema.default !== undefined) return schema.default;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  if (schema.anyOf?.[0]) return exampleOf(schema.anyOf[0], name, hints);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(schema.properties ?? {}))
        if (schema.required?.includes(key) || key in hints.fields) out[key] = exampleOf(child, key, hints);
      return out;
    }
    case 'array':
      return [exampleOf(schema.items, name, hints)];
    case 'string':
      return schema.format === 'date-time' ? '2026-01-01T00:00:00.000Z' : `hostile-${name}`;
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      return { key: 'value' };
  }
}

/** Every property path a schema documents, optional ones included. */
export function schemaPaths(schema: JsonSchema | undefined, prefix: FieldPath = []): FieldPath[] {
  if (!schema) return [];
  const out: FieldPath[] = [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    out.push([...prefix, key], ...schemaPaths(child, [...prefix, key]));
  }
  if (schema.items) out.push([...prefix, 0], ...schemaPaths(schema.items, [...prefix, 0]));
  return out;
}

function keyFor(method: string, operation: Operation): KeyChoice {
  if (!operation.security || operation.security.length === 0) return 'none';
  return method === 'get' ? 'read' : 'ingest';
}

const QUERY_SHAPES: ReadonlyArray<[string, (name: string) => string]> = [
  ['repeated', (name) => `${name}=a&${name}=b`],
  ['bracket array', (name) => `${name}[]=a&${name}[]=b`],
  ['bracket object', (name) => `${name}[__proto__][x]=1`],
  ['no equals', (name) => name],
  ['empty', (name) => `${name}=`],
  ['repeated 50 times', (name) => Array.from({ length: 50 }, () => `${name}=x`).join('&')],
];

const TYPED_VALUES: Record<string, readonly string[]> = {
  integer: ['-1', '0', '1.5', '1e3', 'NaN', 'Infinity', '9007199254740993', '0x10', '%205', '00001', '-0'],
  'date-time': [
    '2026-13-45T25:61:61Z',
    '0000-01-01T00:00:00Z',
    '%2B275760-09-13T00:00:00.000Z',
    '-271821-04-20T00:00:00Z',
    '2026-01-01T00:00:00%2B99:99',
    '2026-01-01',
    '1767225600000',
  ],
};

function typedValues(schema: JsonSchema | undefined): readonly string[] {
  if (!schema) return [];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'integer' || type === 'number') return TYPED_VALUES.integer ?? [];
  if (schema.format === 'date-time') return TYPED_VALUES['date-time'] ?? [];
  return [];
}

/** A parameter whose documented pattern is `key=value`. */
function isPairParam(schema: JsonSchema | undefined): boolean {
  return JSON.stringify(schema ?? {}).includes('=');
}

function pathWith(template: string, params: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => params[name] ?? 'x');
}

/** Hostile forms of one query parameter, as [label, raw query string]. */
function queryValues(param: Parameter): Array<[string, string]> {
  const { name } = param;
  const out: Array<[string, string]> = HOSTILE_RAW_TEXTS.map((text) => [
    `${name}=${text.name}`,
    `${name}=${text.raw}`,
  ]);
  // A `key=value` parameter (metadata filters): the hostile text as the key and as the value.
  if (isPairParam(param.schema)) {
    for (const text of HOSTILE_RAW_TEXTS) {
      out.push([`${name} key ${text.name}`, `${name}=${text.raw}%3Dv`]);
      out.push([`${name} value ${text.name}`, `${name}=plan%3D${text.raw}`]);
    }
  }
  for (const [shape, make] of QUERY_SHAPES) out.push([`${name} ${shape}`, make(name)]);
  for (const value of typedValues(param.schema)) out.push([`${name}=${value}`, `${name}=${value}`]);
  return out;
}

/** Requests for one operation's path and query parameters. */
function parameterCases(
  method: string,
  template: string,
  operation: Operation,
  hints: Hints,
  key: KeyChoice,
): HostileRequest[] {
  const upper = method.toUpperCase();
  const label = `${upper} ${template}`;
  const valid = Object.fromEntries(
    (operation.parameters ?? [])
      .filter((p) => p.in === 'path')
      .map((p) => [p.name, hints.params[p.name] ?? 'x']),
  );
  const base = pathWith(template, valid);
  const out: HostileRequest[] = [];
  const add = (what: string, path: string) =>
    out.push({ label: `${label} ${what}`, method: upper, path, key });
  for (const param of operation.parameters ?? []) {
    if (param.in === 'path') {
      for (const text of HOSTILE_RAW_TEXTS)
        add(`path ${param.name}=${text.name}`, pathWith(template, { ...valid, [param.name]: text.raw }));
      add(`path ${param.name} empty`, pathWith(template, { ...valid, [param.name]: '' }));
    } else if (param.in === 'query') {
      for (const [what, query] of queryValues(param)) add(`query ${what}`, `${base}?${query}`);
    }
  }
  for (const text of HOSTILE_RAW_TEXTS) add(`query name ${text.name}`, `${base}?${text.raw}=1`);
  add('query 2000 parameters', `${base}?${Array.from({ length: 2_000 }, (_, i) => `p${i}=${i}`).join('&')}`);
  add('query only ?', `${base}?`);
  add('query &&&', `${base}?&&&=&`);
  add('fragment', `${base}#frag`);
  add('double slash', `/${base}`);
  add('trailing slash', `${base}/`);
  add('dot segments', `${base}/../${base.split('/').pop() ?? ''}`);
  add('absolute-form', `http://evil.example${base}`);
  add('asterisk-form', '*');
  return out;
}

/** Every hostile request for the documented routes. */
export function openApiCases(doc: OpenApiDocument, hints: Hints, prng: Prng): HostileRequest[] {
  const out: HostileRequest[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    const validPath = pathWith(template, hints.params);
    out.push(
      ...methodMutations(
        validPath,
        Object.keys(methods).map((m) => m.toUpperCase()),
        template,
      ),
    );
    for (const [method, operation] of Object.entries(methods)) {
      const key = keyFor(method, operation);
      out.push(...parameterCases(method, template, operation, hints, key));
      const upper = method.toUpperCase();
      const baseRequest: HostileRequest = {
        label: `${upper} ${template}`,
        method: upper,
        path: validPath,
        key,
      };
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      if (schema) {
        const route: JsonRoute = { method: upper, path: validPath, key, label: `${upper} ${template}` };
        const body = exampleOf(schema, '', hints);
        out.push(
          ...fieldMutations(route, body, {
            extraPaths: schemaPaths(schema),
            values: () => valuesFor(prng, 8),
          }),
        );
        out.push(...prototypeKeyMutations(route, body));
        out.push(...bodyMutations(route, body, prng));
        baseRequest.headers = { 'content-type': 'application/json' };
        baseRequest.body = JSON.stringify(body);
      }
      if (key !== 'none') out.push(...keyMutations(baseRequest, key === 'read' ? 'ingest' : 'read'));
    }
  }
  return out;
}

/** The collector's routes /openapi.json does not list: health, docs, the dashboard's files. */
export function undocumentedCases(): HostileRequest[] {
  const out: HostileRequest[] = [];
  const add = (label: string, path: string, method = 'GET') => out.push({ label, method, path, key: 'none' });
  for (const path of [
    '/healthz',
    '/readyz',
    '/openapi.json',
    '/docs',
    '/docs/assets/standalone.js',
    '/',
    '/index.html',
  ])
    add(`GET ${path}`, path);
  for (const text of HOSTILE_RAW_TEXTS)
    add(`GET /v1/live access_token=${text.name}`, `/v1/live?access_token=${text.raw}`);
  for (const prefix of ['/', '/assets/', '/docs/assets/', '/v1/', '/healthz/']) {
    for (const text of HOSTILE_RAW_TEXTS) add(`GET ${prefix}{${text.name}}`, `${prefix}${text.raw}`);
    for (const traversal of [
      '../../../../etc/passwd',
      '..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      '%2E%2E/%2E%2E/%2E%2E/etc/passwd',
      '..%5C..%5C..%5Cetc%5Cpasswd',
      '%252E%252E%252Fetc%252Fpasswd',
      '....//....//etc/passwd',
      `${percentEncode('\uFF0E\uFF0E')}/etc/passwd`,
      '%00/etc/passwd',
    ]) {
      add(`GET ${prefix}{traversal ${traversal}}`, `${prefix}${traversal}`);
    }
  }
  return out;
}
