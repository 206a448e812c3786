/**
 * Retention: `GET /v1/retention` (read key) shows the project's retention, its customers kept for
 * other days and the last expiry run; `PUT`/`PATCH /v1/customers/:id/retention` `{ days | null }`
 * (admin key) sets or removes a customer's override; `POST /v1/retention/run` (admin key) runs expiry
 * for the project now and answers the status after it. The project's own days are `retentionDays` in
 * `PATCH /v1/project/settings`. Mounted before the read routes, so these answer before their key check.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  customerRetentionPatchSchema,
  idString,
  MAX_RETENTION_DAYS,
  retentionStatusSchema,
  toFieldIssues,
  ValidationError,
} from '@sightline/core';
import { readJsonBody } from '@sightline/core/http';
import type { Store } from '@sightline/store';
import type { Context } from 'hono';
import { errorResponses } from '../api-schemas.ts';
import { type AppEnv, type KeyCache, requireKey, SCOPES } from '../auth.ts';

export interface RetentionRouteDeps {
  store: Store;
  keys: KeyCache;
  /** Runs expiry for one project now (the collector's worker, so runs never overlap on a node). */
  runNow: (projectId: string) => Promise<void>;
}

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const security = [{ Bearer: [] }];

const EXPIRY = `A conversation expires once its last activity is older than the project's \`retentionDays\` (set with \`PATCH /v1/project/settings\`), or than its customer's own days when the customer has an override (longer or shorter, 1 to ${MAX_RETENTION_DAYS}). It goes whole, with its messages, steps, feedback and scores, and what it counted is taken out of every rollup, so metrics read as if it had never been sent. The collector expires in the background, in small batches, every few minutes.`;

const customerOverrideSchema = z
  .object({ customerId: z.string(), days: z.number().int().nullable(), updatedAt: z.string().nullable() })
  .openapi('CustomerRetentionChange');

/** The retention router. */
export function retentionRoutes(deps: RetentionRouteDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const admin = requireKey(deps.keys, SCOPES.admin);
  register(app);
  app.get('/v1/retention', requireKey(deps.keys, SCOPES.read), async (c) =>
    c.json(await deps.store.getRetentionStatus(c.get('auth').projectId), 200),
  );
  app.post('/v1/retention/run', admin, async (c) => {
    const { projectId } = c.get('auth');
    await deps.runNow(projectId);
    return c.json(await deps.store.getRetentionStatus(projectId), 200);
  });
  const setOverride = async (c: Context<AppEnv>) => {
    const id = idString.safeParse(c.req.param('id'));
    if (!id.success) throw new ValidationError(toFieldIssues(id.error.issues, ['id']));
    const body = customerRetentionPatchSchema.safeParse(await readJsonBody(c, { maxBytes: 1024 }));
    if (!body.success) throw new ValidationError(toFieldIssues(body.error.issues));
    const set = await deps.store.setCustomerRetention(c.get('auth').projectId, id.data, body.data.days);
    return c.json(set ?? { customerId: id.data, days: null, updatedAt: null }, 200);
  };
  app.put('/v1/customers/:id/retention', admin, setOverride);
  app.patch('/v1/customers/:id/retention', admin, setOverride);
  return app;
}

function register(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/v1/retention',
    tags: ['Project'],
    summary: "The project's retention, its customers' overrides and the last expiry run",
    description: EXPIRY,
    security,
    responses: { 200: json(retentionStatusSchema, 'Retention and the last run'), ...errorResponses },
  });
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/v1/retention/run',
    tags: ['Project'],
    summary: 'Run expiry for the project now (admin key)',
    description: `${EXPIRY} This runs it now, within the same batch budget, and answers the status after it (\`lastRun.caughtUp\` false: more is left for the next run).`,
    security,
    responses: { 200: json(retentionStatusSchema, 'Retention and the run just made'), ...errorResponses },
  });
  for (const method of ['put', 'patch'] as const)
    app.openAPIRegistry.registerPath({
      method,
      path: '/v1/customers/{id}/retention',
      tags: ['Customers'],
      summary: "Keep a customer's conversations another number of days than the project (admin key)",
      description: `\`days\` (1 to ${MAX_RETENTION_DAYS}) replaces the project's retention for this customer, longer or shorter; \`null\` removes the override. ${EXPIRY}`,
      security,
      request: {
        params: z.object({ id: idString }),
        body: { required: true, content: { 'application/json': { schema: customerRetentionPatchSchema } } },
      },
      responses: {
        200: json(customerOverrideSchema, 'The override now in force (days null: none)'),
        ...errorResponses,
      },
    });
}
