import { describeError, TrackerError } from './errors.ts';

/** Receives every problem the tracker meets; must not throw (if it does, the throw is swallowed). */
export type ErrorHandler = (error: TrackerError) => void;

/** Quiet period per error code of the default handler. */
const QUIET_MS = 30_000;

/**
 * The default `onError`: one line on stderr per error code, then at most one line per code every
 * 30 s saying how many were suppressed. Silent when SIGHTLINE_LOG_LEVEL=silent.
 */
export function createDefaultErrorHandler(): ErrorHandler {
  const lastPrinted = new Map<string, { at: number; suppressed: number }>();
  return (error) => {
    if (process.env.SIGHTLINE_LOG_LEVEL === 'silent') return;
    const now = Date.now();
    const seen = lastPrinted.get(error.code);
    if (seen && now - seen.at < QUIET_MS) {
      seen.suppressed++;
      return;
    }
    const more = seen && seen.suppressed > 0 ? ` (${seen.suppressed} similar suppressed)` : '';
    lastPrinted.set(error.code, { at: now, suppressed: 0 });
    console.error(`[sightline tracker] ${error.code}: ${error.message}${more}`);
  };
}

/** Wraps a user handler so that nothing it does can escape into the tracker or the caller. */
export function safeErrorHandler(handler: ErrorHandler): ErrorHandler {
  return (error) => {
    try {
      handler(error);
    } catch {
      // onError must never throw into the tracker; a broken handler is ignored.
    }
  };
}

/** A TrackerError for an unexpected internal failure. */
export function internalError(context: string, cause: unknown): TrackerError {
  return new TrackerError('internal', `${context}: ${describeError(cause)}`, { cause });
}
