/**
 * On-demand evaluations (admin key): `POST /v1/evaluations` runs the collector's evaluators over the
 * conversations named, or those the list's filters find, as a background job and answers 202 with the
 * job; `GET /v1/evaluations/:jobId` shows its counts as it goes. `GET /v1/evaluators` names the
 * evaluators. The evaluators are the collector's (`SightlineAppOptions.evaluations`); with none, these
 * routes answer 404.
 */
import { createRoute, OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi';
import {
  type ConversationFilter,
  conversationListQuerySchema,
  idString,
  ValidationError,
} from '@sightline/core';
import { readValidJson, validationHook } from '@sightline/core/http';
import { bearerSecurity, errorResponses, jsonResponse } from '../api-schemas.ts';
import { type AppEnv, type KeyCache, requireKey, SCOPES } from '../auth.ts';
import { ServerError } from '../errors.ts';
import type { EvaluationJobs } from '../evaluations/evaluation-jobs.ts';
import type { EvaluationRunner } from '../evaluations/evaluation-runner.ts';
import { toConversationFilter } from './query-filters.ts';

export interface EvaluationRouteDeps {
  keys: KeyCache;
  /** The runner and its jobs; null when the collector has no evaluators. */
  evaluations: { runner: EvaluationRunner; jobs: EvaluationJobs } | null;
}

const MAX_IDS = 1_000;
const MAX_FILTERED = 10_000;

const evaluationRequestSchema = z
  .object({
    evaluators: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(50)
      .optional()
      .openapi({ description: 'The evaluators to run, by name (default: all)' }),
    conversationIds: z
      .array(idString)
      .min(1)
      .max(MAX_IDS, `must name at most ${MAX_IDS} conversations`)
      .optional()
      .openapi({ description: 'These conversations (or give `filter`)' }),
    filter: conversationListQuerySchema.omit({ limit: true, cursor: true }).optional().openapi({
      description:
        'The filters of `GET /v1/conversations`, values as in its query string (`"hasError": "true"`); `{}` is every conversation',
    }),
    max: z.number().int().min(1).max(MAX_FILTERED, `must be at most ${MAX_FILTERED}`).default(1_000).openapi({
      description: 'With `filter`: the most conversations evaluated, most recently active first',
    }),
    sampleRate: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .openapi({ description: 'Share evaluated, 0..1 (default 1)' }),
  })
  .openapi('EvaluationRequest');

const countsSchema = z.object({
  conversations: z.number(),
  sampledOut: z.number(),
  scored: z.number(),
  skipped: z.number(),
  failed: z.number(),
});

const evaluationJobSchema = z
  .object({
    jobId: z.string(),
    status: z.enum(['running', 'done', 'failed']),
    evaluators: z.array(z.string()),
    counts: countsSchema,
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    error: z.string().nullable(),
  })
  .openapi('EvaluationJob');

const notFound = {
  404: jsonResponse(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), 'Not found'),
};

const startEvaluation: RouteConfig = {
  method: 'post',
  path: '/v1/evaluations',
  tags: ['Scores'],
  summary: "Run the collector's evaluators over conversations, in the background (admin key)",
  description:
    "Give `conversationIds` or `filter` (not both). Each evaluator scores each conversation (source `code` or `model`, score id `eval:<evaluator>`: a later run replaces it); a model judge's run is stored as a conversation of its own that the score's `judgeRunId` names. A failing evaluator is counted in `failed` and the job goes on. At most 2 jobs run at once on a node (429 otherwise); jobs are kept in the node's memory (the last 100).",
  security: bearerSecurity,
  request: { body: { required: true, content: { 'application/json': { schema: evaluationRequestSchema } } } },
  responses: { 202: jsonResponse(evaluationJobSchema, 'The job, started'), ...errorResponses, ...notFound },
};

const getEvaluation = createRoute({
  method: 'get',
  path: '/v1/evaluations/{jobId}',
  tags: ['Scores'],
  summary: 'An evaluation job and its counts (admin key)',
  security: bearerSecurity,
  request: { params: z.object({ jobId: z.string().min(1).max(64) }) },
  responses: { 200: jsonResponse(evaluationJobSchema, 'The job'), ...errorResponses, ...notFound },
});

const listEvaluators = createRoute({
  method: 'get',
  path: '/v1/evaluators',
  tags: ['Scores'],
  summary: "The collector's evaluators (admin key)",
  security: bearerSecurity,
  responses: {
    200: jsonResponse(z.object({ evaluators: z.array(z.string()) }), 'Their names'),
    ...errorResponses,
  },
});

/** A list filter without its page size (the job pages through the list itself). */
function withoutLimit(filter: ConversationFilter): Omit<ConversationFilter, 'limit' | 'cursor'> {
  const { limit: _limit, cursor: _cursor, ...rest } = filter;
  return rest;
}

/** The evaluations router. */
export function evaluationRoutes(deps: EvaluationRouteDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const admin = requireKey(deps.keys, SCOPES.admin);
  app.use('/v1/evaluations', admin);
  app.use('/v1/evaluations/*', admin);
  app.use('/v1/evaluators', admin);
  const configured = () => {
    if (!deps.evaluations) throw new ServerError('not_found', 'this collector has no evaluators configured');
    return deps.evaluations;
  };
  app.openapi(listEvaluators, (c) =>
    c.json({ evaluators: deps.evaluations?.runner.evaluatorNames ?? [] }, 200),
  );
  app.openAPIRegistry.registerPath(startEvaluation);
  app.post('/v1/evaluations', async (c) => {
    const { runner, jobs } = configured();
    const body = await readValidJson(c, evaluationRequestSchema, { maxBytes: 256 * 1024 });
    const evaluators = body.evaluators ?? runner.evaluatorNames;
    const known = new Set(runner.evaluatorNames);
    const unknown = evaluators.findIndex((name) => !known.has(name));
    if (unknown >= 0)
      throw new ValidationError([
        {
          path: `evaluators.${unknown}`,
          message: `is not an evaluator of this collector (it has ${runner.evaluatorNames.join(', ')})`,
        },
      ]);
    if ((body.conversationIds === undefined) === (body.filter === undefined))
      throw new ValidationError([
        { path: 'conversationIds', message: 'give conversationIds or filter, one of them' },
      ]);
    const target = body.filter
      ? { filter: withoutLimit(toConversationFilter({ ...body.filter, limit: 1 })), max: body.max }
      : { conversationIds: body.conversationIds ?? [] };
    const job = jobs.start(c.get('auth').projectId, {
      target,
      evaluators,
      ...(body.sampleRate === undefined ? {} : { sampleRate: body.sampleRate }),
    });
    return c.json(job, 202);
  });
  app.openapi(getEvaluation, (c) => {
    const job = configured().jobs.get(c.get('auth').projectId, c.req.valid('param').jobId);
    if (!job) throw new ServerError('not_found', 'no such evaluation job in this project on this node');
    return c.json(job, 200);
  });
  return app;
}
