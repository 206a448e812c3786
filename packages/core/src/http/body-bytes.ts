/**
 * The bytes of a request body within a byte limit: a declared `content-length` over it is refused before
 * anything is read, a body that grows past it is cut off; a gzip or deflate body is decoded within the
 * same limit (a 64 KiB gzip bomb of 64 MiB is a 413, not 64 MiB of memory). Every refusal names the header
 * or the limit.
 */
import { IncomingMessage } from 'node:http';
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { Context } from 'hono';
import { SightlineError } from '../errors.ts';

/** Largest request body accepted by default (1 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface BodyLimits {
  /** Most bytes of the body, as sent and once decoded. */
  maxBytes: number;
}

type Encoding = 'identity' | 'gzip' | 'deflate';

/** The raw bytes of a request body, decoded from gzip or deflate, refusing anything over `maxBytes`. */
export async function readBodyBytes(c: Context, limits: BodyLimits): Promise<Uint8Array> {
  const encoding = encodingOf(c.req.header('content-encoding'));
  const incoming = untouchedNodeBody(c);
  const declared = Number(incoming ? incoming.headers['content-length'] : c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > limits.maxBytes) throw bodyTooLarge(limits.maxBytes);
  const sent = incoming
    ? await readNodeStream(incoming, limits.maxBytes)
    : await readWebStream(c.req.raw, limits.maxBytes);
  return decode(encoding, sent, limits.maxBytes);
}

/** The 413 for a body over `maxBytes`. */
export function bodyTooLarge(maxBytes: number): SightlineError {
  return new SightlineError('payload_too_large', `body must be at most ${maxBytes} bytes`, {
    issues: [{ path: 'body', message: `must be at most ${maxBytes} bytes` }],
  });
}

function encodingOf(header: string | undefined): Encoding {
  const name = header?.trim().toLowerCase();
  if (!name || name === 'identity') return 'identity';
  if (name === 'gzip' || name === 'x-gzip') return 'gzip';
  if (name === 'deflate') return 'deflate';
  const shown = JSON.stringify(name.slice(0, 40).toWellFormed());
  throw new SightlineError(
    'unsupported_media_type',
    `content-encoding: ${shown} is not supported; use gzip, deflate or none`,
    { issues: [{ path: 'content-encoding', message: 'must be gzip, deflate or absent' }] },
  );
}

function decode(encoding: Encoding, body: Buffer, maxBytes: number): Uint8Array {
  if (encoding === 'identity') return body;
  const options = { maxOutputLength: maxBytes };
  try {
    if (encoding === 'gzip') return gunzipSync(body, options);
    try {
      return inflateSync(body, options);
    } catch (cause) {
      // "deflate" is the zlib format by the RFC; some clients send raw deflate.
      if ((cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw cause;
      return inflateRawSync(body, options);
    }
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw bodyTooLarge(maxBytes);
    throw new SightlineError('invalid_request', `body: is not valid ${encoding}`, {
      cause,
      issues: [{ path: 'body', message: `is not valid ${encoding}` }],
    });
  }
}

/**
 * On Node HTTP/1 (`@hono/node-server`, the Express adapter) the request's own stream, when nothing has
 * started reading it: read directly, it spares a web `Request` and stream per request. (An IncomingMessage
 * emits 'error' only to listeners, so none is left behind once it has been read.)
 */
function untouchedNodeBody(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  if (!(incoming instanceof IncomingMessage)) return undefined;
  const untouched = incoming.readableFlowing === null && !incoming.readableDidRead && !incoming.destroyed;
  return untouched ? incoming : undefined;
}

/** A Node request stream's bytes, refusing (413) anything over `maxBytes` without reading it all. */
function readNodeStream(incoming: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error: unknown, body?: Buffer) => {
      incoming.off('data', onData).off('end', onEnd).off('error', done).off('close', onClose);
      if (error) reject(error);
      else resolve(body as Buffer);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= maxBytes) return void chunks.push(chunk);
      // Stop reading; the server discards the rest once the 413 is sent.
      incoming.pause();
      done(bodyTooLarge(maxBytes));
    };
    const onEnd = () => done(undefined, Buffer.concat(chunks, size));
    const onClose = () => done(new SightlineError('invalid_request', 'the request body was cut off'));
    incoming.on('data', onData).on('end', onEnd).on('error', done).on('close', onClose);
  });
}

/** A web request's bytes, refusing (413) anything over `maxBytes` without reading all of it. */
async function readWebStream(request: Request, maxBytes: number): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}
