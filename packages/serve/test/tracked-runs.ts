/**
 * Served runs for the tracking tests: users named by an `x-user` header, a chat agent on the demo model,
 * a greeting workflow, and helpers that run the agent over JSON, SSE and `/v1/chat/completions`, each
 * answering the token usage the run reported (what the collector's per-customer totals must add up to).
 */
import { Agent } from '@openai/agents';
import { demoModel } from '@sightline/agents';
import type { Hono } from 'hono';
import { expect } from 'vitest';
import type { RunOutcome } from '../src/agents/live-run.ts';
import type { ServeEnv } from '../src/http/serve-hooks.ts';
import { defineWorkflow } from '../src/workflows/workflow.ts';

/** getUser: the `x-user` header names the user (`{ id }`); none answers 401. */
export function headerUser(request: Request): { id: string } | undefined {
  const id = request.headers.get('x-user');
  return id ? { id } : undefined;
}

/** A chat agent on the offline demo model (it reports estimated token usage). */
export function chatAgent(): Agent {
  return new Agent({ name: 'chat', instructions: 'Chat.', model: demoModel() });
}

/** A workflow that greets its user by id and ends. */
export const greeting = defineWorkflow<unknown, { id: string }>({
  name: 'greeting',
  description: 'Says hello to the user.',
  run: async (io) => {
    io.say(`hello ${io.user?.id ?? 'nobody'}`);
    return 'greeted';
  },
});

/** Tokens a run used. */
export interface Tokens {
  input: number;
  output: number;
}

/** What a served run answered: its outcome and the tokens it used. */
export interface ServedRun {
  outcome: RunOutcome;
  tokens: Tokens;
}

type App = Hono<ServeEnv>;

function headers(user: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', ...(user ? { 'x-user': user } : {}), ...extra };
}

function tokensOf(outcome: RunOutcome): Tokens {
  return { input: outcome.usage?.inputTokens ?? 0, output: outcome.usage?.outputTokens ?? 0 };
}

/** `POST /agents/chat/runs` answered as JSON. */
export async function runJson(
  app: App,
  user: string | undefined,
  body: { input: string; conversationId?: string; customerId?: string },
): Promise<ServedRun> {
  const response = await app.request('/agents/chat/runs', {
    method: 'POST',
    headers: headers(user),
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  const outcome = (await response.json()) as RunOutcome;
  expect(outcome.status).toBe('completed');
  return { outcome, tokens: tokensOf(outcome) };
}

/** `POST /agents/chat/runs` streamed over SSE to its end; the outcome is read from the run's status. */
export async function runSse(
  app: App,
  user: string,
  conversationId: string,
  input: string,
): Promise<ServedRun> {
  const response = await app.request('/agents/chat/runs', {
    method: 'POST',
    headers: headers(user, { accept: 'text/event-stream' }),
    body: JSON.stringify({ input, conversationId }),
  });
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const runId = response.headers.get('x-sightline-run-id') ?? '';
  expect(await response.text()).toContain('[DONE]');
  const status = await app.request(`/agents/chat/runs/${runId}`, { headers: headers(user) });
  const outcome = (await status.json()) as RunOutcome;
  expect(outcome.status).toBe('completed');
  return { outcome, tokens: tokensOf(outcome) };
}

/** `POST /v1/chat/completions` naming the conversation in `X-Sightline-Conversation-Id`. */
export async function complete(
  app: App,
  user: string,
  conversationId: string,
  input: string,
): Promise<Tokens> {
  const response = await app.request('/v1/chat/completions', {
    method: 'POST',
    headers: headers(user, { 'x-sightline-conversation-id': conversationId }),
    body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: input }] }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
  return { input: body.usage.prompt_tokens, output: body.usage.completion_tokens };
}

/** Adds up tokens per user. */
export class TokenLedger {
  readonly #byUser = new Map<string, Tokens>();

  add(user: string, tokens: Tokens): void {
    const sum = this.of(user);
    this.#byUser.set(user, { input: sum.input + tokens.input, output: sum.output + tokens.output });
  }

  of(user: string): Tokens {
    return this.#byUser.get(user) ?? { input: 0, output: 0 };
  }
}
