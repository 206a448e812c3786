/**
 * Datasets (issue 15 item 4): conversations kept as their human turns and the answers given then, to
 * replay against another agent version (`sightline replay`, experiments.ts). Reads take a read or admin
 * key, writes an admin key. A dataset is named in paths by its id or its exact name.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  datasetCreateSchema,
  datasetDeletedSchema,
  datasetDetailSchema,
  datasetItemsAddedSchema,
  datasetItemsAddSchema,
  datasetListSchema,
  datasetSchema,
  idString,
} from '@sightline/core';
import { readValidJson, validationHook } from '@sightline/core/http';
import type { Store } from '@sightline/store';
import type { z as zod } from 'zod';
import { bearerSecurity, errorResponses, errorSchema, jsonBody, jsonResponse } from '../api-schemas.ts';
import { type AppEnv, type KeyCache, requireKey, SCOPES } from '../auth.ts';
import { ServerError } from '../errors.ts';
import { toConversationFilter } from './query-filters.ts';

type DatasetItemsAddBody = zod.output<typeof datasetItemsAddSchema>;

export interface DatasetRouteDeps {
  store: Store;
  keys: KeyCache;
}

const tags = ['Datasets'];
const datasetParam = z.object({
  datasetId: idString.describe("The dataset's id or exact name"),
});
const itemParam = datasetParam.extend({ itemId: idString });
const notFound = { 404: jsonResponse(errorSchema, 'No such dataset (or item) in this project') };

const createDataset = {
  method: 'post',
  path: '/v1/datasets',
  tags,
  summary: 'Create a dataset (admin key)',
  description: '`name` (1..200 characters) must be unique in the project: 409 `conflict` otherwise.',
  security: bearerSecurity,
  request: jsonBody(datasetCreateSchema),
  responses: {
    201: jsonResponse(datasetSchema, 'The dataset'),
    ...errorResponses,
    409: jsonResponse(errorSchema, 'A dataset of this name exists'),
  },
} as const;

const listDatasets = createRoute({
  method: 'get',
  path: '/v1/datasets',
  tags,
  summary: "The project's datasets, most recently created first",
  security: bearerSecurity,
  responses: { 200: jsonResponse(datasetListSchema, 'The datasets'), ...errorResponses },
});

const getDataset = createRoute({
  method: 'get',
  path: '/v1/datasets/{datasetId}',
  tags,
  summary: 'A dataset with its items (oldest first) and experiments (newest first)',
  security: bearerSecurity,
  request: { params: datasetParam },
  responses: { 200: jsonResponse(datasetDetailSchema, 'The dataset'), ...errorResponses, ...notFound },
});

const deleteDataset = {
  method: 'delete',
  path: '/v1/datasets/{datasetId}',
  tags,
  summary: 'Delete a dataset, its items and its experiments (admin key)',
  description: 'The conversations it was taken from and those its experiments made stay.',
  security: bearerSecurity,
  request: { params: datasetParam },
  responses: { 200: jsonResponse(datasetDeletedSchema, 'What went'), ...errorResponses, ...notFound },
} as const;

const addItems = {
  method: 'post',
  path: '/v1/datasets/{datasetId}/items',
  tags,
  summary: 'Add conversations to a dataset (admin key)',
  description:
    'Give `conversationIds` (at most 1,000) or `filter` (the filters of `GET /v1/conversations`; up to `max`, default 100, at most 1,000, most recently active first), not both. Each conversation becomes an item of its human turns and the answers given then; one already in the dataset, without a human turn or not found is skipped with the reason. Idempotent per (dataset, conversation).',
  security: bearerSecurity,
  request: { params: datasetParam, ...jsonBody(datasetItemsAddSchema) },
  responses: {
    200: jsonResponse(datasetItemsAddedSchema, 'Added and skipped'),
    ...errorResponses,
    ...notFound,
  },
} as const;

const deleteItem = {
  method: 'delete',
  path: '/v1/datasets/{datasetId}/items/{itemId}',
  tags,
  summary: 'Remove an item from a dataset, with what experiments made of it (admin key)',
  security: bearerSecurity,
  request: { params: itemParam },
  responses: {
    200: jsonResponse(z.object({ deleted: z.literal(true) }), 'Removed'),
    ...errorResponses,
    ...notFound,
  },
} as const;

/** Ids of the conversations a filter finds, most recently active first, up to `max`. */
async function filteredIds(
  store: Store,
  projectId: string,
  options: { filter: NonNullable<DatasetItemsAddBody['filter']>; max: number },
): Promise<string[]> {
  const filter = toConversationFilter({ ...options.filter, limit: 200 });
  const ids: string[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await store.listConversations(projectId, {
      ...filter,
      limit: Math.min(200, options.max - ids.length),
      ...(cursor ? { cursor } : {}),
    });
    ids.push(...page.data.map((row) => row.id));
    cursor = page.nextCursor;
  } while (cursor && ids.length < options.max);
  return ids;
}

function noDataset(id: string): ServerError {
  return new ServerError('not_found', `dataset ${JSON.stringify(id)} does not exist in this project`);
}

/** The datasets router. */
export function datasetRoutes(deps: DatasetRouteDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const read = requireKey(deps.keys, SCOPES.read);
  const admin = requireKey(deps.keys, SCOPES.admin);
  const { store } = deps;

  app.openAPIRegistry.registerPath(createDataset);
  app.post('/v1/datasets', admin, async (c) => {
    const input = await readValidJson(c, datasetCreateSchema, { maxBytes: 64 * 1024 });
    return c.json(await store.createDataset(c.get('auth').projectId, input), 201);
  });
  app.get('/v1/datasets', read);
  app.openapi(listDatasets, async (c) =>
    c.json({ items: await store.listDatasets(c.get('auth').projectId) }, 200),
  );
  app.get('/v1/datasets/:datasetId', read);
  app.openapi(getDataset, async (c) => {
    const { datasetId } = c.req.valid('param');
    const detail = await store.getDataset(c.get('auth').projectId, datasetId);
    if (!detail) throw noDataset(datasetId);
    return c.json(detail, 200);
  });
  app.openAPIRegistry.registerPath(deleteDataset);
  app.delete('/v1/datasets/:datasetId', admin, async (c) => {
    const datasetId = checkedParam(c.req.param('datasetId'), 'datasetId');
    const deleted = await store.deleteDataset(c.get('auth').projectId, datasetId);
    if (!deleted) throw noDataset(datasetId);
    return c.json({ deleted }, 200);
  });
  app.openAPIRegistry.registerPath(addItems);
  app.post('/v1/datasets/:datasetId/items', admin, async (c) => {
    const datasetId = checkedParam(c.req.param('datasetId'), 'datasetId');
    const input = await readValidJson(c, datasetItemsAddSchema, { maxBytes: 512 * 1024 });
    if ((input.conversationIds === undefined) === (input.filter === undefined))
      throw new ServerError(
        'invalid_request',
        'conversationIds: give conversationIds or filter, one of them',
        {
          issues: [{ path: 'conversationIds', message: 'give conversationIds or filter, one of them' }],
        },
      );
    const { projectId } = c.get('auth');
    const conversationIds =
      input.conversationIds ??
      (await filteredIds(store, projectId, { filter: input.filter ?? {}, max: input.max }));
    const added = await store.addDatasetItems(projectId, { dataset: datasetId, conversationIds });
    if (!added) throw noDataset(datasetId);
    return c.json(added, 200);
  });
  app.openAPIRegistry.registerPath(deleteItem);
  app.delete('/v1/datasets/:datasetId/items/:itemId', admin, async (c) => {
    const datasetId = checkedParam(c.req.param('datasetId'), 'datasetId');
    const itemId = checkedParam(c.req.param('itemId'), 'itemId');
    if (!(await store.deleteDatasetItem(c.get('auth').projectId, { dataset: datasetId, itemId })))
      throw new ServerError(
        'not_found',
        `the dataset ${JSON.stringify(datasetId)} has no item ${JSON.stringify(itemId)}`,
      );
    return c.json({ deleted: true as const }, 200);
  });
  return app;
}

/** A path parameter as `idString` accepts it, or a 400 naming it. */
export function checkedParam(value: string, path: string): string {
  const parsed = idString.safeParse(value);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? 'is invalid';
  throw new ServerError('invalid_request', `${path}: ${message}`, { issues: [{ path, message }] });
}
