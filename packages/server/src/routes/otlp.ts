/**
 * `POST /v1/otlp/v1/traces`: OTLP/HTTP trace export (protobuf or JSON, gzip allowed). GenAI and
 * OpenInference spans become conversations, messages and steps; the answer is the OTLP export
 * response, with partial-success counts when some spans could not be stored.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { LIMITS, type ParsedEvent, parseIngestEvent } from '@sightline/core';
import { errorResponses, errorSchema } from '../api-schemas.ts';
import { type AppEnv, type KeyCache, requireKey } from '../auth.ts';
import { ServerError } from '../errors.ts';
import { flattenSpans } from '../otlp/otlp-spans.ts';
import { spansToEvents } from '../otlp/span-mapping.ts';
import { decodeTraceRequest, encodeTraceResponse } from '../otlp/trace-proto.ts';
import { parseJson, readBodyBytes } from '../request-body.ts';
import type { WriteQueue } from '../write-queue.ts';

export interface OtlpDeps {
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
  try {
    return decodeTraceRequest(bytes);
  } catch (cause) {
    throw new ServerError('invalid_request', 'body: is not an OTLP ExportTraceServiceRequest', {
      cause,
      issues: [{ path: 'body', message: 'is not valid OTLP protobuf' }],
    });
  }
}

/** The OTLP traces router (ingest key). */
export function otlpRoutes(deps: OtlpDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/v1/otlp/v1/traces',
    tags: ['Ingest'],
    summary: 'OTLP/HTTP trace export (GenAI and OpenInference spans)',
    description:
      "Point an OpenTelemetry OTLP/HTTP exporter here (`url: <server>/v1/otlp/v1/traces`, header `Authorization: Bearer <ingest key>`). `gen_ai.conversation.id` or `session.id` names the conversation (else the trace id); `user.id` the customer; LLM, tool, agent, retrieval and guardrail spans become typed steps with usage; each trace's user input and final answer become messages.",
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
        description: 'ExportTraceServiceResponse (partial success when spans were rejected)',
        content: { 'application/json': { schema: { type: 'object' } } },
      },
      ...errorResponses,
      413: {
        description: 'Body over the byte limit',
        content: { 'application/json': { schema: errorSchema } },
      },
      415: { description: 'Not protobuf or JSON', content: { 'application/json': { schema: errorSchema } } },
    },
  });
  app.post('/v1/otlp/v1/traces', requireKey(deps.keys, 'ingest'), async (c) => {
    const encoding = encodingOf(c.req.header('content-type'));
    const request = decode(
      await readBodyBytes(c, { maxBytes: deps.maxBatchBytes ?? LIMITS.maxBatchBytes }),
      encoding,
    );
    const mapped = spansToEvents(flattenSpans(request));
    const accepted: ParsedEvent[] = [];
    const seen = new Set<string>();
    const problems: string[] = [];
    let rejectedSpans = 0;
    mapped.forEach(({ event, spanIndex }, index) => {
      const parsed = parseIngestEvent(event, index);
      if ('issues' in parsed) {
        if (spanIndex !== null) rejectedSpans += 1;
        problems.push(
          parsed.issues
            .map((issue) => `${issue.path.replace(/^events\.\d+\./, '')}: ${issue.message}`)
            .join('; '),
        );
      } else if (!seen.has(parsed.id)) {
        seen.add(parsed.id);
        accepted.push(parsed);
      }
    });
    await deps.queue.submit(c.get('auth').projectId, accepted);
    const partial =
      rejectedSpans > 0 || problems.length > 0
        ? { rejectedSpans, errorMessage: problems.slice(0, 5).join(' | ') }
        : null;
    if (encoding === 'protobuf') {
      return c.body(encodeTraceResponse(partial) as Uint8Array<ArrayBuffer>, 200, {
        'content-type': 'application/x-protobuf',
      });
    }
    return c.json(partial ? { partialSuccess: partial } : {}, 200);
  });
  return app;
}
