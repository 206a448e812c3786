/**
 * Response schemas of the public API, for the OpenAPI document (`/openapi.json`, `/docs`).
 * Request schemas come from @sightline/core; these describe what the handlers return.
 */
import { z } from '@hono/zod-openapi';

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_request' }),
      message: z
        .string()
        .openapi({ example: 'events.0.body.role: Invalid option: expected one of "human"|"agent"|"system"' }),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');

const feedbackCounts = z.object({ positive: z.number(), neutral: z.number(), negative: z.number() });

export const conversationSummarySchema = z
  .object({
    id: z.string(),
    customerId: z.string().nullable(),
    name: z
      .string()
      .nullable()
      .openapi({ description: 'The name a person gave it (PATCH), else the name its tracker sent' }),
    marked: z.boolean().openapi({ description: 'Marked by a person as important (PATCH)' }),
    source: z.string().nullable(),
    device: z.string().nullable(),
    language: z.string().nullable(),
    environment: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    tags: z.array(z.string()),
    startedAt: z.string(),
    lastActivityAt: z.string(),
    endedAt: z.string().nullable(),
    firstMessage: z.string().nullable(),
    messageCount: z.number(),
    stepCount: z.number(),
    toolCallCount: z.number(),
    llmCallCount: z.number(),
    errorCount: z.number(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    totalTokens: z.number(),
    costUsd: z.number(),
    durationMs: z.number(),
    feedback: feedbackCounts,
  })
  .openapi('ConversationSummary');

export const conversationPageSchema = z
  .object({ data: z.array(conversationSummarySchema), nextCursor: z.string().nullable() })
  .openapi('ConversationPage');

export const storedStepSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    parentId: z.string().nullable(),
    type: z.string(),
    name: z.string(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    durationMs: z.number().nullable(),
    input: z.unknown(),
    output: z.unknown(),
    error: z
      .object({ message: z.string(), type: z.string().optional(), stack: z.string().optional() })
      .nullable(),
    toolsUsed: z.array(z.string()),
    usage: z
      .object({
        model: z.string(),
        provider: z.string().nullable(),
        inputTokens: z.number(),
        outputTokens: z.number(),
        totalTokens: z.number(),
        costUsd: z.number().nullable(),
        timeToFirstTokenMs: z.number().nullable(),
      })
      .nullable(),
    metadata: z.record(z.string(), z.unknown()),
  })
  .openapi('Step');

export const conversationDetailSchema = z
  .object({
    conversation: conversationSummarySchema,
    messages: z.array(
      z.object({
        id: z.string(),
        conversationId: z.string(),
        role: z.enum(['human', 'agent', 'system']),
        content: z.string(),
        metadata: z.record(z.string(), z.unknown()),
        attachments: z.array(
          z.object({
            name: z.string(),
            mimeType: z.string().optional(),
            url: z.string().optional(),
            sizeBytes: z.number().optional(),
          }),
        ),
        timestamp: z.string(),
      }),
    ),
    steps: z.array(storedStepSchema),
    feedback: z.array(
      z.object({
        id: z.string(),
        conversationId: z.string(),
        messageId: z.string().nullable(),
        sentiment: z.enum(['positive', 'neutral', 'negative']).nullable(),
        score: z.object({ name: z.string(), value: z.number() }).nullable(),
        comment: z.string().nullable(),
        source: z.enum(['customer', 'platform', 'auto']),
        timestamp: z.string(),
      }),
    ),
    totals: z.object({
      inputTokens: z.number(),
      outputTokens: z.number(),
      totalTokens: z.number(),
      costUsd: z.number(),
      durationMs: z.number(),
      toolCalls: z.number(),
      llmCalls: z.number(),
      errors: z.number(),
      responseLatencyP50Ms: z.number().nullable(),
      responseLatencyP95Ms: z.number().nullable(),
    }),
  })
  .openapi('ConversationDetail');

const metricValues = {
  conversations: z.number(),
  messages: z.number(),
  humanMessages: z.number(),
  agentMessages: z.number(),
  customers: z.number(),
  toolCalls: z.number(),
  toolErrors: z.number(),
  llmCalls: z.number(),
  errors: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
  responseLatencyP50Ms: z.number().nullable(),
  responseLatencyP95Ms: z.number().nullable(),
  feedback: feedbackCounts,
};

export const metricsSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    bucket: z.enum(['hour', 'day']),
    series: z.array(z.object({ t: z.string(), ...metricValues })),
    totals: z.object(metricValues),
    tools: z.array(
      z.object({
        name: z.string(),
        calls: z.number(),
        errors: z.number(),
        errorRate: z.number(),
        p50Ms: z.number().nullable(),
        p95Ms: z.number().nullable(),
      }),
    ),
    models: z.array(
      z.object({
        model: z.string(),
        provider: z.string().nullable(),
        calls: z.number(),
        inputTokens: z.number(),
        outputTokens: z.number(),
        costUsd: z.number(),
      }),
    ),
    heatmap: z.array(z.object({ weekday: z.number(), hour: z.number(), conversations: z.number() })),
  })
  .openapi('Metrics');

export const customerPageSchema = z
  .object({
    data: z.array(
      z.object({
        customerId: z.string(),
        conversations: z.number(),
        messages: z.number(),
        toolCalls: z.number(),
        errors: z.number(),
        inputTokens: z.number(),
        outputTokens: z.number(),
        costUsd: z.number(),
        firstSeenAt: z.string(),
        lastSeenAt: z.string(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('CustomerPage');

export const ingestResponseSchema = z
  .object({
    accepted: z.number(),
    duplicates: z.number(),
    rejected: z.number(),
    results: z.array(
      z.object({
        index: z.number(),
        id: z.string().nullable(),
        status: z.enum(['accepted', 'duplicate', 'rejected']),
        issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
        sanitized: z
          .array(z.string())
          .optional()
          .openapi({ description: 'Fields stored with U+0000 or lone UTF-16 surrogates replaced by U+FFFD' }),
      }),
    ),
  })
  .openapi('IngestResponse');

export const ingestionHealthSchema = z
  .object({
    rejected: z.array(
      z.object({
        at: z.string(),
        eventId: z.string().nullable(),
        path: z.string(),
        message: z.string(),
        sample: z.string().nullable(),
      }),
    ),
    rejectedByReason: z.array(z.object({ path: z.string(), message: z.string(), count: z.number() })),
    clients: z.array(
      z.object({
        instanceId: z.string(),
        sdk: z.string(),
        version: z.string().nullable(),
        lastSeenAt: z.string(),
        droppedEvents: z.number(),
        payloadsTruncated: z.number(),
        reasons: z.record(z.string(), z.number()),
      }),
    ),
    counters: z.array(z.object({ name: z.string(), count: z.number(), lastAt: z.string() })),
  })
  .openapi('IngestionHealth');

export const projectSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    scope: z.enum(['ingest', 'read', 'chat', 'admin']),
  })
  .openapi('Project');

/** The standard error responses every authenticated route can give. */
export const errorResponses = {
  400: {
    description: 'Invalid input; `issues` names each field',
    content: { 'application/json': { schema: errorSchema } },
  },
  401: {
    description: 'Missing or invalid API key',
    content: { 'application/json': { schema: errorSchema } },
  },
  403: {
    description: 'The key has the wrong scope; the message names the scopes the route accepts',
    content: { 'application/json': { schema: errorSchema } },
  },
} as const;
