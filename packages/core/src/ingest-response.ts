/**
 * The answer to `POST /v1/ingest` (and `/v1/otlp/v1/traces`): counts and one result per event, in
 * request order. A response schema: the types are inferred from it; the OpenAPI document names it
 * `IngestResponse`.
 */
import { z } from 'zod';
import type { FieldIssue } from './errors.ts';

export const INGEST_STATUSES = ['accepted', 'duplicate', 'rejected'] as const;
export type IngestStatus = (typeof INGEST_STATUSES)[number];

const fieldIssueSchema: z.ZodType<FieldIssue> = z.object({
  path: z.string().describe('Dotted path to the field, e.g. `events.3.body.content`'),
  message: z.string(),
});

/** The server's answer for one event of a batch. */
export const ingestResultSchema = z.object({
  index: z.number(),
  id: z.string().nullable(),
  status: z.enum(INGEST_STATUSES),
  issues: z.array(fieldIssueSchema).optional(),
  sanitized: z
    .array(z.string())
    .optional()
    .describe('Fields stored with U+0000 or lone UTF-16 surrogates replaced by U+FFFD'),
});

export type IngestResult = z.output<typeof ingestResultSchema>;

/** The body of the answer to `POST /v1/ingest`: counts and one result per event, in request order. */
export const ingestResponseSchema = z
  .object({
    accepted: z.number(),
    duplicates: z.number(),
    rejected: z.number(),
    results: z.array(ingestResultSchema),
  })
  .meta({ id: 'IngestResponse' });

export type IngestResponse = z.output<typeof ingestResponseSchema>;
