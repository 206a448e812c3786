/**
 * An input guardrail: notes must not hold secrets. Its tripwire stops the run before any tool runs;
 * `toGuardrailError` turns the SDK's tripwire error into a `GuardrailRejectedError` (HTTP 400).
 */
import type { AgentInputItem, InputGuardrail } from '@openai/agents';

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
    const text = latestUserText(input);
    const found = SECRET_PATTERNS.find(([pattern]) => pattern.test(text));
    return {
      tripwireTriggered: found !== undefined,
      outputInfo: found
        ? { reason: `the message contains ${found[1]}; notes must not store secrets` }
        : { reason: 'no secret found' },
    };
  },
};

/**
 * The words of the user's latest message. Not the whole input: with a session it holds the history too,
 * whose tool call ids (`call_…-8365-472449268986`) can read as a card number.
 */
function latestUserText(input: string | AgentInputItem[]): string {
  if (typeof input === 'string') return input;
  const last = input.findLast((item) => item.type === 'message' && item.role === 'user');
  if (!last || !('content' in last)) return '';
  const { content } = last;
  if (typeof content === 'string') return content;
  return content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join(' ');
}
