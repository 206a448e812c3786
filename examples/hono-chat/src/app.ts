import { generateConversationId, type Tracker } from '@sightline/tracker';
import { sightlineHono } from '@sightline/tracker/hono';
import { Hono } from 'hono';
import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { chatTools } from './tools.ts';

export interface ChatAppOptions {
  tracker: Tracker;
  /** An `openai` client (instrumented with `instrumentOpenAI` to record each model call). */
  openai: OpenAI;
  model?: string;
  /** Most model round trips per question in the tool-using endpoint. */
  maxIterations?: number;
}

interface ChatRequest {
  message?: unknown;
  conversation_id?: unknown;
  customer_id?: unknown;
}

/**
 * The seeds' two endpoints in Hono: `POST /chat` (question in, answer out) and `POST /chat/tools`
 * (an agent loop with `calculate` and `get_weather`). Tracking calls only append to memory; the
 * tracker sends in the background, so the seeds' `send_tracked_data()` background task is not needed.
 */
export function createChatApp(options: ChatAppOptions): Hono {
  const { tracker, openai } = options;
  const model = options.model ?? 'gpt-4o-mini';
  const maxIterations = options.maxIterations ?? 5;
  const tools = chatTools(tracker);
  const app = new Hono();
  app.use('*', sightlineHono({ tracker }));

  const readRequest = async (body: ChatRequest) => {
    if (typeof body.message !== 'string' || body.message.length === 0) return null;
    const conversationId =
      typeof body.conversation_id === 'string' ? body.conversation_id : generateConversationId();
    const customerId = typeof body.customer_id === 'string' ? body.customer_id : undefined;
    return { message: body.message, conversationId, customerId };
  };

  app.post('/chat', async (c) => {
    const request = await readRequest(await c.req.json<ChatRequest>().catch(() => ({})));
    if (!request)
      return c.json(
        { error: { code: 'invalid_request', message: 'message: required (a non-empty string)' } },
        400,
      );
    tracker.getOrCreateConversation({
      conversationId: request.conversationId,
      ...(request.customerId ? { customerId: request.customerId } : {}),
      source: 'api',
      device: 'desktop',
      name: 'Hono Chat',
    });
    tracker.trackHumanMessage(request.message, {
      metadata: { endpoint: '/chat', message_length: request.message.length },
    });
    const started = Date.now();
    const completion = await openai.chat.completions.create({
      model,
      messages: [{ role: 'user', content: request.message }],
    });
    const answer = completion.choices[0]?.message.content ?? '';
    tracker.trackAgentMessage(answer, { metadata: { model, response_time_ms: Date.now() - started } });
    return c.json({ response: answer, conversation_id: request.conversationId });
  });

  app.post('/chat/tools', async (c) => {
    const request = await readRequest(await c.req.json<ChatRequest>().catch(() => ({})));
    if (!request)
      return c.json(
        { error: { code: 'invalid_request', message: 'message: required (a non-empty string)' } },
        400,
      );
    tracker.getOrCreateConversation({
      conversationId: request.conversationId,
      ...(request.customerId ? { customerId: request.customerId } : {}),
      source: 'api',
      name: 'Agent Chat with Tools',
    });
    tracker.trackHumanMessage(request.message, {
      metadata: { endpoint: '/chat/tools', has_customer_id: request.customerId !== undefined },
    });
    const started = Date.now();
    try {
      const messages: ChatCompletionMessageParam[] = [
        { role: 'system', content: 'You are a helpful assistant. Use the tools for math and weather.' },
        { role: 'user', content: request.message },
      ];
      const toolsUsed: string[] = [];
      let answer = '';
      for (let iteration = 0; iteration < maxIterations; iteration++) {
        const completion = await openai.chat.completions.create({
          model,
          messages,
          tools: Object.values(tools).map((tool) => tool.definition),
        });
        const message = completion.choices[0]?.message;
        if (!message) break;
        messages.push(message);
        const calls = (message.tool_calls ?? []).filter((call) => call.type === 'function');
        if (calls.length === 0) {
          answer = message.content ?? '';
          break;
        }
        for (const call of calls) {
          const tool = tools[call.function.name];
          const output = tool
            ? tool.run(JSON.parse(call.function.arguments || '{}'))
            : `unknown tool ${call.function.name}`;
          toolsUsed.push(call.function.name);
          messages.push({ role: 'tool', tool_call_id: call.id, content: output });
        }
      }
      tracker.trackAgentMessage(answer, {
        metadata: {
          model,
          response_time_ms: Date.now() - started,
          tools_available: Object.keys(tools),
          tools_used: toolsUsed,
        },
      });
      return c.json({ response: answer, conversation_id: request.conversationId, tools_used: toolsUsed });
    } catch (error) {
      tracker.trackAction({
        name: 'chat_error',
        durationMs: Date.now() - started,
        error,
        metadata: { error_type: (error as Error).name, endpoint: '/chat/tools' },
      });
      return c.json(
        { error: { code: 'upstream_failed', message: `Chat error: ${(error as Error).message}` } },
        502,
      );
    }
  });

  return app;
}
