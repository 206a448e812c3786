/**
 * An input guardrail: notes must not hold secrets. Its tripwire stops the run before any tool runs;
 * `toGuardrailError` turns the SDK's tripwire error into a `GuardrailRejectedError` (HTTP 400).
 */
import type { InputGuardrail } from '@openai/agents';
import { trailingUserText } from '@sightline/agents';

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
    // The user's newest words, not the whole input: with a session it holds the history too, whose tool
    // call ids (`call_…-8365-472449268986`) can read as a card number.
    const text = trailingUserText(input) ?? '';
    const found = SECRET_PATTERNS.find(([pattern]) => pattern.test(text));
    return {
      tripwireTriggered: found !== undefined,
      outputInfo: found
        ? { reason: `the message contains ${found[1]}; notes must not store secrets` }
        : { reason: 'no secret found' },
    };
  },
};
