import { type ErrorCode, SightlineError, type SightlineErrorOptions } from '@sightline/core';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Base class of errors the server raises itself (a SightlineError with a stable `code`). */
export class ServerError extends SightlineError {
  constructor(code: ErrorCode, message: string, options: SightlineErrorOptions = {}) {
    super(code, message, options);
    this.name = 'ServerError';
  }
}

/** The one table mapping error codes to HTTP statuses (as tRPC does). */
export const HTTP_STATUS_BY_CODE: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_request: 400,
  invalid_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  overloaded: 503,
  upstream_failed: 502,
  timeout: 504,
  internal: 500,
};

/** The HTTP status of an error: its code's status, or 500 for anything that is not a SightlineError. */
export function statusOf(error: unknown): ContentfulStatusCode {
  return error instanceof SightlineError ? HTTP_STATUS_BY_CODE[error.code] : 500;
}
