/** Agents, users and SSE helpers shared by the serve tests (demo model: offline, deterministic). */
import {
  Agent,
  type InputGuardrail,
  type Model,
  type ModelRequest,
  type ModelResponse,
  tool,
} from '@openai/agents';
import { demoModel } from '@sightline/agents';
import { z } from 'zod';

export interface TestUser {
  userId: string;
  userName: string;
}

export const USERS: Record<string, TestUser> = {
  'alice-token': { userId: 'alice', userName: 'Alice' },
  'bob-token': { userId: 'bob', userName: 'Bob' },
};

/** getUser for tests: `Authorization: Bearer alice-token`. */
export function bearerUser(request: Request): TestUser | undefined {
  const token = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  return token ? USERS[token] : undefined;
}

/** Calculator: multiplication needs a person's approval (so the approval flow can be exercised). */
export function calculatorAgent(options: { latencyMs?: number } = {}): Agent {
  const calculate = tool({
    name: 'calculate',
    description: 'Evaluate an arithmetic expression with + - * /.',
    parameters: z.object({ expression: z.string() }),
    needsApproval: async (_context, { expression }) => expression.includes('*'),
    execute: async ({ expression }) => String(evaluate(expression)),
  });
  return new Agent({
    name: 'calculator',
    handoffDescription: 'Does arithmetic; multiplications need approval.',
    instructions: 'Use the calculate tool for arithmetic.',
    model: demoModel({ latencyMs: options.latencyMs ?? 0, chunkSize: 4 }),
    tools: [calculate],
  });
}

/** Weather: a tool that reads the user from the run context. */
export function weatherAgent(): Agent<TestUser> {
  const getWeather = tool({
    name: 'get_weather',
    description: 'Get the weather for a city.',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }, context) => {
      const user = (context?.context as TestUser | undefined)?.userName ?? 'nobody';
      return `Sunny in ${city} (asked by ${user})`;
    },
  });
  return new Agent<TestUser>({
    name: 'weather',
    instructions: (context) => `Answer ${context.context.userName ?? 'the user'} about the weather.`,
    model: demoModel(),
    tools: [getWeather],
  });
}

const noSecrets: InputGuardrail = {
  name: 'no_secrets',
  runInParallel: false,
  execute: async ({ input }) => {
    const found = /password\s*(?:is|:)/i.test(typeof input === 'string' ? input : JSON.stringify(input));
    return { tripwireTriggered: found, outputInfo: { reason: 'the message contains a password' } };
  },
};

/** An agent behind an input guardrail. */
export function guardedAgent(): Agent {
  return new Agent({
    name: 'guarded',
    instructions: 'Chat.',
    model: demoModel(),
    inputGuardrails: [noSecrets],
  });
}

/** A model whose provider always fails (as an API error with a status would). */
export class FailingModel implements Model {
  async getResponse(_request: ModelRequest): Promise<ModelResponse> {
    throw Object.assign(new Error('upstream said 503'), { name: 'APIError', status: 503 });
  }
  // biome-ignore lint/correctness/useYield: it fails before streaming anything
  async *getStreamedResponse(): AsyncIterable<never> {
    throw Object.assign(new Error('upstream said 503'), { name: 'APIError', status: 503 });
  }
}

export function failingAgent(): Agent {
  return new Agent({ name: 'failing', instructions: 'x', model: new FailingModel() });
}

/** A tiny arithmetic evaluator for + - * / (no eval). */
function evaluate(expression: string): number {
  const tokens = expression.match(/\d+(?:\.\d+)?|[-+*/()]/g) ?? [];
  let position = 0;
  const peek = () => tokens[position];
  const factor = (): number => {
    const token = tokens[position++];
    if (token === '(') {
      const value = sum();
      position += 1;
      return value;
    }
    if (token === '-') return -factor();
    return Number(token);
  };
  const product = (): number => {
    let value = factor();
    while (peek() === '*' || peek() === '/')
      value = tokens[position++] === '*' ? value * factor() : value / factor();
    return value;
  };
  const sum = (): number => {
    let value = product();
    while (peek() === '+' || peek() === '-')
      value = tokens[position++] === '+' ? value + product() : value - product();
    return value;
  };
  return sum();
}

/** One parsed SSE event. */
export interface SseEvent {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

/** Parses an SSE body (comments skipped). */
export function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '' && !block.startsWith(':'))
    .map((block) => {
      const event: SseEvent = { id: undefined, event: undefined, data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) event.id = line.slice(4);
        else if (line.startsWith('event: ')) event.event = line.slice(7);
        else if (line.startsWith('data: ')) event.data += line.slice(6);
      }
      return event;
    });
}

/** The JSON chunks of a UI message stream (without `[DONE]`). */
export function chunksOf(events: SseEvent[]): Array<{ type: string; [key: string]: unknown }> {
  return events.filter((event) => event.data !== '[DONE]').map((event) => JSON.parse(event.data));
}

/** MCP test tool: adds two numbers. */
export const addTool = tool({
  name: 'add',
  description: 'Add two numbers.',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: async ({ a, b }) => String(a + b),
});

/** MCP test tool: always throws. */
export const explodeTool = tool({
  name: 'explode',
  description: 'Always fails.',
  parameters: z.object({}),
  execute: async () => {
    throw new Error('the database is on fire');
  },
});
