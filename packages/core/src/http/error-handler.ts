/**
 * What a Hono app answers when a route throws or no route matches: known errors (a SightlineError, Hono's
 * HTTPException) keep their status and become the error body `{ error: { code, message, issues? } }`;
 * anything else is a bug: a 500 whose message says nothing of the internals, reported to the app.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { type ErrorCode, SightlineError, ValidationError } from '../errors.ts';
import { toFieldIssues } from '../ingest.ts';
import { errorBodyOf, HTTP_STATUS, statusOf } from './http-status.ts';

export interface ErrorHandlerOptions {
  /** Told of every 5xx answered but 503 (a load refusal, answered with `Retry-After`): log it there. */
  report?: (error: unknown, c: Context) => void;
  /** Headers added to the answer of this status (the MCP endpoint's 401 challenge). */
  headers?: (status: ContentfulStatusCode) => Record<string, string> | undefined;
}

/** The `app.onError` of every Sightline HTTP app: known errors mapped, a 500 only for real bugs. */
export function errorHandler(options: ErrorHandlerOptions = {}): ErrorHandler {
  return (thrown, c) => {
    const error = thrown instanceof HTTPException ? fromHttpException(thrown) : thrown;
    const status = statusOf(error);
    if (status >= 500 && status !== 503) options.report?.(thrown, c);
    const headers: Record<string, string> = { ...options.headers?.(status) };
    if (status === 503) headers['retry-after'] = '1';
    return c.json(errorBodyOf(error), status, headers);
  };
}

/** The `app.notFound` of every Sightline HTTP app: a JSON 404 naming the method and path. */
export function notFoundHandler(): NotFoundHandler {
  return (c) => {
    const error = new SightlineError('not_found', `no route for ${c.req.method} ${c.req.path}`);
    return c.json(errorBodyOf(error), 404);
  };
}

/** @hono/zod-openapi's `defaultHook`: a failed request validation becomes a ValidationError naming each field (400). */
export function validationHook(result: { success: true } | { success: false; error: z.ZodError }): void {
  if (!result.success) throw new ValidationError(toFieldIssues(result.error.issues));
}

/** A Hono HTTPException (from Hono's own middleware) as the SightlineError of its status. */
function fromHttpException(exception: HTTPException): SightlineError {
  const code = (Object.keys(HTTP_STATUS) as ErrorCode[]).find((key) => HTTP_STATUS[key] === exception.status);
  const fallback: ErrorCode = exception.status < 500 ? 'invalid_request' : 'internal';
  return new SightlineError(code ?? fallback, exception.message || `HTTP ${exception.status}`, {
    cause: exception,
  });
}
