/**
 * The one table mapping error codes to HTTP statuses (as tRPC does), and the error body every Sightline
 * HTTP endpoint answers with: `{ error: { code, message, issues? } }`.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ErrorBody, type ErrorCode, isSightlineError } from '../errors.ts';

/** The HTTP status of each error code. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, ContentfulStatusCode>> = {
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

/** The HTTP status of anything thrown: a SightlineError's code status, else 500. */
export function statusOf(error: unknown): ContentfulStatusCode {
  return isSightlineError(error) ? HTTP_STATUS[error.code] : 500;
}

/** The JSON error body for anything thrown (an error that is not a SightlineError never leaks its message). */
export function errorBodyOf(error: unknown): ErrorBody {
  if (isSightlineError(error)) return error.toJSON();
  return { error: { code: 'internal', message: 'internal server error' } };
}
