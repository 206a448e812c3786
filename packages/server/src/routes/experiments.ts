/**
 * Experiments (issue 15 item 4): one replay of a dataset against an agent (version), each item a new
 * conversation (`sightline replay` records them), and the comparison of an experiment with the items'
 * source conversations or another experiment of the dataset. Reads take a read or admin key, writes an
 * admin key.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  experimentComparisonSchema,
  experimentCreateSchema,
  experimentDetailSchema,
  experimentItemPutSchema,
  experimentItemSchema,
  experimentSchema,
  idString,
} from '@sightline/core';
import { readValidJson, validationHook } from '@sightline/core/http';
import type { Store } from '@sightline/store';
import { bearerSecurity, errorResponses, errorSchema, jsonBody, jsonResponse } from '../api-schemas.ts';
import { type AppEnv, type KeyCache, requireKey, SCOPES } from '../auth.ts';
import { ServerError } from '../errors.ts';
import { compareExperiment } from '../experiments/experiment-comparison.ts';
import { checkedParam } from './datasets.ts';

export interface ExperimentRouteDeps {
  store: Store;
  keys: KeyCache;
}

const tags = ['Datasets'];
const experimentParam = z.object({ experimentId: idString });
const notFound = { 404: jsonResponse(errorSchema, 'No such experiment (or dataset, item, conversation)') };

const createExperiment = {
  method: 'post',
  path: '/v1/experiments',
  tags,
  summary: 'Create an experiment of a dataset (admin key)',
  description:
    "`datasetId` is the dataset's id or exact name; `name` must be unique in the dataset (409 `conflict`). `agent` and `agentVersion` say what was replayed.",
  security: bearerSecurity,
  request: jsonBody(experimentCreateSchema),
  responses: {
    201: jsonResponse(experimentSchema, 'The experiment'),
    ...errorResponses,
    ...notFound,
    409: jsonResponse(errorSchema, 'The dataset has an experiment of this name'),
  },
} as const;

const putItem = {
  method: 'put',
  path: '/v1/experiments/{experimentId}/items/{itemId}',
  tags,
  summary: 'Record the conversation an experiment made of a dataset item (admin key)',
  description:
    "The item must be of the experiment's dataset and the conversation of the project. Idempotent: again replaces it. `status` is `completed`, or where the replay stopped (`turn 2: awaiting_approval`).",
  security: bearerSecurity,
  request: { params: experimentParam.extend({ itemId: idString }), ...jsonBody(experimentItemPutSchema) },
  responses: {
    200: jsonResponse(experimentItemSchema, 'The item as recorded'),
    ...errorResponses,
    ...notFound,
  },
} as const;

const compareQuery = z.object({
  candidate: idString.describe('The experiment compared'),
  base: idString
    .optional()
    .describe("Another experiment of the same dataset; left out: the items' source conversations"),
});

const compare = createRoute({
  method: 'get',
  path: '/v1/experiments/compare',
  tags,
  summary: 'An experiment beside its base, item by item: answers, tool calls, cost, latency, scores',
  description:
    "Per dataset item: each side's answers to the human turns, tool calls and errors, cost, duration and conversation-level scores (the `experiment` tag left out), whether answers or tool calls changed, and each numeric score's delta (candidate minus base); per side: means of the scores, cost, p50 duration, tool errors. A side is null when it has no conversation for the item (none recorded, or no longer stored). 400 naming `base` when it is an experiment of another dataset.",
  security: bearerSecurity,
  request: { query: compareQuery },
  responses: {
    200: jsonResponse(experimentComparisonSchema, 'The comparison'),
    ...errorResponses,
    ...notFound,
  },
});

const getExperiment = createRoute({
  method: 'get',
  path: '/v1/experiments/{experimentId}',
  tags,
  summary: 'An experiment and its items',
  security: bearerSecurity,
  request: { params: experimentParam },
  responses: { 200: jsonResponse(experimentDetailSchema, 'The experiment'), ...errorResponses, ...notFound },
});

/** The experiments router. */
export function experimentRoutes(deps: ExperimentRouteDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const read = requireKey(deps.keys, SCOPES.read);
  const admin = requireKey(deps.keys, SCOPES.admin);
  const { store } = deps;

  app.openAPIRegistry.registerPath(createExperiment);
  app.post('/v1/experiments', admin, async (c) => {
    const input = await readValidJson(c, experimentCreateSchema, { maxBytes: 64 * 1024 });
    return c.json(await store.createExperiment(c.get('auth').projectId, input), 201);
  });
  app.openAPIRegistry.registerPath(putItem);
  app.put('/v1/experiments/:experimentId/items/:itemId', admin, async (c) => {
    const experimentId = checkedParam(c.req.param('experimentId'), 'experimentId');
    const itemId = checkedParam(c.req.param('itemId'), 'itemId');
    const input = await readValidJson(c, experimentItemPutSchema, { maxBytes: 64 * 1024 });
    const item = await store.putExperimentItem(c.get('auth').projectId, { ...input, experimentId, itemId });
    return c.json(item, 200);
  });
  // Before `/v1/experiments/{experimentId}`, which would take `compare` for an id.
  app.get('/v1/experiments/compare', read);
  app.openapi(compare, async (c) =>
    c.json(await compareExperiment(store, c.get('auth').projectId, c.req.valid('query')), 200),
  );
  app.get('/v1/experiments/:experimentId', read);
  app.openapi(getExperiment, async (c) => {
    const { experimentId } = c.req.valid('param');
    const detail = await store.getExperiment(c.get('auth').projectId, experimentId);
    if (!detail)
      throw new ServerError(
        'not_found',
        `experiment ${JSON.stringify(experimentId)} does not exist in this project`,
      );
    return c.json(detail, 200);
  });
  return app;
}
