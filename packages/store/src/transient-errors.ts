/**
 * Which database failures are transient: the database is down, restarting, out of connections, or
 * a transaction lost a race (deadlock, serialization). Those are the server's state, not the input's,
 * and retrying later can succeed, so the store reports them as `overloaded` (HTTP 503 with
 * Retry-After): a tracker keeps its batch and retries it whole instead of treating one of its events
 * as one the server can never store.
 */
import { StoreError } from './errors.ts';

/** PostgreSQL SQLSTATE classes and codes that mean "try again" (connection, resources, shutdown, races). */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '53', '57']);
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03']);
/** Node socket errors and SQLite result codes of the same kind. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_FULL',
  'SQLITE_IOERR',
]);
/** pg and pg-pool report some connection failures only by message. */
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /cannot use a pool after calling end/i,
];

/** True when `error` (or its cause) is a database failure worth retrying later. */
export function isTransientDatabaseError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') return false;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (TRANSIENT_CODES.has(code) || code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_IOERR'))
        return true;
      if (
        /^[0-9A-Z]{5}$/.test(code) &&
        (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2)))
      )
        return true;
    }
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && TRANSIENT_MESSAGES.some((pattern) => pattern.test(message)))
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Runs a write, turning a transient database failure into a StoreError `overloaded`. */
export async function retryableOnTransient<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isTransientDatabaseError(error))
      throw new StoreError('overloaded', 'the database is unavailable for now; retry later', {
        cause: error,
      });
    throw error;
  }
}
