/**
 * An input guardrail: notes must not hold secrets. Its tripwire stops the run before any tool runs;
 * `toGuardrailError` turns the SDK's tripwire error into a `GuardrailRejectedError` (HTTP 400).
 */
import type { InputGuardrail } from '@openai/agents';

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/\bpassword\s*(?:is|:|=)\s*\S+/i, 'a password'],
  [/\b(?:sk|pk|rk)[-_][A-Za-z0-9_-]{16,}\b/, 'an API key'],
  [/\b(?:\d[ -]?){13,19}\b/, 'a card number'],
];

/** Trips when the user's message contains a password, an API key or a card number. */
export const noSecretsGuardrail: InputGuardrail = {
  name: 'no_secrets',
  runInParallel: false,
  execute: async ({ input }) => {
    const text = typeof input === 'string' ? input : JSON.stringify(input);
    const found = SECRET_PATTERNS.find(([pattern]) => pattern.test(text));
    return {
      tripwireTriggered: found !== undefined,
      outputInfo: found
        ? { reason: `the message contains ${found[1]}; notes must not store secrets` }
        : { reason: 'no secret found' },
    };
  },
};
