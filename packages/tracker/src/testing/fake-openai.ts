import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A deterministic, offline stand-in for the OpenAI API (`/v1/chat/completions` and
 * `/v1/responses`, JSON and SSE streaming), for tests and examples that must run without a key
 * or network. Rule-based: a question about the weather gets a `get_current_weather` tool call, a
 * question with arithmetic (`127 * 8`) gets a `calculate` tool call, when the tools are offered
 * and no tool result follows the question yet; otherwise the answer repeats the question or
 * summarizes the tool results. Token usage counts words.
 */

interface ChatMessage {
  role: string;
  content?: unknown;
  tool_calls?: unknown[];
}

interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** What the fake decided to answer. */
export interface FakeReply {
  text: string;
  toolCalls: ToolCall[];
  inputTokens: number;
  outputTokens: number;
}

/** One request the fake answered (for assertions). */
export interface FakeOpenAIRequest {
  path: string;
  stream: boolean;
  model: string;
  reply: FakeReply;
}

export class FakeOpenAI {
  readonly requests: FakeOpenAIRequest[] = [];
  /** Delay before the first streamed chunk, so time-to-first-token is measurable. */
  firstChunkDelayMs = 15;
  private server: Server | undefined;
  private counter = 0;

  /** Starts listening on a free port; resolves to the base URL for the `openai` client (`.../v1`). */
  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      void this.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: String(error), type: 'server_error' } }));
      });
    });
    // A backlog above Node's 511: load tests open a thousand connections at once.
    await new Promise<void>((resolve) =>
      this.server?.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve),
    );
    return this.baseURL;
  }

  get baseURL(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    return `http://127.0.0.1:${address?.port}/v1`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    const path = (request.url ?? '').replace(/\?.*$/, '');
    const model = String(body.model ?? 'gpt-4o-mini');
    const stream = body.stream === true;
    if (path === '/v1/chat/completions') {
      const reply = decide(body.messages as ChatMessage[], hasTools(body.tools), () => this.nextId('call'));
      this.requests.push({ path, stream, model, reply });
      const includeUsage =
        (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
      if (stream) return this.streamChat(response, model, reply, includeUsage);
      return json(response, chatCompletion(this.nextId('chatcmpl'), model, reply));
    }
    if (path === '/v1/responses') {
      const reply = decide(responsesInput(body), hasTools(body.tools), () => this.nextId('call'));
      this.requests.push({ path, stream, model, reply });
      const result = responseObject(this.nextId('resp'), model, reply, () => this.nextId('item'));
      if (stream) return this.streamResponse(response, result);
      return json(response, result);
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: `no route ${path}`, type: 'invalid_request_error' } }));
  }

  private async streamChat(response: ServerResponse, model: string, reply: FakeReply, includeUsage: boolean) {
    const id = this.nextId('chatcmpl');
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    });
    startSse(response);
    await sleep(this.firstChunkDelayMs);
    send(response, chunk({ role: 'assistant', content: '' }, null));
    for (const piece of words(reply.text)) send(response, chunk({ content: piece }, null));
    reply.toolCalls.forEach((call, index) => {
      send(
        response,
        chunk(
          {
            tool_calls: [
              { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
            ],
          },
          null,
        ),
      );
      send(response, chunk({ tool_calls: [{ index, function: { arguments: call.arguments } }] }, null));
    });
    send(response, chunk({}, reply.toolCalls.length > 0 ? 'tool_calls' : 'stop'));
    if (includeUsage)
      send(response, {
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [],
        usage: usage(reply),
      });
    response.end('data: [DONE]\n\n');
  }

  private async streamResponse(response: ServerResponse, result: Record<string, unknown>) {
    startSse(response);
    let sequence = 0;
    const event = (type: string, data: Record<string, unknown>) => {
      response.write(
        `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`,
      );
    };
    const inProgress = { ...result, status: 'in_progress', output: [], usage: null };
    event('response.created', { response: inProgress });
    await sleep(this.firstChunkDelayMs);
    const output = result.output as Array<Record<string, unknown>>;
    output.forEach((item, outputIndex) => {
      if (item.type === 'message') {
        const text = ((item.content as Array<{ text: string }>)[0] as { text: string }).text;
        event('response.output_item.added', {
          output_index: outputIndex,
          item: { ...item, status: 'in_progress', content: [] },
        });
        const part = { type: 'output_text', text: '', annotations: [] };
        event('response.content_part.added', {
          item_id: item.id,
          output_index: outputIndex,
          content_index: 0,
          part,
        });
        for (const delta of words(text)) {
          event('response.output_text.delta', {
            item_id: item.id,
            output_index: outputIndex,
            content_index: 0,
            delta,
            logprobs: [],
          });
        }
        event('response.output_text.done', {
          item_id: item.id,
          output_index: outputIndex,
          content_index: 0,
          text,
          logprobs: [],
        });
        event('response.content_part.done', {
          item_id: item.id,
          output_index: outputIndex,
          content_index: 0,
          part: { ...part, text },
        });
      } else {
        event('response.output_item.added', {
          output_index: outputIndex,
          item: { ...item, arguments: '', status: 'in_progress' },
        });
        event('response.function_call_arguments.delta', {
          item_id: item.id,
          output_index: outputIndex,
          delta: item.arguments,
        });
        event('response.function_call_arguments.done', {
          item_id: item.id,
          output_index: outputIndex,
          arguments: item.arguments,
        });
      }
      event('response.output_item.done', { output_index: outputIndex, item });
    });
    event('response.completed', { response: result });
    response.end();
  }

  private nextId(prefix: string): string {
    return `${prefix}_${(++this.counter).toString().padStart(6, '0')}`;
  }
}

/** Starts a fake OpenAI server; remember to `stop()` it. */
export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const fake = new FakeOpenAI();
  await fake.start();
  return fake;
}

/** The fake's rules, exported so examples and tests agree on what the "model" says. */
export function decide(
  messages: ChatMessage[] | undefined,
  toolsOffered: Set<string>,
  nextId: () => string,
): FakeReply {
  const history = Array.isArray(messages) ? messages : [];
  const lastUser = history.findLastIndex((message) => message.role === 'user');
  const question = textOf(history[lastUser]?.content);
  const toolResults = history.slice(lastUser + 1).filter((message) => message.role === 'tool');
  const inputTokens = history.reduce((sum, message) => sum + countWords(textOf(message.content)), 0);
  const reply = (text: string, toolCalls: ToolCall[] = []): FakeReply => ({
    text,
    toolCalls,
    inputTokens,
    outputTokens: countWords(text) + toolCalls.length * 8,
  });
  if (toolResults.length > 0) {
    return reply(`Based on the tools: ${toolResults.map((message) => textOf(message.content)).join('; ')}`);
  }
  const weather = /weather in ([A-Za-z .,]+?)[?.!]*$/i.exec(question);
  if (weather && toolsOffered.has('get_current_weather')) {
    const location = (weather[1] as string).trim();
    return reply('', [
      { id: nextId(), name: 'get_current_weather', arguments: JSON.stringify({ location }) },
    ]);
  }
  const math = /(-?\d+(?:\.\d+)?\s*[-+*/x×]\s*-?\d+(?:\.\d+)?)/.exec(
    question.replace(/multiplied by/gi, '*'),
  );
  if (math && toolsOffered.has('calculate')) {
    const expression = (math[1] as string).replace(/[x×]/g, '*');
    return reply('', [{ id: nextId(), name: 'calculate', arguments: JSON.stringify({ expression }) }]);
  }
  return reply(question ? `You said: ${question}` : 'Hello! How can I help?');
}

function hasTools(tools: unknown): Set<string> {
  const names = new Set<string>();
  if (!Array.isArray(tools)) return names;
  for (const tool of tools as Array<{ name?: string; function?: { name?: string } }>) {
    const name = tool.function?.name ?? tool.name;
    if (name) names.add(name);
  }
  return names;
}

/** Responses API input (string or items) as chat messages, so one set of rules serves both APIs. */
function responsesInput(body: Record<string, unknown>): ChatMessage[] {
  const input = body.input;
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) return [];
  return (input as Array<Record<string, unknown>>).map((item) => {
    if (item.type === 'function_call_output') return { role: 'tool', content: item.output };
    if (item.type === 'function_call') return { role: 'assistant', content: '' };
    return { role: String(item.role ?? 'user'), content: item.content };
  });
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === 'string' ? part : String((part as { text?: unknown }).text ?? '')))
      .join('');
  }
  return '';
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function words(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [];
}

function usage(reply: FakeReply) {
  return {
    prompt_tokens: reply.inputTokens,
    completion_tokens: reply.outputTokens,
    total_tokens: reply.inputTokens + reply.outputTokens,
  };
}

function chatCompletion(id: string, model: string, reply: FakeReply) {
  const message: Record<string, unknown> = { role: 'assistant', content: reply.text || null, refusal: null };
  if (reply.toolCalls.length > 0) {
    message.tool_calls = reply.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message,
        finish_reason: reply.toolCalls.length > 0 ? 'tool_calls' : 'stop',
        logprobs: null,
      },
    ],
    usage: usage(reply),
  };
}

function responseObject(
  id: string,
  model: string,
  reply: FakeReply,
  nextId: () => string,
): Record<string, unknown> {
  const output: Array<Record<string, unknown>> = reply.toolCalls.map((call) => ({
    type: 'function_call',
    id: nextId(),
    call_id: call.id,
    name: call.name,
    arguments: call.arguments,
    status: 'completed',
  }));
  if (reply.text) {
    output.push({
      type: 'message',
      id: nextId(),
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: reply.text, annotations: [] }],
    });
  }
  return {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    model,
    output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: {
      input_tokens: reply.inputTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: reply.outputTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: reply.inputTokens + reply.outputTokens,
    },
  };
}

function json(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function startSse(response: ServerResponse): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
}

function send(response: ServerResponse, data: unknown): void {
  response.write(`data: ${JSON.stringify(data)}\n\n`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
