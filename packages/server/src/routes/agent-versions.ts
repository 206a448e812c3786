/** `GET /v1/metrics/versions`: agent versions side by side (read or admin key). */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { versionComparisonQuerySchema, versionComparisonSchema } from '@sightline/core';
import { validationHook } from '@sightline/core/http';
import type { Store } from '@sightline/store';
import { errorResponses } from '../api-schemas.ts';
import { type AppEnv, type KeyCache, requireKey, SCOPES } from '../auth.ts';
import { toVersionComparisonFilter } from './query-filters.ts';

export interface AgentVersionDeps {
  store: Store;
  keys: KeyCache;
}

const compareVersions = createRoute({
  method: 'get',
  path: '/v1/metrics/versions',
  tags: ['Metrics'],
  summary: 'Agent versions side by side: runs, run latency, cost, tool errors, scores',
  description:
    'Each `version` (repeatable, at most 10) over the range (at most 731 days); without one, the 20 versions with the most runs in it. `conversations` counts conversations active in the range whose latest version it is.',
  security: [{ Bearer: [] }],
  request: { query: versionComparisonQuerySchema },
  responses: {
    200: {
      description: 'The versions',
      content: { 'application/json': { schema: versionComparisonSchema } },
    },
    ...errorResponses,
  },
});

/** The agent versions router. */
export function agentVersionRoutes(deps: AgentVersionDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('/v1/metrics/versions', requireKey(deps.keys, SCOPES.read));
  app.openapi(compareVersions, async (c) => {
    const filter = toVersionComparisonFilter(c.req.valid('query'));
    return c.json(await deps.store.compareAgentVersions(c.get('auth').projectId, filter), 200);
  });
  return app;
}
