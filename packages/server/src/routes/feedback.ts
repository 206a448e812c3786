/** `POST /v1/feedback`: records a sentiment or score on a conversation (or one of its messages). */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { feedbackBodySchema, newId, parseIngestEvent, ValidationError } from '@sightline/core';
import { readJsonBody } from '@sightline/core/http';
import type { Store } from '@sightline/store';
import { errorResponses, errorSchema } from '../api-schemas.ts';
import { type AppEnv, type KeyCache, requireKey, SCOPES } from '../auth.ts';
import { ServerError } from '../errors.ts';
import type { WriteQueue } from '../write-queue.ts';

export interface FeedbackDeps {
  store: Store;
  queue: WriteQueue;
  keys: KeyCache;
}

/** The feedback router (needs an ingest key: feedback is written like any event). */
export function feedbackRoutes(deps: FeedbackDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/v1/feedback',
    tags: ['Feedback'],
    summary: 'Record feedback on a conversation or message',
    security: [{ Bearer: [] }],
    request: { body: { required: true, content: { 'application/json': { schema: feedbackBodySchema } } } },
    responses: {
      201: {
        description: 'Recorded',
        content: { 'application/json': { schema: z.object({ id: z.string() }) } },
      },
      ...errorResponses,
      404: {
        description: 'No such conversation in this project',
        content: { 'application/json': { schema: errorSchema } },
      },
    },
  });
  app.post('/v1/feedback', requireKey(deps.keys, SCOPES.ingest), async (c) => {
    const { projectId } = c.get('auth');
    const body = await readJsonBody(c, { maxBytes: 64 * 1024 });
    const id = newId();
    const parsed = parseIngestEvent({ id, type: 'feedback', timestamp: new Date().toISOString(), body }, 0);
    if ('issues' in parsed) {
      throw new ValidationError(
        parsed.issues.map((issue) => ({
          ...issue,
          path: issue.path.replace(/^events\.0\.body\.?/, '') || 'body',
        })),
      );
    }
    if (!(await deps.store.hasConversation(projectId, parsed.body.conversationId))) {
      throw new ServerError(
        'not_found',
        `conversationId: conversation ${JSON.stringify(parsed.body.conversationId)} does not exist in this project`,
        {
          issues: [{ path: 'conversationId', message: 'no such conversation' }],
        },
      );
    }
    const { rejected } = await deps.queue.submit(projectId, [parsed]);
    const refused = rejected.get(parsed.id);
    if (refused) throw new ValidationError(refused.map((issue) => ({ ...issue, path: 'body' })));
    return c.json({ id: parsed.type === 'feedback' ? (parsed.body.feedbackId ?? id) : id }, 201);
  });
  return app;
}
