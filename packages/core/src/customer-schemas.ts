/**
 * What `GET /v1/customers` answers: customers with their usage, cost and scores. Response schemas: the
 * types are inferred from them; the OpenAPI document names them by their `id`.
 */
import { z } from 'zod';
import { pageSchema } from './conversation-schemas.ts';
import { scoreSummarySchema } from './score-schemas.ts';

/** One customer's totals over their conversations. */
export const customerSummarySchema = z
  .object({
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
    scores: z
      .array(scoreSummarySchema)
      .describe("The customer's scores of all time (on their conversations), per name, data type and source"),
  })
  .meta({ id: 'CustomerSummary' });

export type CustomerSummary = z.output<typeof customerSummarySchema>;

/** `GET /v1/customers`: a page of customers. */
export const customerPageSchema = pageSchema(customerSummarySchema).meta({ id: 'CustomerPage' });
