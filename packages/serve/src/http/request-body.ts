/**
 * Reading a JSON request body: a size limit (413 naming the limit), a JSON content type (415), valid JSON
 * (400 `invalid_json`) and a zod schema (400 naming each field), before any route logic runs.
 */
import { IncomingMessage } from 'node:http';
import { toFieldIssues, ValidationError } from '@sightline/core';
import type { Context } from 'hono';
import type { z } from 'zod';
import { ServeError } from '../errors.ts';

/** Largest request body accepted by default (1 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Reads, size-checks, parses and validates a JSON body. */
export async function readJsonBody<T>(
  c: Context,
  schema: z.ZodType<T>,
  maxBytes: number = DEFAULT_MAX_BODY_BYTES,
): Promise<T> {
  return parseWith(schema, await readJsonValue(c, maxBytes));
}

/** Reads, size-checks and parses a JSON body (any JSON value). */
export async function readJsonValue(c: Context, maxBytes: number = DEFAULT_MAX_BODY_BYTES): Promise<unknown> {
  const type = c.req.header('content-type');
  if (type !== undefined && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type.trim())) {
    throw new ServeError('unsupported_media_type', `content-type must be application/json (got "${type}")`);
  }
  const incoming = untouchedNodeBody(c);
  const text = incoming ? await readNodeBody(incoming, maxBytes) : await readLimitedText(c.req.raw, maxBytes);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ServeError('invalid_json', `body is not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

/** Validates a value with a zod schema; a failure is a ValidationError naming each field. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, prefix: string[] = []): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error.issues, prefix));
  return parsed.data;
}

function tooLarge(maxBytes: number): ServeError {
  return new ServeError('payload_too_large', `body must be at most ${maxBytes} bytes`, {
    issues: [{ path: '', message: `at most ${maxBytes} bytes` }],
  });
}

/**
 * On Node HTTP/1 (`@hono/node-server`, `listenNode`, the Express adapter) the request's own stream, when
 * nothing has started reading it: read directly, it spares a web `Request` and stream per request.
 * (An IncomingMessage emits 'error' only to listeners, so none is left behind once it has been read.)
 */
function untouchedNodeBody(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  if (!(incoming instanceof IncomingMessage)) return undefined;
  const untouched = incoming.readableFlowing === null && !incoming.readableDidRead && !incoming.destroyed;
  return untouched ? incoming : undefined;
}

/** A Node request stream's body as text, refusing (413) anything over `maxBytes` without reading it all. */
function readNodeBody(incoming: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(incoming.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error: unknown, text?: string) => {
      incoming.off('data', onData).off('end', onEnd).off('error', done).off('close', onClose);
      if (error) reject(error);
      else resolve(text as string);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= maxBytes) return void chunks.push(chunk);
      // Stop reading; the server discards the rest once the 413 is sent.
      incoming.pause();
      done(tooLarge(maxBytes));
    };
    const onEnd = () => {
      if (size === 0) done(new ServeError('invalid_json', 'body is empty; send a JSON object'));
      else done(undefined, Buffer.concat(chunks, size).toString('utf8'));
    };
    const onClose = () => done(new ServeError('invalid_request', 'the request body was cut off'));
    incoming.on('data', onData).on('end', onEnd).on('error', done).on('close', onClose);
  });
}

/** The body as text, refusing (413) anything over `maxBytes` without reading all of it. */
async function readLimitedText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
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
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  if (size === 0) throw new ServeError('invalid_json', 'body is empty; send a JSON object');
  return Buffer.concat(chunks).toString('utf8');
}
