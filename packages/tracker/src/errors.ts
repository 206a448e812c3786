import { type ErrorCode, type FieldIssue, SightlineError } from '@sightline/core';

export interface TrackerErrorOptions {
  cause?: unknown;
  issues?: FieldIssue[];
  /** HTTP status of the collector's answer, when the error came from one. */
  status?: number;
}

/**
 * Every problem the tracker reports. It is never thrown into the caller's code: it reaches the
 * `onError` option (default: one rate-limited line on stderr) and the counters of `stats()`.
 */
export class TrackerError extends SightlineError {
  readonly status: number | undefined;

  constructor(code: ErrorCode, message: string, options: TrackerErrorOptions = {}) {
    super(code, message, { cause: options.cause, issues: options.issues ?? [] });
    this.name = 'TrackerError';
    this.status = options.status;
  }
}

/** Turns any thrown value into a readable message without throwing itself. */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return error.message || error.name;
    if (typeof error === 'string') return error;
    return String(error);
  } catch {
    return 'unprintable error';
  }
}
