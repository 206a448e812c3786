/**
 * The agent every variant of bench/serve runs: an `@openai/agents` Agent on the offline demo model
 * (deterministic, no network) with one calculator tool. "hello" is one model call; "what is 2 + 3" calls
 * the tool between two model calls.
 */
import { Agent, tool } from '@openai/agents';
import { demoModel } from '@sightline/agents';
import { z } from 'zod';

/** A new instance of the benchmark's assistant agent. */
export function assistant(): Agent {
  const calculate = tool({
    name: 'calculate',
    description: 'Evaluate an arithmetic expression with + - * /.',
    parameters: z.object({ expression: z.string() }),
    execute: async ({ expression }) => {
      const [a, op, b] = expression.split(/\s*([-+*/])\s*/);
      const [x, y] = [Number(a), Number(b)];
      return String(op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y);
    },
  });
  return new Agent({
    name: 'assistant',
    instructions: 'Answer briefly; use the calculate tool for arithmetic.',
    model: demoModel(),
    tools: [calculate],
  });
}
