/**
 * Any AI SDK provider through `aisdk()` of @openai/agents-extensions, here an OpenAI-compatible server
 * (what Ollama, vLLM, LM Studio... expose) reached with `createOpenAI({ baseURL })`, against a local fake
 * server: tool calls, streaming, and its generation spans traced as llm steps with the server's usage.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAI } from '@ai-sdk/openai';
import { Agent, type Model, Runner, tool } from '@openai/agents';
import { aisdk } from '@openai/agents-extensions/ai-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRecordingTracker } from '../testing/recording-tracker.ts';
import { instrumentAgents, uninstrumentAgents } from './instrument.ts';

interface ChatRequest {
  model: string;
  stream?: boolean;
  messages: Array<{ role: string; content: unknown }>;
  tools?: Array<{ function: { name: string } }>;
}

const requests: ChatRequest[] = [];
let server: Server;
let baseURL: string;

/** Answers like an OpenAI-compatible server: a tool call when the last message is the user's, else text. */
function answer(request: ChatRequest): { toolCall?: { name: string; arguments: string }; text?: string } {
  const last = request.messages.at(-1);
  if (last?.role === 'user' && request.tools?.length) {
    return { toolCall: { name: 'get_weather', arguments: '{"city":"Paris"}' } };
  }
  return { text: `Forecast: ${String(last?.content)}` };
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const request = JSON.parse(raw) as ChatRequest;
    requests.push(request);
    const { toolCall, text } = answer(request);
    const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };
    const toolCalls = toolCall ? [{ id: 'call_1', type: 'function', function: toolCall }] : undefined;
    const finish = toolCall ? 'tool_calls' : 'stop';
    if (!request.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      const message = {
        role: 'assistant',
        content: text ?? null,
        ...(toolCalls ? { tool_calls: toolCalls } : {}),
      };
      res.end(
        JSON.stringify({
          id: 'c1',
          object: 'chat.completion',
          created: 1,
          model: request.model,
          choices: [{ index: 0, message, finish_reason: finish }],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (delta: unknown, finish_reason: string | null, extra = {}) =>
      res.write(
        `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: request.model, choices: [{ index: 0, delta, finish_reason }], ...extra })}\n\n`,
      );
    if (toolCalls)
      chunk({ role: 'assistant', tool_calls: toolCalls.map((call, index) => ({ index, ...call })) }, null);
    for (const word of (text ?? '').split(/(?<= )/)) if (word) chunk({ content: word }, null);
    chunk({}, finish, { usage });
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(async () => {
  await uninstrumentAgents();
});

function weatherAgent(): Agent {
  const ollama = createOpenAI({ baseURL, apiKey: 'ollama', name: 'ollama' });
  return new Agent({
    name: 'Weather',
    instructions: 'Answer weather questions with the tool.',
    // `as Model`: aisdk's declared response type trips `exactOptionalPropertyTypes` (fine at run time).
    model: aisdk(ollama.chat('llama3.2')) as unknown as Model,
    tools: [
      tool({
        name: 'get_weather',
        description: 'Weather for a city.',
        parameters: z.object({ city: z.string() }),
        execute: async ({ city }) => `sunny in ${city}`,
      }),
    ],
  });
}

describe('aisdk() with an OpenAI-compatible server (Ollama, vLLM) via createOpenAI({ baseURL })', () => {
  it('runs the agent loop (tool call, then answer) and traces llm steps with model, provider and usage', async () => {
    const tracker = createRecordingTracker();
    instrumentAgents(tracker);
    const result = await new Runner({ groupId: 'ollama-run' }).run(weatherAgent(), 'Weather in Paris?');
    expect(result.finalOutput).toBe('Forecast: sunny in Paris');
    expect(requests.at(-2)?.model).toBe('llama3.2');
    expect(requests.at(-1)?.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    const llm = tracker.stepsOf('ollama-run', 'llm');
    expect(llm.map((step) => step.usage)).toEqual([
      {
        model: 'ollama.chat:llama3.2',
        provider: 'ollama',
        inputTokens: 11,
        outputTokens: 7,
        totalTokens: 18,
      },
      {
        model: 'ollama.chat:llama3.2',
        provider: 'ollama',
        inputTokens: 11,
        outputTokens: 7,
        totalTokens: 18,
      },
    ]);
    expect(tracker.stepsOf('ollama-run', 'tool').map((step) => step.output)).toEqual(['sunny in Paris']);
    expect(tracker.messages.map((m) => [m.role, m.content])).toEqual([
      ['human', 'Weather in Paris?'],
      ['agent', 'Forecast: sunny in Paris'],
    ]);
  });

  it('streams text deltas from the server', async () => {
    const streamed = await new Runner({ tracingDisabled: true }).run(weatherAgent(), 'Weather in Paris?', {
      stream: true,
    });
    const deltas: string[] = [];
    for await (const delta of streamed.toTextStream()) deltas.push(delta);
    await streamed.completed;
    expect(requests.at(-1)?.stream).toBe(true);
    expect(deltas).toEqual(['Forecast: ', 'sunny ', 'in ', 'Paris']);
    expect(streamed.finalOutput).toBe('Forecast: sunny in Paris');
  });
});
