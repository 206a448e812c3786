/**
 * Reading a JSON request body at the boundary, before any route logic: a JSON content type (415), the
 * byte limit with gzip/deflate decoded within it (413, body-bytes.ts), strict UTF-8 and valid JSON
 * (400 `invalid_json`), the nesting depth and prototype keys (400, json-shape.ts), then a zod schema
 * (400 naming each field).
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { SightlineError, ValidationError } from '../errors.ts';
import { toFieldIssues } from '../ingest.ts';
import { DEFAULT_MAX_BODY_BYTES, readBodyBytes } from './body-bytes.ts';
import { checkJsonShape, MAX_JSON_DEPTH } from './json-shape.ts';

export interface JsonBodyOptions {
  /** Most bytes of the body, as sent and once decoded (default 1 MiB). */
  maxBytes?: number | undefined;
  /**
   * Deepest nesting accepted; prototype keys are refused with it (default 100). `false` leaves both to
   * the caller: the collector's ingest checks each event on its own (depth 10, the same keys), so one bad
   * event is refused by itself rather than its whole batch.
   */
  maxDepth?: number | false | undefined;
}

/** Reads a JSON body (content type, size, encoding, UTF-8, syntax) and checks its shape; any JSON value. */
export async function readJsonBody(c: Context, options: JsonBodyOptions = {}): Promise<unknown> {
  checkJsonContentType(c.req.header('content-type'));
  const value = parseJson(await readBodyBytes(c, { maxBytes: options.maxBytes ?? DEFAULT_MAX_BODY_BYTES }));
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  if (maxDepth !== false) checkJsonShape(value, maxDepth);
  return value;
}

/** Reads a JSON body as `readJsonBody` does, then validates it with `schema` (400 naming each field). */
export async function readValidJson<T>(
  c: Context,
  schema: z.ZodType<T>,
  options: JsonBodyOptions = {},
): Promise<T> {
  return parseWith(schema, await readJsonBody(c, options));
}

/** Validates a value with a zod schema; a failure is a ValidationError naming each field under `prefix`. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, prefix: string[] = []): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error.issues, prefix));
  return parsed.data;
}

/** Refuses (415) a content type that is not JSON: `application/json` or `application/*+json`. */
export function checkJsonContentType(header: string | undefined): void {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  if (type && /^application\/(?:[\w.-]+\+)?json$/.test(type)) return;
  const got = type ? JSON.stringify(type.slice(0, 80).toWellFormed()) : 'none';
  throw new SightlineError('unsupported_media_type', `content-type: must be application/json, got ${got}`, {
    issues: [{ path: 'content-type', message: 'must be application/json' }],
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 strictly (a byte order mark is not JSON) and parses JSON, naming what is wrong. */
export function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (cause) {
    throw new SightlineError('invalid_json', 'body: is not valid UTF-8', {
      cause,
      issues: [{ path: 'body', message: 'is not valid UTF-8' }],
    });
  }
  if (text.trim().length === 0) {
    throw new SightlineError('invalid_json', 'body is empty; send a JSON value', {
      issues: [{ path: 'body', message: 'is empty' }],
    });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : 'parse error';
    throw new SightlineError('invalid_json', `body is not valid JSON: ${detail}`, {
      cause,
      issues: [{ path: 'body', message: `is not valid JSON (${detail})` }],
    });
  }
}
