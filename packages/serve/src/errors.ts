/**
 * Errors of @sightline/serve: one base class (`ServeError`, a SightlineError with a stable code); the code ->
 * HTTP status table and the error body are @sightline/core/http's, shared with the collector. Errors of the agent runtime (guardrail tripwires, max turns,
 * model failures) are translated here so every route answers them the same way.
 */
import {
  InputGuardrailTripwireTriggered,
  MaxTurnsExceededError,
  ModelBehaviorError,
  ModelRefusalError,
  ModelTimeoutError,
  OutputGuardrailTripwireTriggered,
  ToolCallError,
  ToolInputGuardrailTripwireTriggered,
  ToolOutputGuardrailTripwireTriggered,
  UserError,
} from '@openai/agents-core';
import { toGuardrailError } from '@sightline/agents';
import {
  type ErrorCode,
  type FieldIssue,
  isSightlineError,
  SightlineError,
  ValidationError,
} from '@sightline/core';

/** Base class of every error @sightline/serve raises: a stable `code`, a message, `issues` and a `cause`. */
export class ServeError extends SightlineError {
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; issues?: FieldIssue[] } = {}) {
    super(code, message, options);
    this.name = 'ServeError';
  }
}

/** A required field that is missing or malformed, as a 400 naming it. */
export function invalidField(path: string, message: string): ValidationError {
  return new ValidationError([{ path, message }]);
}

/** Something the caller named (an agent, a run, a workflow) does not exist for them. */
export function notFound(message: string): ServeError {
  return new ServeError('not_found', message);
}

/**
 * Translates what an agent run threw into a ServeError: guardrail tripwires are the caller's 400 (with the
 * guardrail's reason), max turns and model misbehaviour are 502 (the model did not produce an answer),
 * errors the provider reports are 502, anything else is a 500 that names the run but not the internals.
 */
export function runFailure(error: unknown, context: { agent: string; runId: string }): SightlineError {
  if (isSightlineError(error)) return error;
  if (error instanceof InputGuardrailTripwireTriggered || error instanceof OutputGuardrailTripwireTriggered) {
    return toGuardrailError(error) as SightlineError;
  }
  const where = `agent "${context.agent}" (run ${context.runId})`;
  if (
    error instanceof ToolInputGuardrailTripwireTriggered ||
    error instanceof ToolOutputGuardrailTripwireTriggered
  ) {
    return new ServeError('invalid_request', `${where}: blocked by a tool guardrail: ${error.message}`, {
      cause: error,
    });
  }
  if (error instanceof MaxTurnsExceededError) {
    return new ServeError('upstream_failed', `${where} did not finish: ${error.message}`, { cause: error });
  }
  if (error instanceof ModelBehaviorError) {
    return new ServeError('upstream_failed', `${where}: the model misbehaved: ${error.message}`, {
      cause: error,
    });
  }
  if (error instanceof ModelRefusalError) {
    return new ServeError('upstream_failed', `${where}: the model refused: ${messageOf(error.refusal)}`, {
      cause: error,
    });
  }
  if (error instanceof ModelTimeoutError) {
    return new ServeError('timeout', `${where}: the model did not answer within ${error.timeoutMs} ms`, {
      cause: error,
    });
  }
  if (error instanceof ToolCallError) {
    return new ServeError('internal', `${where}: a tool failed: ${messageOf(error.message)}`, {
      cause: error,
    });
  }
  if (error instanceof UserError) {
    return new ServeError('internal', `${where} is misconfigured: ${error.message}`, { cause: error });
  }
  if (isProviderError(error)) {
    return new ServeError('upstream_failed', `${where}: the model provider failed: ${messageOf(error)}`, {
      cause: error,
    });
  }
  return new ServeError('internal', `${where} failed; see the server log and the trace`, { cause: error });
}

/** An HTTP error from a model provider (OpenAI's APIError and the AI SDK's APICallError carry a status). */
function isProviderError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { status?: unknown; statusCode?: unknown }).status;
  const statusCode = (error as { statusCode?: unknown }).statusCode;
  return (
    typeof status === 'number' ||
    typeof statusCode === 'number' ||
    /APIError|APICallError|APIConnection/.test(error.name)
  );
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
