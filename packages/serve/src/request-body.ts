/**
 * Reading a JSON request body: a size limit (413 naming the limit), a JSON content type (415), valid JSON
 * (400 `invalid_json`) and a zod schema (400 naming each field), before any route logic runs.
 */
import { toFieldIssues, ValidationError } from '@sightline/core';
import type { Context } from 'hono';
import type { z } from 'zod';
import { ServeError } from './errors.ts';

/** Largest request body accepted by default (1 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Reads, size-checks, parses and validates a JSON body. */
export async function readJsonBody<T>(
  c: Context,
  schema: z.ZodType<T>,
  maxBytes: number = DEFAULT_MAX_BODY_BYTES,
): Promise<T> {
  const type = c.req.header('content-type');
  if (type !== undefined && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type.trim())) {
    throw new ServeError('unsupported_media_type', `content-type must be application/json (got "${type}")`);
  }
  const text = await readLimitedText(c.req.raw, maxBytes);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ServeError('invalid_json', `body is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  return parseWith(schema, raw);
}

/** Validates a value with a zod schema; a failure is a ValidationError naming each field. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, prefix: string[] = []): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error.issues, prefix));
  return parsed.data;
}

/** The body as text, refusing (413) anything over `maxBytes` without reading all of it. */
async function readLimitedText(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new ServeError('payload_too_large', `body must be at most ${maxBytes} bytes`, {
      issues: [{ path: '', message: `at most ${maxBytes} bytes` }],
    });
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) throw new ServeError('invalid_json', 'body is empty; send a JSON object');
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (size === 0) throw new ServeError('invalid_json', 'body is empty; send a JSON object');
  return Buffer.concat(chunks).toString('utf8');
}
