/** Stable error codes shared by every Sightline package; the server maps each to one HTTP status. */
export const ERROR_CODES = [
  'invalid_request',
  'invalid_json',
  'unsupported_media_type',
  'payload_too_large',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'overloaded',
  'upstream_failed',
  'timeout',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem with one field of an input: where it is and what is wrong with it. */
export interface FieldIssue {
  /** Dotted path to the field, e.g. `events.3.body.content`. */
  path: string;
  message: string;
}

export interface SightlineErrorOptions {
  cause?: unknown;
  issues?: FieldIssue[];
}

/** Base class of every error Sightline throws: a stable string `code`, a message and a `cause`. */
export class SightlineError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];

  constructor(code: ErrorCode, message: string, options: SightlineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SightlineError';
    this.code = code;
    this.issues = options.issues ?? [];
  }

  /** The JSON body every Sightline HTTP error answers with. */
  toJSON(): ErrorBody {
    const body: ErrorBody = { error: { code: this.code, message: this.message } };
    if (this.issues.length > 0) body.error.issues = this.issues;
    return body;
  }
}

/** Input failed validation; `issues` names each field and the limit it broke. */
export class ValidationError extends SightlineError {
  constructor(issues: FieldIssue[], options: { cause?: unknown; message?: string } = {}) {
    super('invalid_request', options.message ?? describeIssues(issues), { cause: options.cause, issues });
    this.name = 'ValidationError';
  }
}

/** The wire shape of an error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: FieldIssue[] };
}

/** Narrows an unknown thrown value to a SightlineError. */
export function isSightlineError(value: unknown): value is SightlineError {
  return value instanceof SightlineError;
}

function describeIssues(issues: FieldIssue[]): string {
  const first = issues[0];
  if (!first) return 'invalid request';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `${first.path || '(root)'}: ${first.message}${more}`;
}
