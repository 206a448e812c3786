/** The read API: conversations, one conversation, metrics, customers, tool calls, ingestion health, project. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  conversationDetailSchema,
  conversationListQuerySchema,
  conversationPageSchema,
  customerListQuerySchema,
  customerPageSchema,
  ingestionHealthSchema,
  metricsQuerySchema,
  metricsResponseSchema,
  projectInfoSchema,
  storedStepSchema,
  timestamp,
} from '@sightline/core';
import { validationHook } from '@sightline/core/http';
import type { Store } from '@sightline/store';
import { errorResponses, errorSchema } from '../api-schemas.ts';
import { type AppEnv, type KeyCache, requireKey, SCOPES } from '../auth.ts';
import { ServerError } from '../errors.ts';
import { toConversationFilter, toCustomerFilter, toMetricsFilter } from './query-filters.ts';

export interface QueryDeps {
  store: Store;
  keys: KeyCache;
}

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const notFound = { 404: json(errorSchema, 'Not found in this project') };
const security = [{ Bearer: [] }];

const listConversations = createRoute({
  method: 'get',
  path: '/v1/conversations',
  tags: ['Conversations'],
  summary: 'List conversations, most recently active first',
  security,
  request: { query: conversationListQuerySchema },
  responses: { 200: json(conversationPageSchema, 'A page of conversations'), ...errorResponses },
});

const getConversation = createRoute({
  method: 'get',
  path: '/v1/conversations/{id}',
  tags: ['Conversations'],
  summary: 'One conversation: messages, step tree, feedback and totals',
  security,
  request: { params: z.object({ id: z.string().min(1).max(256) }) },
  responses: { 200: json(conversationDetailSchema, 'The conversation'), ...errorResponses, ...notFound },
});

const getMetrics = createRoute({
  method: 'get',
  path: '/v1/metrics',
  tags: ['Metrics'],
  summary: 'Metrics over time buckets, per tool and per model',
  security,
  request: { query: metricsQuerySchema },
  responses: { 200: json(metricsResponseSchema, 'Metrics'), ...errorResponses },
});

const listCustomers = createRoute({
  method: 'get',
  path: '/v1/customers',
  tags: ['Customers'],
  summary: 'Customers with usage and cost',
  security,
  request: { query: customerListQuerySchema },
  responses: { 200: json(customerPageSchema, 'A page of customers'), ...errorResponses },
});

const toolCallsQuery = z.object({
  kind: z.enum(['slowest', 'failed', 'recent']).default('slowest'),
  from: timestamp.optional(),
  to: timestamp.optional(),
  limit: z.coerce.number().int().min(1).max(100, 'must be at most 100').default(20),
});

const listToolCalls = createRoute({
  method: 'get',
  path: '/v1/tools/{name}/calls',
  tags: ['Tools'],
  summary: "A tool's slowest, failed or most recent calls, with their conversations",
  security,
  request: { params: z.object({ name: z.string().min(1).max(512) }), query: toolCallsQuery },
  responses: { 200: json(z.object({ data: z.array(storedStepSchema) }), 'Tool calls'), ...errorResponses },
});

const ingestionHealth = createRoute({
  method: 'get',
  path: '/v1/ingestion/health',
  tags: ['Ingest'],
  summary: "Rejected events with reasons, and trackers' drop counters",
  security,
  responses: { 200: json(ingestionHealthSchema, 'Ingestion health'), ...errorResponses },
});

const getProject = createRoute({
  method: 'get',
  path: '/v1/project',
  tags: ['Projects'],
  summary: "The project the API key (of any scope) belongs to, and the key's scope",
  security,
  responses: { 200: json(projectInfoSchema, 'The project'), ...errorResponses },
});

/**
 * The query router; every route reads only the key's project and needs a read or admin key, except
 * `/v1/project`, which any key of the project may ask (a tracker holding only an ingest key may learn
 * which project it writes to, a dashboard which scope its key has: the project's id, name and creation
 * time, none of its data).
 */
export function queryRoutes(deps: QueryDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const read = requireKey(deps.keys, SCOPES.read);
  for (const path of [
    '/v1/conversations',
    '/v1/conversations/*',
    '/v1/metrics',
    '/v1/customers',
    '/v1/tools/*',
    '/v1/ingestion/*',
  ]) {
    app.use(path, read);
  }
  app.use('/v1/project', requireKey(deps.keys, SCOPES.any));

  app.openapi(listConversations, async (c) => {
    const page = await deps.store.listConversations(
      c.get('auth').projectId,
      toConversationFilter(c.req.valid('query')),
    );
    return c.json(page, 200);
  });
  app.openapi(getConversation, async (c) => {
    const { id } = c.req.valid('param');
    const detail = await deps.store.getConversation(c.get('auth').projectId, id);
    if (!detail)
      throw new ServerError('not_found', `conversation ${JSON.stringify(id)} does not exist in this project`);
    return c.json(detail, 200);
  });
  app.openapi(getMetrics, async (c) => {
    const metrics = await deps.store.getMetrics(
      c.get('auth').projectId,
      toMetricsFilter(c.req.valid('query')),
    );
    return c.json(metrics, 200);
  });
  app.openapi(listCustomers, async (c) => {
    const page = await deps.store.listCustomers(
      c.get('auth').projectId,
      toCustomerFilter(c.req.valid('query')),
    );
    return c.json(page, 200);
  });
  app.openapi(listToolCalls, async (c) => {
    const { name } = c.req.valid('param');
    const query = c.req.valid('query');
    const data = await deps.store.listToolCalls(c.get('auth').projectId, {
      name,
      kind: query.kind,
      limit: query.limit,
      ...(query.from ? { from: Date.parse(query.from) } : {}),
      ...(query.to ? { to: Date.parse(query.to) } : {}),
    });
    return c.json({ data }, 200);
  });
  app.openapi(ingestionHealth, async (c) =>
    c.json(await deps.store.getIngestionHealth(c.get('auth').projectId), 200),
  );
  app.openapi(getProject, async (c) => {
    const auth = c.get('auth');
    const project = await deps.store.getProject(auth.projectId);
    if (!project) throw new ServerError('not_found', 'the project of this key no longer exists');
    return c.json({ ...project, scope: auth.scope }, 200);
  });
  return app;
}
