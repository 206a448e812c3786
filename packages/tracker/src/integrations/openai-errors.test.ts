/**
 * A failed OpenAI call is tracked with the SDK's error class as its type (`RateLimitError`,
 * `AuthenticationError`, `NotFoundError`), not the generic `Error` the SDK's errors are named. The local
 * fake OpenAI answers the 404; 429 and 401 come from a local server answering as OpenAI does (the fake
 * has no error mode).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCollector, startFakeCollector } from '../testing/fake-collector.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../testing/fake-openai.ts';
import { createTracker, type Tracker } from '../tracker.ts';
import { instrumentOpenAI } from './openai.ts';
import { trackedOpenAIError } from './openai-errors.ts';

let collector: FakeCollector;
let provider: FakeOpenAI;
let refusing: Server;
let tracker: Tracker;

/** Answers 401 to a wrong key and 429 to anything else, with OpenAI's error bodies. */
async function startRefusingOpenAI(): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    const wrongKey = request.headers.authorization === 'Bearer sk-wrong';
    const [status, error] = wrongKey
      ? [
          401,
          { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' },
        ]
      : [429, { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' }];
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function client(baseURL: string, apiKey = 'sk-test'): OpenAI {
  return instrumentOpenAI(new OpenAI({ apiKey, baseURL, maxRetries: 0 }), { tracker });
}

async function llmErrors(conversationId: string): Promise<unknown[]> {
  await tracker.flush();
  return collector
    .eventsOf(conversationId)
    .filter((event) => event.body.type === 'llm')
    .map((event) => event.body.error);
}

beforeEach(async () => {
  collector = await startFakeCollector();
  provider = await startFakeOpenAI();
  refusing = await startRefusingOpenAI();
  tracker = createTracker({ endpoint: collector.url });
});

afterEach(async () => {
  await tracker.shutdown({ timeoutMs: 1000 });
  await provider.stop();
  refusing.closeAllConnections();
  await new Promise<void>((resolve) => refusing.close(() => resolve()));
  await collector.stop();
});

describe('tracked OpenAI errors', () => {
  it('carry the SDK class name: RateLimitError, AuthenticationError, NotFoundError', async () => {
    const refusingURL = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/v1`;
    const convo = tracker.conversation('oa-errors');
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };
    await tracker.runInConversation(convo, async () => {
      await expect(client(refusingURL).chat.completions.create(body)).rejects.toBeInstanceOf(
        OpenAI.RateLimitError,
      );
      await expect(
        client(refusingURL, 'sk-wrong').responses.create({ model: 'gpt-4.1', input: 'x' }),
      ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      const fake = client(provider.baseURL);
      await expect(fake.chat.completions.create(body, { path: '/nowhere' } as never)).rejects.toBeInstanceOf(
        OpenAI.NotFoundError,
      );
    });
    expect(await llmErrors('oa-errors')).toEqual([
      { type: 'RateLimitError', message: '429 Rate limit reached', stack: expect.any(String) },
      { type: 'AuthenticationError', message: '401 Incorrect API key provided', stack: expect.any(String) },
      { type: 'NotFoundError', message: expect.stringContaining('404'), stack: expect.any(String) },
    ]);
  });

  it('keeps an error that already names itself, and values that are not errors', () => {
    const aborted = new Error('stopped');
    aborted.name = 'AbortError';
    expect(trackedOpenAIError(aborted)).toMatchObject({ type: 'AbortError', message: 'stopped' });
    const plain = new Error('plain');
    expect(trackedOpenAIError(plain)).toBe(plain);
    expect(trackedOpenAIError('text')).toBe('text');
  });
});
