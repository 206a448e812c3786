/**
 * Reads a JSON request body within a byte limit: checks the content type, stops reading at the
 * limit (413), inflates gzip within the same limit, refuses invalid UTF-8 and invalid JSON (400).
 */
import { gunzipSync } from 'node:zlib';
import type { Context } from 'hono';
import { ServerError } from './errors.ts';

export interface BodyLimits {
  maxBytes: number;
}

/** The raw bytes of a request body, refusing anything over `maxBytes` (compressed or not). */
export async function readBodyBytes(c: Context, limits: BodyLimits): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length') ?? Number.NaN);
  if (declared > limits.maxBytes) throw tooLarge(limits.maxBytes);
  const stream = c.req.raw.body;
  if (!stream) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limits.maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limits.maxBytes);
    }
    parts.push(value);
  }
  const body = Buffer.concat(parts, total);
  return inflate(c.req.header('content-encoding'), body, limits.maxBytes);
}

function inflate(encoding: string | undefined, body: Buffer, maxBytes: number): Uint8Array {
  const name = encoding?.trim().toLowerCase();
  if (!name || name === 'identity') return body;
  if (name !== 'gzip') {
    throw new ServerError(
      'unsupported_media_type',
      `content-encoding: "${name}" is not supported; use gzip or none`,
      {
        issues: [{ path: 'content-encoding', message: 'must be gzip or absent' }],
      },
    );
  }
  try {
    return gunzipSync(body, { maxOutputLength: maxBytes });
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
    throw new ServerError('invalid_request', 'body: is not valid gzip', {
      cause,
      issues: [{ path: 'body', message: 'is not valid gzip' }],
    });
  }
}

/** Checks the content type is JSON, then reads and parses the body. */
export async function readJsonBody(c: Context, limits: BodyLimits): Promise<unknown> {
  const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ServerError(
      'unsupported_media_type',
      `content-type: must be application/json, got ${type ? `"${type}"` : 'none'}`,
      {
        issues: [{ path: 'content-type', message: 'must be application/json' }],
      },
    );
  }
  return parseJson(await readBodyBytes(c, limits));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 strictly and parses JSON, naming what is wrong. */
export function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (cause) {
    throw new ServerError('invalid_json', 'body: is not valid UTF-8', {
      cause,
      issues: [{ path: 'body', message: 'is not valid UTF-8' }],
    });
  }
  if (text.trim().length === 0) {
    throw new ServerError('invalid_json', 'body: is empty; expected a JSON object', {
      issues: [{ path: 'body', message: 'is empty' }],
    });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : 'parse error';
    throw new ServerError('invalid_json', `body: is not valid JSON (${detail})`, {
      cause,
      issues: [{ path: 'body', message: `is not valid JSON (${detail})` }],
    });
  }
}

function tooLarge(maxBytes: number): ServerError {
  return new ServerError('payload_too_large', `body: is larger than the limit of ${maxBytes} bytes`, {
    issues: [{ path: 'body', message: `must be at most ${maxBytes} bytes` }],
  });
}
