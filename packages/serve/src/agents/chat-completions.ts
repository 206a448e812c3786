/**
 * `POST /v1/chat/completions`, OpenAI-compatible: `model` names a served agent, `messages` carry the
 * history (nothing is stored in a session; the agent runs its own tools), `stream: true` answers
 * `chat.completion.chunk` events ending with `data: [DONE]`. Any OpenAI client talks to a served agent.
 * `X-Sightline-Conversation-Id` names the conversation, tracked as the caller's own (`<user>:<id>`).
 */

import { errorBodyOf, errorHandler, readValidJson, statusOf } from '@sightline/core/http';
import { Hono } from 'hono';
import { z } from 'zod';
import { ServeError } from '../errors.ts';
import { type ServeEnv, type ServeHooks, userMiddleware } from '../http/serve-hooks.ts';
import type { AgentCatalog } from './agent-catalog.ts';
import type { AgentRuns } from './agent-runs.ts';
import { idSchema } from './chat-request.ts';
import { type TextMessage, toInputItems } from './input-items.ts';
import type { LiveRun, RunOutcome } from './live-run.ts';

const textPart = z.looseObject({ type: z.literal('text'), text: z.string() });
const chatMessage = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function'], {
    error: 'must be system, developer, user or assistant',
  }),
  content: z.union([z.string(), z.array(textPart), z.null()], {
    error: 'must be a string or an array of text parts',
  }),
});

const completionBody = z.looseObject({
  model: z.string({ error: 'must name a served agent' }).min(1, 'must name a served agent'),
  messages: z.array(chatMessage).min(1, 'must hold at least one message').max(1000),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
});

const optionalId = idSchema.optional();

interface CompletionRoutesOptions {
  runs: AgentRuns;
  catalog: AgentCatalog;
  hooks: ServeHooks<unknown>;
}

/** The OpenAI-compatible chat completions route. */
export function chatCompletionRoutes(options: CompletionRoutesOptions): Hono<ServeEnv> {
  const { runs, catalog } = options;
  const { hooks } = options;
  const app = new Hono<ServeEnv>();
  app.onError(errorHandler());
  app.use('/v1/chat/completions', userMiddleware(hooks));
  app.post('/v1/chat/completions', async (c) => {
    const body = await readValidJson(c, completionBody, { maxBytes: hooks.maxBodyBytes });
    catalog.get(body.model);
    const maxChars = hooks.maxInputChars ?? 100_000;
    const messages = body.messages.map((message, index) => toTextMessage(message, index, maxChars));
    const conversationId = optionalId.safeParse(c.req.header('x-sightline-conversation-id'));
    if (!conversationId.success) {
      throw new ServeError(
        'invalid_request',
        'X-Sightline-Conversation-Id: must be 1..256 printable characters',
      );
    }
    const { user, userId } = c.get('caller');
    const context = hooks.context
      ? await hooks.context({ user, request: c.req.raw, context: undefined })
      : (user ?? {});
    const stream = body.stream === true;
    const run = await runs.start({
      agent: body.model,
      input: toInputItems(messages),
      conversationId: conversationId.data,
      caller: { userId, customerId: userId === '' ? undefined : userId, context },
      stream,
      persist: false,
    });
    if (!stream || (run.outcome?.status === 'failed' && !run.phaseHadEvents)) {
      const outcome = await run.settled;
      if (outcome.status === 'failed') {
        return c.json(outcome, statusOf(new ServeError(outcome.error?.code ?? 'internal', '')));
      }
      return c.json(completion(body.model, outcome));
    }
    return completionStream(run, {
      model: body.model,
      includeUsage: body.stream_options?.include_usage === true,
      keepAliveMs: hooks.keepAliveMs ?? 15_000,
    });
  });
  return app;
}

function toTextMessage(message: z.infer<typeof chatMessage>, index: number, maxChars: number): TextMessage {
  if (message.role === 'tool' || message.role === 'function') {
    throw new ServeError('invalid_request', 'tool results cannot be sent: the agent runs its own tools', {
      issues: [{ path: `messages.${index}.role`, message: 'must be system, developer, user or assistant' }],
    });
  }
  const content =
    typeof message.content === 'string'
      ? message.content
      : (message.content ?? []).map((part) => part.text).join('');
  if (content.length > maxChars) {
    throw new ServeError('invalid_request', `message ${index} is longer than ${maxChars} characters`, {
      issues: [{ path: `messages.${index}.content`, message: `must be at most ${maxChars} characters` }],
    });
  }
  return { role: message.role, content };
}

function completion(model: string, outcome: RunOutcome) {
  return {
    id: `chatcmpl-${outcome.runId}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: contentOf(outcome), refusal: null },
        finish_reason: 'stop',
        logprobs: null,
      },
    ],
    usage: usageOf(outcome),
    sightline: {
      runId: outcome.runId,
      conversationId: outcome.conversationId,
      trackedConversationId: outcome.trackedConversationId,
      status: outcome.status,
      ...(outcome.approvals ? { approvals: outcome.approvals } : {}),
    },
  };
}

/** The assistant text of an outcome; a paused run says what waits for approval and where to answer. */
function contentOf(outcome: RunOutcome): string {
  if (outcome.status === 'awaiting_approval') {
    const tools = (outcome.approvals ?? []).map((approval) => approval.toolName).join(', ');
    return `Waiting for approval to run ${tools}: POST /agents/${outcome.agent}/runs/${outcome.runId}/approvals`;
  }
  if (typeof outcome.output === 'string') return outcome.output;
  return outcome.output === undefined ? '' : JSON.stringify(outcome.output);
}

function usageOf(outcome: RunOutcome) {
  return {
    prompt_tokens: outcome.usage?.inputTokens ?? 0,
    completion_tokens: outcome.usage?.outputTokens ?? 0,
    total_tokens: outcome.usage?.totalTokens ?? 0,
  };
}

/**
 * The run's UI message stream, re-encoded as chat.completion.chunk events (with `: keep-alive` comments
 * while the agent works silently, e.g. in a long tool call, so proxies keep the connection open).
 */
function completionStream(
  run: LiveRun,
  options: { model: string; includeUsage: boolean; keepAliveMs: number },
): Response {
  const { model, includeUsage } = options;
  const encoder = new TextEncoder();
  const created = Math.floor(Date.now() / 1000);
  const id = `chatcmpl-${run.runId}`;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] })}\n\n`;
  const stop = new AbortController();
  const frames = run.frames?.read(0, stop.signal);
  let timer: NodeJS.Timeout | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(chunk({ role: 'assistant', content: '' }, null)));
      timer = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(': keep-alive\n\n'));
        } catch {
          clearInterval(timer);
        }
      }, options.keepAliveMs);
      timer.unref();
    },
    async pull(controller) {
      // Loop until something is sent: a pull that enqueues nothing would never be called again.
      for (;;) {
        const next = await frames?.next();
        if (!next || next.done) {
          clearInterval(timer);
          for (const line of await closingLines(run, chunk, { id, created, model, includeUsage })) {
            controller.enqueue(encoder.encode(line));
          }
          controller.close();
          return;
        }
        const data = next.value.data;
        if (data === '[DONE]') continue;
        const part = JSON.parse(data) as { type: string; delta?: string };
        if (part.type === 'text-delta' && part.delta) {
          controller.enqueue(encoder.encode(chunk({ content: part.delta }, null)));
          return;
        }
      }
    },
    cancel() {
      clearInterval(timer);
      stop.abort();
    },
  });
  return new Response(body, {
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' },
  });
}

/** The last events of a completion stream: the finish (or the error), usage when asked, `[DONE]`. */
async function closingLines(
  run: LiveRun,
  chunk: (delta: Record<string, unknown>, finishReason: string | null) => string,
  meta: { id: string; created: number; model: string; includeUsage: boolean },
): Promise<string[]> {
  const outcome = await run.settled;
  const lines: string[] = [];
  if (outcome.status === 'failed') {
    const error = new ServeError(outcome.error?.code ?? 'internal', outcome.error?.message ?? 'run failed');
    lines.push(`data: ${JSON.stringify(errorBodyOf(error))}\n\n`);
  } else {
    if (outcome.status === 'awaiting_approval') lines.push(chunk({ content: contentOf(outcome) }, null));
    lines.push(chunk({}, 'stop'));
    if (meta.includeUsage) {
      const usage = {
        id: meta.id,
        object: 'chat.completion.chunk',
        created: meta.created,
        model: meta.model,
        choices: [],
        usage: usageOf(outcome),
      };
      lines.push(`data: ${JSON.stringify(usage)}\n\n`);
    }
  }
  lines.push('data: [DONE]\n\n');
  return lines;
}
