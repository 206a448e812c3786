/**
 * `POST /v1/otlp/v1/traces`: OTLP/HTTP trace export (protobuf or JSON, gzip allowed). GenAI and
 * OpenInference spans become conversations, messages and steps; the answer is the OTLP export
 * response, with partial-success counts when some spans could not be stored.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { LIMITS } from '@sightline/core';
import { parseJson, readBodyBytes } from '@sightline/core/http';
import { errorResponses, errorSchema } from '../api-schemas.ts';
import { type AppEnv, type KeyCache, requireKey, SCOPES } from '../auth.ts';
import { ServerError } from '../errors.ts';
import { OTLP_LIMITS } from '../otlp/otlp-limits.ts';
import { flattenSpans } from '../otlp/otlp-spans.ts';
import { decodeTraceRequest } from '../otlp/proto-decode.ts';
import { checkProtobufLimits } from '../otlp/proto-limits.ts';
import { ingestSpans } from '../otlp/span-ingest.ts';
import { TraceConversations } from '../otlp/trace-conversations.ts';
import { encodeTraceResponse } from '../otlp/trace-proto.ts';
import { type RehomingStore, rehomeAfterWrite, rehomeBeforeWrite } from '../otlp/trace-rehoming.ts';
import type { WriteQueue } from '../write-queue.ts';

export interface OtlpDeps {
  /** Merges a trace's early spans (stored under `trace-<id>`) into the conversation later spans name. */
  store: RehomingStore;
  queue: WriteQueue;
  keys: KeyCache;
  maxBatchBytes?: number;
}

type Encoding = 'protobuf' | 'json';

function encodingOf(contentType: string | undefined): Encoding {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  throw new ServerError(
    'unsupported_media_type',
    `content-type: must be application/x-protobuf or application/json, got ${type ? `"${type}"` : 'none'}`,
    {
      issues: [{ path: 'content-type', message: 'must be application/x-protobuf or application/json' }],
    },
  );
}

function decode(bytes: Uint8Array, encoding: Encoding): unknown {
  if (encoding === 'json') return parseJson(bytes);
  checkProtobufLimits(bytes); // a 4xx naming the field over its limit, before anything is built
  return decodeTraceRequest(bytes);
}

const DESCRIPTION = `Point an OpenTelemetry OTLP/HTTP exporter here (\`url: <server>/v1/otlp/v1/traces\`, header \`Authorization: Bearer <ingest key>\`). \`gen_ai.conversation.id\` or \`session.id\` names the conversation (else \`trace-<trace id>\`; a trace's later spans join the conversation an earlier export named, and its spans exported before the name arrived are moved into that conversation when it does); \`user.id\` the customer; LLM, tool, agent, retrieval and guardrail spans become typed steps with usage; each trace's user input and final answer become messages. A request holds at most ${OTLP_LIMITS.maxSpansPerRequest} spans and ${OTLP_LIMITS.maxValuesPerRequest} attributes and list values in all (413 past either), ${OTLP_LIMITS.maxAttributes} attributes per resource, span or event, ${OTLP_LIMITS.maxEventsPerSpan} events per span, ${OTLP_LIMITS.maxValuesPerList} values per arrayValue or kvlistValue, nested at most ${OTLP_LIMITS.maxValueDepth} deep; a malformed field or one over its limit is a 400 naming it.`;

/** The OTLP traces router (ingest key). */
export function otlpRoutes(deps: OtlpDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const traces = new TraceConversations();
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/v1/otlp/v1/traces',
    tags: ['Ingest'],
    summary: 'OTLP/HTTP trace export (GenAI and OpenInference spans)',
    description: DESCRIPTION,
    security: [{ Bearer: [] }],
    request: {
      body: {
        required: true,
        content: {
          'application/x-protobuf': { schema: { type: 'string', format: 'binary' } },
          'application/json': { schema: { type: 'object' } },
        },
      },
    },
    responses: {
      200: {
        description:
          'ExportTraceServiceResponse (partial success when spans were rejected or attributes ignored)',
        content: { 'application/json': { schema: { type: 'object' } } },
      },
      ...errorResponses,
      413: {
        description: 'Body over the byte limit, or more spans than a request may hold',
        content: { 'application/json': { schema: errorSchema } },
      },
      415: { description: 'Not protobuf or JSON', content: { 'application/json': { schema: errorSchema } } },
    },
  });
  app.post('/v1/otlp/v1/traces', requireKey(deps.keys, SCOPES.ingest), async (c) => {
    const encoding = encodingOf(c.req.header('content-type'));
    const request = decode(
      await readBodyBytes(c, { maxBytes: deps.maxBatchBytes ?? LIMITS.maxBatchBytes }),
      encoding,
    );
    const { projectId } = c.get('auth');
    const rehoming = {
      store: deps.store,
      projectId,
      spans: flattenSpans(request),
      traces: traces.forProject(projectId),
    };
    const fallbacks = await rehomeBeforeWrite(rehoming);
    const partial = await ingestSpans({
      ...rehoming,
      write: (events) => deps.queue.submit(projectId, events),
    });
    await rehomeAfterWrite(rehoming, fallbacks);
    if (encoding === 'protobuf') {
      return c.body(encodeTraceResponse(partial) as Uint8Array<ArrayBuffer>, 200, {
        'content-type': 'application/x-protobuf',
      });
    }
    return c.json(partial ? { partialSuccess: partial } : {}, 200);
  });
  return app;
}
