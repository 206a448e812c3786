/**
 * Managing conversations and customers (admin keys only): rename and mark a conversation
 * (`PATCH /v1/conversations/:id`), and erase a conversation or a customer with everything of theirs
 * (`DELETE /v1/conversations/:id`, `DELETE /v1/customers/:id`, right to erasure; erasure.ts).
 * Mounted before the read routes, so these methods answer before the read routes' key check runs.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  conversationPatchSchema,
  conversationSummarySchema,
  erasureReceiptSchema,
  idString,
  toFieldIssues,
  ValidationError,
} from '@sightline/core';
import { readJsonBody, validationHook } from '@sightline/core/http';
import type { Store } from '@sightline/store';
import { bearerSecurity, errorResponses, errorSchema, jsonResponse } from '../api-schemas.ts';
import { type AppEnv, type KeyCache, requireKey, SCOPES } from '../auth.ts';
import type { Eraser } from '../erasure.ts';
import { ServerError } from '../errors.ts';

export interface ConversationAdminDeps {
  store: Store;
  keys: KeyCache;
  eraser: Eraser;
}

const idParam = z.object({ id: idString });

const ERASURE_NOTES =
  'Synchronous: answered once everything is erased, on SQLite and PostgreSQL alike; what it counted is taken out of every rollup, so metrics read as if it had never been sent. Idempotent: a repeated delete answers zeros. Ids of erased events stay recorded, so an old event re-sent by a tracker is a `duplicate` and not stored again; new events under the same id start a new conversation.';

/** The admin router for conversations and customers. */
export function conversationAdminRoutes(deps: ConversationAdminDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const admin = requireKey(deps.keys, SCOPES.admin);
  app.openAPIRegistry.registerPath({
    method: 'patch',
    path: '/v1/conversations/{id}',
    tags: ['Conversations'],
    summary: 'Rename or mark a conversation',
    description:
      '`name` renames it (what the list and the dashboard show; the name its tracker sends is kept underneath and comes back with `name: null`); `marked` marks it as important (the list filters with `marked=true`). Needs an admin key.',
    security: bearerSecurity,
    request: {
      params: idParam,
      body: { required: true, content: { 'application/json': { schema: conversationPatchSchema } } },
    },
    responses: {
      200: jsonResponse(conversationSummarySchema, 'The conversation as it now reads'),
      ...errorResponses,
      404: jsonResponse(errorSchema, 'Not found in this project'),
    },
  });
  const eraseConversation = createRoute({
    method: 'delete',
    path: '/v1/conversations/{id}',
    tags: ['Conversations'],
    summary: 'Erase a conversation and everything of it',
    description: `Removes its messages, steps, feedback, aliases, the ingestion page's samples naming it, its part of every rollup and of its customer's totals, its events in live feeds, and (with \`sightline start\`) the served agents' session and paused runs of it. ${ERASURE_NOTES} Needs an admin key.`,
    security: bearerSecurity,
    middleware: [admin] as const,
    request: { params: idParam },
    responses: { 200: jsonResponse(erasureReceiptSchema, 'What was erased'), ...errorResponses },
  });
  const eraseCustomer = createRoute({
    method: 'delete',
    path: '/v1/customers/{id}',
    tags: ['Customers'],
    summary: 'Erase a customer and all their conversations (right to erasure)',
    description: `Erases every conversation of the customer (as \`DELETE /v1/conversations/:id\` does), their activity, usage per day and totals, samples naming them, and (with \`sightline start\`) the served agents' sessions, paused runs and runs of the served user of that id. ${ERASURE_NOTES} Needs an admin key.`,
    security: bearerSecurity,
    middleware: [admin] as const,
    request: { params: idParam },
    responses: { 200: jsonResponse(erasureReceiptSchema, 'What was erased'), ...errorResponses },
  });

  app.patch('/v1/conversations/:id', admin, async (c) => {
    const id = checkedId(c.req.param('id'));
    const parsed = conversationPatchSchema.safeParse(await readJsonBody(c, { maxBytes: 16 * 1024 }));
    if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error.issues));
    const conversation = await deps.store.updateConversation(c.get('auth').projectId, id, parsed.data);
    if (!conversation)
      throw new ServerError('not_found', `conversation ${JSON.stringify(id)} does not exist in this project`);
    return c.json(conversation, 200);
  });
  app.openapi(eraseConversation, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await deps.eraser.erase(c.get('auth').projectId, { kind: 'conversation', id }), 200);
  });
  app.openapi(eraseCustomer, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await deps.eraser.erase(c.get('auth').projectId, { kind: 'customer', id }), 200);
  });
  return app;
}

/** A conversation id from the path, or 400 naming `id`. */
function checkedId(id: string): string {
  const checked = idString.safeParse(id);
  if (!checked.success) throw new ValidationError(toFieldIssues(checked.error.issues, ['id']));
  return checked.data;
}
