/**
 * How a failed OpenAI call's error is recorded. The `openai` SDK's errors (`RateLimitError`,
 * `AuthenticationError`, `APIConnectionError`...) keep the `name` `Error`, so a step would say "Error":
 * the class name is what tells a rate limit from a bad key.
 */

/** The error as a step records it: typed by its class name (`RateLimitError`) rather than `Error`. */
export function trackedOpenAIError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const type = errorType(error);
  if (type === undefined) return error;
  return {
    message: error.message || type,
    type,
    ...(typeof error.stack === 'string' ? { stack: error.stack } : {}),
  };
}

/** The error's own name when it has one, else its class name; undefined when both are generic. */
function errorType(error: Error): string | undefined {
  if (error.name && error.name !== 'Error') return error.name;
  const className = (error.constructor as { name?: unknown } | undefined)?.name;
  return typeof className === 'string' && className !== '' && className !== 'Error' ? className : undefined;
}
