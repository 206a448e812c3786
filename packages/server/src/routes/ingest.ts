/** `POST /v1/ingest`: validates each event on its own, commits the good ones, answers per event. */
import { OpenAPIHono } from '@hono/zod-openapi';
import {
  type IngestResponse,
  type IngestResult,
  ingestResponseSchema,
  LIMITS,
  parseIngestRequest,
} from '@sightline/core';
import { readJsonBody } from '@sightline/core/http';
import type { RejectionRecord, Store } from '@sightline/store';
import { errorResponses, errorSchema } from '../api-schemas.ts';
import { type AppEnv, type KeyCache, requireKey, SCOPES } from '../auth.ts';
import type { Logger } from '../logger.ts';
import type { Redactor } from '../redaction/redactor.ts';
import type { WriteQueue } from '../write-queue.ts';

export interface IngestDeps {
  store: Store;
  queue: WriteQueue;
  keys: KeyCache;
  logger: Logger;
  /** Redacts the samples kept of rejected events as stored text is. */
  redactor: Redactor;
  maxBatchBytes?: number;
}

const SAMPLE_LENGTH = 500;

/** The ingest router. */
export function ingestRoutes(deps: IngestDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const maxBytes = deps.maxBatchBytes ?? LIMITS.maxBatchBytes;
  document(app);
  app.post('/v1/ingest', requireKey(deps.keys, SCOPES.ingest), async (c) => {
    const { projectId } = c.get('auth');
    const body = await readJsonBody(c, { maxBytes, maxDepth: false });
    const parsed = parseIngestRequest(body);
    const { statuses, rejected: refused } = await deps.queue.submit(projectId, parsed.events);
    const results: IngestResult[] = [];
    for (const event of parsed.events) {
      const issues = refused.get(event.id);
      if (issues) {
        results[event.index] = { index: event.index, id: event.id, status: 'rejected', issues };
        continue;
      }
      const result: IngestResult = {
        index: event.index,
        id: event.id,
        status: statuses.get(event.id) ?? 'duplicate',
      };
      if (event.sanitized && result.status === 'accepted') result.sanitized = event.sanitized;
      results[event.index] = result;
    }
    for (const rejected of parsed.rejected) {
      results[rejected.index] = {
        index: rejected.index,
        id: rejected.id,
        status: 'rejected',
        issues: rejected.issues,
      };
    }
    if (parsed.rejected.length > 0) {
      const samples = await Promise.all(
        parsed.rejected.map((r) => deps.redactor.redactSample(projectId, sampleOf(body, r.index))),
      );
      recordRejections(
        deps,
        projectId,
        parsed.rejected.map((r, i) => ({ ...r, sample: samples[i] ?? null })),
      );
    }
    if (parsed.client) {
      deps.store
        .recordClientReport(projectId, parsed.client)
        .catch((error) => deps.logger.warn({ err: error }, 'could not record client report'));
    }
    const response: IngestResponse = {
      accepted: results.filter((r) => r.status === 'accepted').length,
      duplicates: results.filter((r) => r.status === 'duplicate').length,
      rejected: parsed.rejected.length + refused.size,
      results,
    };
    const stored = parsed.events.length - refused.size;
    const status = response.rejected === 0 ? 200 : stored > 0 ? 207 : 400;
    return c.json(response, status);
  });
  return app;
}

function sampleOf(body: unknown, index: number): string | null {
  const event = (body as { events?: unknown[] }).events?.[index];
  if (event === undefined) return null;
  try {
    return JSON.stringify(event).slice(0, SAMPLE_LENGTH);
  } catch {
    return null;
  }
}

function recordRejections(deps: IngestDeps, projectId: string, rejected: RejectionRecord[]): void {
  deps.store
    .recordRejections(projectId, rejected)
    .catch((error) => deps.logger.warn({ err: error }, 'could not record rejected events'));
}

function document(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/v1/ingest',
    tags: ['Ingest'],
    summary: 'Send a batch of events',
    description: `Body: \`{ events: [{ id, type, timestamp, body }], client? }\` with at most ${LIMITS.maxBatchEvents} events and ${LIMITS.maxBatchBytes} bytes (gzip allowed). Each event is validated on its own: the answer lists, in request order, whether it was accepted, a duplicate of an event already stored (same id), or rejected with the fields at fault. Nothing is acknowledged before it is committed.`,
    security: [{ Bearer: [] }],
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: { events: { type: 'array', items: { type: 'object' } } },
              required: ['events'],
            },
          },
        },
      },
    },
    responses: {
      200: {
        description: 'Every event accepted or a duplicate',
        content: { 'application/json': { schema: ingestResponseSchema } },
      },
      207: {
        description: 'Some events were rejected; see `results`',
        content: { 'application/json': { schema: ingestResponseSchema } },
      },
      ...errorResponses,
      413: {
        description: 'Body over the byte limit',
        content: { 'application/json': { schema: errorSchema } },
      },
      415: { description: 'Not JSON', content: { 'application/json': { schema: errorSchema } } },
      503: {
        description: 'Write queue full; retry after `Retry-After` seconds',
        content: { 'application/json': { schema: errorSchema } },
      },
    },
  });
}
