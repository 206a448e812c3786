/**
 * The honest anchor of bench/serve: the route a user would write without Sightline. Hono on
 * @hono/node-server, a bearer check, `run()` of `@openai/agents` with a `MemorySession` per conversation
 * (kept in a Map), the SDK's tracing off, the same demo agent as the served variants; answers JSON
 * (`{ conversationId, output }`) once the run ended, or with `Accept: text/event-stream` streams the run
 * (`stream: true`): its text deltas as SSE `data:` frames, then `[DONE]`. No durable sessions, no
 * tracking, no run records.
 */
import { MemorySession, run, setTracingDisabled } from '@openai/agents';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { assistant } from './bench-agent.ts';

/** The hand-written agent route at `POST /agents/assistant/runs` (the same path as serveAgents'). */
export function handWrittenApp(): Hono {
  setTracingDisabled(true);
  const agent = assistant();
  const sessions = new Map<string, MemorySession>();
  const app = new Hono();
  app.post('/agents/assistant/runs', async (c) => {
    if (c.req.header('authorization') !== 'Bearer bench-token') return c.json({ error: 'unauthorized' }, 401);
    const body = (await c.req.json()) as { input?: unknown; conversationId?: unknown };
    if (typeof body.input !== 'string') return c.json({ error: 'input must be a string' }, 400);
    const conversationId =
      typeof body.conversationId === 'string' ? body.conversationId : crypto.randomUUID();
    let session = sessions.get(conversationId);
    if (!session) {
      session = new MemorySession({ sessionId: conversationId });
      sessions.set(conversationId, session);
    }
    if ((c.req.header('accept') ?? '').includes('text/event-stream')) {
      const streamed = await run(agent, body.input, { session, stream: true });
      return streamSSE(c, async (sse) => {
        for await (const text of streamed.toTextStream()) await sse.writeSSE({ data: JSON.stringify(text) });
        await streamed.completed;
        await sse.writeSSE({ data: '[DONE]' });
      });
    }
    const result = await run(agent, body.input, { session });
    return c.json({ conversationId, output: result.finalOutput });
  });
  return app;
}
