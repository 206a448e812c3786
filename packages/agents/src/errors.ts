import { InputGuardrailTripwireTriggered, OutputGuardrailTripwireTriggered } from '@openai/agents-core';
import { type ErrorCode, type FieldIssue, SightlineError } from '@sightline/core';

/** Base class of every error @sightline/agents throws: a stable `code` from core, a message, a `cause`. */
export class SightlineAgentsError extends SightlineError {
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; issues?: FieldIssue[] } = {}) {
    super(code, message, options);
    this.name = 'SightlineAgentsError';
  }
}

/** Bad input to a session (id, limit, item, transaction): names the field and what is wrong with it. */
export class SessionInputError extends SightlineAgentsError {
  constructor(issues: FieldIssue[], options: { cause?: unknown } = {}) {
    const first = issues[0];
    const message = first ? `${first.path}: ${first.message}` : 'invalid session input';
    super('invalid_request', message, { ...options, issues });
    this.name = 'SessionInputError';
  }
}

/**
 * A history change that cannot apply without losing or duplicating something: an operation id reused
 * with a different transaction, or a suffix replacement whose expected suffix no longer matches.
 * Nothing was changed.
 */
export class SessionConflictError extends SightlineAgentsError {
  readonly sessionId: string;
  readonly operationId: string | undefined;

  constructor(message: string, options: { sessionId: string; operationId?: string | undefined }) {
    super('conflict', message);
    this.name = 'SessionConflictError';
    this.sessionId = options.sessionId;
    this.operationId = options.operationId;
  }
}

/** The database behind a session failed; `cause` holds the driver's error. Nothing was half-written. */
export class SessionStorageError extends SightlineAgentsError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('upstream_failed', message, options);
    this.name = 'SessionStorageError';
  }
}

/** A turn was used after it was committed or discarded. */
export class SessionTurnClosedError extends SightlineAgentsError {
  constructor(state: 'committed' | 'discarded') {
    super('conflict', `this session turn was already ${state}; begin a new turn`);
    this.name = 'SessionTurnClosedError';
  }
}

/**
 * A guardrail tripwire fired: the request was refused, not failed. `code` is `invalid_request`, so an
 * HTTP layer answers 400 with `toJSON()`; `outputInfo` is what the guardrail reported.
 */
export class GuardrailRejectedError extends SightlineAgentsError {
  readonly guardrail: string;
  readonly kind: 'input' | 'output';
  readonly outputInfo: unknown;

  constructor(options: {
    guardrail: string;
    kind: 'input' | 'output';
    outputInfo: unknown;
    cause?: unknown;
  }) {
    super('invalid_request', `Request blocked by ${options.kind} guardrail "${options.guardrail}"`, {
      cause: options.cause,
      issues: [
        { path: options.kind === 'input' ? 'input' : 'output', message: describeInfo(options.outputInfo) },
      ],
    });
    this.name = 'GuardrailRejectedError';
    this.guardrail = options.guardrail;
    this.kind = options.kind;
    this.outputInfo = options.outputInfo;
  }
}

/**
 * Turns the SDK's input/output guardrail tripwire errors into a `GuardrailRejectedError` (code
 * `invalid_request`, i.e. HTTP 400); any other value is returned unchanged, so `throw toGuardrailError(e)`
 * is safe in a catch block.
 */
export function toGuardrailError(error: unknown): unknown {
  if (error instanceof InputGuardrailTripwireTriggered) {
    return new GuardrailRejectedError({
      guardrail: error.result.guardrail.name,
      kind: 'input',
      outputInfo: error.result.output.outputInfo,
      cause: error,
    });
  }
  if (error instanceof OutputGuardrailTripwireTriggered) {
    return new GuardrailRejectedError({
      guardrail: error.result.guardrail.name,
      kind: 'output',
      outputInfo: error.result.output.outputInfo,
      cause: error,
    });
  }
  return error;
}

function describeInfo(info: unknown): string {
  if (typeof info === 'string') return info;
  if (info && typeof info === 'object' && 'reason' in info && typeof info.reason === 'string')
    return info.reason;
  try {
    return JSON.stringify(info) ?? 'blocked by guardrail';
  } catch {
    return 'blocked by guardrail';
  }
}
