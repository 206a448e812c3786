/**
 * Acceptance: the real `openai` npm client, unmodified, talks to `POST /v1/chat/completions` of served
 * agents over a listening server (model = agent name, apiKey = the bearer token getUser reads).
 */
import { Agent, type AgentInputItem, type Model, type ModelRequest, type StreamEvent } from '@openai/agents';
import { demoModel } from '@sightline/agents';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerUser, calculatorAgent, failingAgent, weatherAgent } from '../../test/fixtures.ts';
import { type ListeningServer, listen } from '../../test/listening-server.ts';
import { type AgentsRouter, serveAgents } from './agent-routes.ts';

/** The demo model, recording what each model call was given. */
class RecordingModel implements Model {
  readonly inputs: Array<string | AgentInputItem[]> = [];
  readonly #inner = demoModel({ chunkSize: 3 });

  getResponse(request: ModelRequest) {
    this.inputs.push(structuredClone(request.input));
    return this.#inner.getResponse(request);
  }

  getStreamedResponse(request: ModelRequest) {
    this.inputs.push(structuredClone(request.input));
    return this.#inner.getStreamedResponse(request);
  }
}

/** Streams a few words, then its provider fails. */
class BreaksMidStreamModel implements Model {
  async getResponse(): Promise<never> {
    throw Object.assign(new Error('connection reset'), { name: 'APIConnectionError', status: 500 });
  }
  async *getStreamedResponse(): AsyncIterable<StreamEvent> {
    yield { type: 'response_started' };
    yield { type: 'output_text_delta', delta: 'Let me think' };
    throw Object.assign(new Error('connection reset'), { name: 'APIConnectionError', status: 500 });
  }
}

const recording = new RecordingModel();
let router: AgentsRouter;
let server: ListeningServer;

beforeAll(async () => {
  router = serveAgents({
    agents: [
      calculatorAgent(),
      weatherAgent(),
      failingAgent(),
      new Agent({ name: 'echo', instructions: 'Repeat.', model: recording }),
      new Agent({ name: 'breaks', instructions: 'x', model: new BreaksMidStreamModel() }),
    ],
    getUser: bearerUser,
    tracker: false,
  });
  server = await listen(router);
});

afterAll(async () => {
  await router.close();
  await server.close();
});

function client(apiKey = 'alice-token'): OpenAI {
  return new OpenAI({ apiKey, baseURL: `${server.url}/v1`, maxRetries: 0, timeout: 10_000 });
}

/** Sightline's extra field on a completion. */
function sightlineOf(completion: unknown) {
  return (completion as { sightline: { runId: string; conversationId: string; status: string } }).sightline;
}

describe('the openai client against POST /v1/chat/completions', () => {
  it('gets a chat.completion with the agent’s answer, usage and run ids', async () => {
    const completion = await client().chat.completions.create({
      model: 'calculator',
      messages: [{ role: 'user', content: 'what is 2 + 3' }],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('calculator');
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0]?.message).toMatchObject({
      role: 'assistant',
      content: '[demo model] The answer is 5.',
    });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
    expect(sightlineOf(completion)).toMatchObject({ status: 'completed', runId: expect.any(String) });
    expect(completion.id).toBe(`chatcmpl-${sightlineOf(completion).runId}`);
  });

  it('streams chat.completion.chunk events that add up to the answer', async () => {
    const stream = await client().chat.completions.create({
      model: 'calculator',
      messages: [{ role: 'user', content: 'what is 100 + 23' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('[demo model] The answer is 123.');
    // The answer came in several deltas (the demo model streams 4 characters at a time).
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length).toBeGreaterThan(3);
    const finishes = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.finish_reason));
    expect(finishes.filter((reason) => reason !== null)).toEqual(['stop']);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('streams without a usage chunk unless asked', async () => {
    const stream = await client().chat.completions.create({
      model: 'weather',
      messages: [{ role: 'user', content: 'weather in Lima?' }],
      stream: true,
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toContain(
      'Sunny in Lima (asked by Alice)',
    );
  });

  it('gives the agent the whole history, in order, and answers the last user message', async () => {
    recording.inputs.length = 0;
    const completion = await client().chat.completions.create({
      model: 'echo',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello there' },
        { role: 'assistant', content: 'Hello! How can I help?' },
        { role: 'developer', content: 'Answer in English.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'good ' },
            { type: 'text', text: 'morning' },
          ],
        },
      ],
    });
    expect(completion.choices[0]?.message.content).toMatch(/^\[demo model\] Hello! I am Sightline/);
    expect(recording.inputs).toHaveLength(1);
    const seen = (recording.inputs[0] as AgentInputItem[]).map((item) => {
      const message = item as { role: string; content: string | Array<{ text: string }> };
      const text =
        typeof message.content === 'string' ? message.content : message.content.map((p) => p.text).join('');
      return `${message.role}: ${text}`;
    });
    expect(seen).toEqual([
      'system: Be brief.',
      'user: hello there',
      'assistant: Hello! How can I help?',
      'system: Answer in English.',
      'user: good morning',
    ]);
    // Nothing was stored: the same history again gives the same single-run input.
    recording.inputs.length = 0;
    await client().chat.completions.create({
      model: 'echo',
      messages: [{ role: 'user', content: 'hello again' }],
    });
    expect(recording.inputs[0]).toHaveLength(1);
  });

  it('passes the user from the API key to the agent, and names the tracked conversation from a header', async () => {
    const completion = await client('bob-token').chat.completions.create(
      { model: 'weather', messages: [{ role: 'user', content: 'weather in Oslo?' }] },
      { headers: { 'X-Sightline-Conversation-Id': 'support-42' } },
    );
    expect(completion.choices[0]?.message.content).toContain('Sunny in Oslo (asked by Bob)');
    expect(sightlineOf(completion).conversationId).toBe('support-42');
  });

  it('surfaces an unknown model as the client’s NotFoundError, streaming or not', async () => {
    for (const stream of [false, true]) {
      const error = await client()
        .chat.completions.create({ model: 'gpt-nobody', messages: [{ role: 'user', content: 'hi' }], stream })
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error, `stream: ${stream}`).toBeInstanceOf(OpenAI.NotFoundError);
      expect((error as InstanceType<typeof OpenAI.NotFoundError>).status).toBe(404);
      expect((error as Error).message).toContain('no agent named "gpt-nobody"');
      expect((error as Error).message).toContain('calculator');
    }
  });

  it('surfaces a bad API key as AuthenticationError and bad messages as BadRequestError naming the field', async () => {
    await expect(
      client('wrong-key').chat.completions.create({
        model: 'calculator',
        messages: [{ role: 'user', content: 'what is 1 + 1' }],
      }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const toolResult = await client()
      .chat.completions.create({
        model: 'calculator',
        messages: [
          { role: 'user', content: 'what is 1 + 1' },
          { role: 'tool', tool_call_id: 'call_1', content: '2' },
        ],
      })
      .catch((caught: unknown) => caught);
    expect(toolResult).toBeInstanceOf(OpenAI.BadRequestError);
    expect(JSON.stringify((toolResult as InstanceType<typeof OpenAI.BadRequestError>).error)).toContain(
      'messages.1.role',
    );
    const empty = await client()
      .chat.completions.create({ model: 'calculator', messages: [] })
      .catch((caught: unknown) => caught);
    expect(empty).toBeInstanceOf(OpenAI.BadRequestError);
    expect(JSON.stringify((empty as InstanceType<typeof OpenAI.BadRequestError>).error)).toContain(
      'messages',
    );
  });

  it('surfaces a failing model as a 502 APIError, streaming or not', async () => {
    for (const stream of [false, true]) {
      const error = await client()
        .chat.completions.create({ model: 'failing', messages: [{ role: 'user', content: 'hi' }], stream })
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error, `stream: ${stream}`).toBeInstanceOf(OpenAI.InternalServerError);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
      expect((error as Error).message).toContain('the model provider failed: upstream said 503');
    }
  });

  it('ends a stream that fails midway with an error the client throws, after the text so far', async () => {
    const stream = await client().chat.completions.create({
      model: 'breaks',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    let text = '';
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((caught: unknown) => caught);
    expect(text).toBe('Let me think');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain('connection reset');
  });

  it('refuses a message longer than maxInputChars, naming it', async () => {
    const error = await client()
      .chat.completions.create({
        model: 'calculator',
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'user', content: 'x'.repeat(100_001) },
        ],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const body = JSON.stringify((error as InstanceType<typeof OpenAI.BadRequestError>).error);
    expect(body).toContain('messages.1.content');
    expect(body).toContain('100000');
  });

  it('tells where to approve a paused run, and the run completes when approved there', async () => {
    const completion = await client().chat.completions.create({
      model: 'calculator',
      messages: [{ role: 'user', content: 'what is 6 * 7' }],
    });
    const { runId, status } = sightlineOf(completion);
    expect(status).toBe('awaiting_approval');
    const content = completion.choices[0]?.message.content ?? '';
    expect(content).toBe(
      `Waiting for approval to run calculate: POST /agents/calculator/runs/${runId}/approvals`,
    );
    const approvals = (completion as unknown as { sightline: { approvals: Array<{ approvalId: string }> } })
      .sightline.approvals;
    const response = await fetch(`${server.url}/agents/calculator/runs/${runId}/approvals`, {
      method: 'POST',
      headers: { authorization: 'Bearer alice-token', 'content-type': 'application/json' },
      body: JSON.stringify({ approvals: [{ approvalId: approvals[0]?.approvalId, approved: true }] }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'completed',
      output: '[demo model] The answer is 42.',
    });
  });
});

describe('a slow agent', () => {
  it('keeps a quiet stream alive with SSE comments the openai client skips', async () => {
    const slow = serveAgents({
      agents: [calculatorAgent({ latencyMs: 80 })],
      getUser: bearerUser,
      tracker: false,
      keepAliveMs: 15,
    });
    const slowServer = await listen(slow);
    try {
      const request = {
        model: 'calculator',
        messages: [{ role: 'user' as const, content: 'what is 4 + 4' }],
        stream: true as const,
      };
      const raw = await fetch(`${slowServer.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer alice-token', 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      const text = await raw.text();
      expect(text).toContain(': keep-alive\n\n');
      expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
      const openai = new OpenAI({ apiKey: 'alice-token', baseURL: `${slowServer.url}/v1`, maxRetries: 0 });
      let answer = '';
      for await (const chunk of await openai.chat.completions.create(request)) {
        answer += chunk.choices[0]?.delta.content ?? '';
      }
      expect(answer).toBe('[demo model] The answer is 8.');
    } finally {
      await slow.close();
      await slowServer.close();
    }
  });
});
