/**
 * `POST /v1/scores`: a person (or a program) scores a conversation, one of its messages or one of its
 * steps. Written like any event (redaction, write queue, live feed). `source` is `human` unless given
 * (the route people's thumbs come through; programs name theirs); `scoreId` names the score within its
 * conversation, so the same id again replaces it (a changed thumb).
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import {
  newId,
  parseIngestEvent,
  scoreBodySchema,
  scoreReceiptSchema,
  ValidationError,
} from '@sightline/core';
import { readJsonBody } from '@sightline/core/http';
import type { Store } from '@sightline/store';
import { errorResponses, errorSchema } from '../api-schemas.ts';
import { type AppEnv, type KeyCache, requireKey, SCOPES } from '../auth.ts';
import { ServerError } from '../errors.ts';
import type { WriteQueue } from '../write-queue.ts';

export interface ScoreDeps {
  store: Store;
  queue: WriteQueue;
  keys: KeyCache;
}

/** A score body as this route reads it: `source` defaults to `human`. */
function withHumanSource(raw: unknown): unknown {
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? { source: 'human', ...raw } : raw;
}

/** The scores router (ingest, chat or admin keys: SCOPES.score). */
export function scoreRoutes(deps: ScoreDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/v1/scores',
    tags: ['Scores'],
    summary: 'Score a conversation, a message or a step (a thumb, a grade, a label)',
    description:
      'Takes an ingest key (programs), a chat key (a person in the chat page) or an admin key (the dashboard). `source` defaults to `human` here (on `/v1/ingest` to `code`). `dataType` follows from the value when left out. Sending the same `scoreId` again replaces the score.',
    security: [{ Bearer: [] }],
    request: { body: { required: true, content: { 'application/json': { schema: scoreBodySchema } } } },
    responses: {
      201: { description: 'Recorded', content: { 'application/json': { schema: scoreReceiptSchema } } },
      ...errorResponses,
      404: {
        description: 'No such conversation in this project',
        content: { 'application/json': { schema: errorSchema } },
      },
    },
  });
  app.post('/v1/scores', requireKey(deps.keys, SCOPES.score), async (c) => {
    const { projectId } = c.get('auth');
    const body = withHumanSource(await readJsonBody(c, { maxBytes: 64 * 1024 }));
    const id = newId();
    const parsed = parseIngestEvent({ id, type: 'score', timestamp: new Date().toISOString(), body }, 0);
    if ('issues' in parsed) {
      throw new ValidationError(
        parsed.issues.map((issue) => ({
          ...issue,
          path: issue.path.replace(/^events\.0\.body\.?/, '') || 'body',
        })),
      );
    }
    if (parsed.type !== 'score') throw new Error('a score body parsed as another event');
    const { conversationId } = parsed.body;
    if (!(await deps.store.hasConversation(projectId, conversationId))) {
      throw new ServerError(
        'not_found',
        `conversationId: conversation ${JSON.stringify(conversationId)} does not exist in this project`,
        { issues: [{ path: 'conversationId', message: 'no such conversation' }] },
      );
    }
    const { rejected } = await deps.queue.submit(projectId, [parsed]);
    const refused = rejected.get(parsed.id);
    if (refused) throw new ValidationError(refused.map((issue) => ({ ...issue, path: 'body' })));
    return c.json({ id: parsed.body.scoreId ?? id, conversationId }, 201);
  });
  return app;
}
