import type { Tracker } from '@sightline/tracker';
import { type Context, Hono } from 'hono';
import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { createWeatherAgent } from './weather-agent.ts';

export interface ThreadsAppOptions {
  tracker: Tracker;
  openai: OpenAI;
  model?: string;
}

interface ProcessInput {
  message_history?: unknown;
  thread_id?: unknown;
}

function invalid(field: string, message: string) {
  return {
    error: { code: 'invalid_request', message: `${field}: ${message}`, issues: [{ path: field, message }] },
  };
}

/**
 * The seed's `POST /process/`: each request runs inside its thread (`with lc.thread(thread_id=...)`
 * becomes `tracker.runInConversation(tracker.conversation(threadId, { name }), ...)`), records the
 * user and assistant messages, and runs the agent, whose steps nest under the thread.
 */
export function createThreadsApp(options: ThreadsAppOptions): Hono {
  const { tracker } = options;
  const agent = createWeatherAgent(options);
  const app = new Hono();

  const process = async (c: Context) => {
    const input = await c.req.json<ProcessInput>().catch(() => ({}) as ProcessInput);
    if (typeof input.thread_id !== 'string' || input.thread_id.length === 0) {
      return c.json(invalid('thread_id', 'required (a non-empty string)'), 400);
    }
    const history = input.message_history;
    const last = Array.isArray(history) ? (history.at(-1) as { content?: unknown } | undefined) : undefined;
    if (!Array.isArray(history) || typeof last?.content !== 'string') {
      return c.json(
        invalid('message_history', 'required: a list of messages ending with one whose content is text'),
        400,
      );
    }
    const thread = tracker.conversation(input.thread_id, { name: 'demo_thread' });
    const messages = await tracker.runInConversation(thread, async () => {
      thread.trackHumanMessage(last.content as string);
      const result = await agent.run(history as ChatCompletionMessageParam[]);
      const answer = result.at(-1);
      thread.trackAgentMessage(typeof answer?.content === 'string' ? answer.content : '');
      return result;
    });
    return c.json({ message_history: messages });
  };
  // The seed's route had a trailing slash; both forms are served.
  app.post('/process', process);
  app.post('/process/', process);
  return app;
}
