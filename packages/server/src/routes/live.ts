/** `GET /v1/live`: Server-Sent Events of a project's new events as they are committed. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import { errorResponses } from '../api-schemas.ts';
import { type AppEnv, type KeyCache, requireKey, SCOPES } from '../auth.ts';
import type { LiveBatch, LiveFeed } from '../live-feed.ts';

export interface LiveDeps {
  live: LiveFeed;
  keys: KeyCache;
  /** Interval of keep-alive comments, in ms. */
  keepAliveMs?: number;
  /** Resolves when the server begins shutting down, to end open streams. */
  closing: Promise<void>;
}

/** The live-feed router (read key, also accepted as `?access_token=` for EventSource). */
export function liveRoutes(deps: LiveDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/v1/live',
    tags: ['Live'],
    summary: 'Stream new events of the project (SSE)',
    description:
      'Each SSE message has `event:` = the event type (message, step, feedback, conversation, score), `id:` = the event id, and `data:` = `{ id, type, timestamp, conversationId, customerId, summary }` (`LiveEvent` of @sightline/core). A `lagged` message says how many events a slow reader missed. An `erased` message (`{ kind: conversation | customer, id, conversationIds }`, `LiveErasure`) says a conversation or a customer was erased: drop what you show of them. EventSource clients may pass the key as `?access_token=`.',
    security: [{ Bearer: [] }],
    responses: {
      200: { description: 'An SSE stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
      ...errorResponses,
    },
  });
  app.get('/v1/live', requireKey(deps.keys, SCOPES.read, { allowQueryToken: true }), (c) => {
    const { projectId } = c.get('auth');
    return streamSSE(c, async (stream) => {
      const subscription = deps.live.subscribe(projectId);
      let closed = false;
      const close = () => {
        closed = true;
        subscription.close();
      };
      stream.onAbort(close);
      void deps.closing.then(close);
      await stream.writeSSE({ event: 'ready', data: JSON.stringify({ projectId }) });
      while (!closed && !stream.aborted) {
        const batch = await subscription.next(deps.keepAliveMs ?? 15_000);
        if (closed || stream.aborted) break;
        await writeBatch(stream, batch);
      }
      close();
    });
  });
  return app;
}

/** Writes what a subscriber received: how many it missed, erasures, events (or a keep-alive comment). */
async function writeBatch(stream: SSEStreamingApi, batch: LiveBatch): Promise<void> {
  const { events, dropped, erased } = batch;
  if (dropped > 0) await stream.writeSSE({ event: 'lagged', data: JSON.stringify({ dropped }) });
  for (const erasure of erased) await stream.writeSSE({ event: 'erased', data: JSON.stringify(erasure) });
  if (events.length === 0 && erased.length === 0) await stream.write(': keep-alive\n\n');
  for (const event of events)
    await stream.writeSSE({ event: event.type, id: event.id, data: JSON.stringify(event) });
}
