/**
 * `GET /v1/exports/conversations`: every conversation matching the list's filters, streamed as a file
 * download (JSONL of ingest bodies, CSV of the list's columns, or OpenAI chat JSONL for fine-tuning).
 * Memory stays flat however many conversations match: the store reads them in bounded pages, and only
 * as fast as the client takes them.
 */
import { setMaxListeners } from 'node:events';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { conversationListQuerySchema } from '@sightline/core';
import { validationHook } from '@sightline/core/http';
import type { Store } from '@sightline/store';
import { errorResponses } from '../api-schemas.ts';
import { type AppEnv, type KeyCache, requireKey, SCOPES } from '../auth.ts';
import { EXPORT_FORMAT_NAMES, EXPORT_FORMATS } from '../export/export-formats.ts';
import { exportStream } from '../export/export-stream.ts';
import type { Logger } from '../logger.ts';
import { toConversationFilter } from './query-filters.ts';

export interface ExportDeps {
  store: Store;
  keys: KeyCache;
  logger: Logger;
  /** Resolves when the server begins shutting down: running exports are cut. */
  closing?: Promise<void>;
  /** Longest one export may run, in ms (default one hour). */
  maxDurationMs?: number;
  /** Conversations read per store query (default 100). */
  pageSize?: number;
}

const exportQuerySchema = conversationListQuerySchema.omit({ limit: true, cursor: true }).extend({
  format: z.enum(EXPORT_FORMAT_NAMES).default('jsonl').openapi({
    description:
      '`jsonl`: one `POST /v1/ingest` body per line (`{"events":[…]}`, a conversation per line, several for one over 1,000 events), so the file can be posted back; `csv`: one row per conversation with the list columns; `openai-chat`: one `{"messages":[…]}` line per conversation for fine-tuning.',
  }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .openapi({ description: 'Export at most this many conversations (default: every match).' }),
});

const exportConversations = createRoute({
  method: 'get',
  path: '/v1/exports/conversations',
  tags: ['Conversations'],
  summary: 'Export the filtered conversation list (JSONL, CSV or OpenAI chat JSONL), streamed',
  description:
    'Takes the filters of `GET /v1/conversations` and answers every matching conversation as a download, in id order (stable while the export runs: a conversation that changes meanwhile comes once). The response streams: the server reads the next conversations only as the client takes the bytes, and stops when the client goes away. An export running past the time limit (one hour by default) or during a shutdown is cut off, so the transfer is incomplete rather than a shorter file. The JSONL round trip: `while IFS= read -r line; do curl -sf -H "authorization: Bearer $INGEST_KEY" -H \'content-type: application/json\' --data-binary "$line" $URL/v1/ingest; done < export.jsonl`; event ids come from each event\'s content, so posting the file twice stores nothing twice. A read key may also be passed as `?access_token=` (a browser download link).',
  security: [{ Bearer: [] }],
  request: { query: exportQuerySchema },
  responses: {
    200: {
      description: 'The export, as an attachment',
      content: {
        'application/x-ndjson': { schema: z.string() },
        'text/csv': { schema: z.string() },
      },
    },
    ...errorResponses,
  },
});

/** The export router (read or admin key; `?access_token=` too, for a download link). */
export function exportRoutes(deps: ExportDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const shutdown = new AbortController();
  setMaxListeners(0, shutdown.signal); // one listener per running export
  void deps.closing?.then(() => shutdown.abort());
  app.use('/v1/exports/*', requireKey(deps.keys, SCOPES.read, { allowQueryToken: true }));
  app.openapi(exportConversations, (c) => {
    const { format: formatName, limit, ...listQuery } = c.req.valid('query');
    const { limit: _, cursor: __, ...filter } = toConversationFilter({ ...listQuery, limit: 1 });
    const { projectId } = c.get('auth');
    const format = EXPORT_FORMATS[formatName];
    const started = performance.now();
    const body = exportStream({
      conversations: deps.store.exportConversations(projectId, filter, {
        withRecords: format.withRecords,
        ...(limit === undefined ? {} : { limit }),
        ...(deps.pageSize === undefined ? {} : { pageSize: deps.pageSize }),
      }),
      format,
      maxDurationMs: deps.maxDurationMs ?? 3_600_000,
      signal: shutdown.signal,
      onEnd: ({ outcome, conversations, bytes, error }) => {
        const fields = {
          projectId,
          format: formatName,
          outcome,
          conversations,
          bytes,
          ms: Math.round(performance.now() - started),
        };
        if (outcome === 'failed') deps.logger.error({ ...fields, err: error }, 'export failed');
        else deps.logger.info(fields, 'export');
      },
    });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': format.contentType,
        'content-disposition': `attachment; filename="conversations-${day}.${format.extension}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  });
  return app;
}
