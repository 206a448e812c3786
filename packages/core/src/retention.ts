/**
 * Retention: how many days a project keeps its data (`retentionDays` in the project settings), the
 * customers kept for another number of days than the project (an override each, longer or shorter),
 * and what expiry removed. A conversation expires whole once its last activity is older than the
 * window, with its messages, steps, feedback and scores (see the store's README, Retention).
 */
import { z } from 'zod';
import { type ErasedRows, erasedRowsSchema } from './conversation-curation.ts';

/** Most days a retention may be: 100 years. */
export const MAX_RETENTION_DAYS = 36_500;

/** A number of days data is kept: a whole number from 1 to 36,500. */
export const retentionDaysSchema = z
  .number({ message: 'must be a number of days' })
  .int('must be a whole number of days')
  .min(1, 'must be at least 1 day')
  .max(MAX_RETENTION_DAYS, `must be at most ${MAX_RETENTION_DAYS} days`);

/**
 * Body of `PUT`/`PATCH /v1/customers/:id/retention`: keep this customer's data `days` days instead of
 * the project's retention (shorter or longer); null removes the override.
 */
export const customerRetentionPatchSchema = z.strictObject({ days: retentionDaysSchema.nullable() });

export type CustomerRetentionPatch = z.infer<typeof customerRetentionPatchSchema>;

/** A customer kept for another number of days than their project. */
export const customerRetentionSchema = z
  .object({
    customerId: z.string(),
    days: z.number().int(),
    updatedAt: z.string().describe('When the override was last set (ISO 8601)'),
  })
  .meta({ id: 'CustomerRetention' });

export type CustomerRetention = z.output<typeof customerRetentionSchema>;

/** Rows an expiry removed, per kind: the same kinds an erasure counts. */
export type ExpiredRows = ErasedRows;

/** Nothing removed yet. */
export function noExpiredRows(): ExpiredRows {
  return {
    conversations: 0,
    messages: 0,
    steps: 0,
    feedback: 0,
    scores: 0,
    conversationAliases: 0,
    ingestRejections: 0,
    customers: 0,
    customerDays: 0,
    customerActivity: 0,
  };
}

/** The last expiry run of a project, as the collector recorded it. */
export const retentionRunSchema = z
  .object({
    at: z.string().describe('When it ended (ISO 8601)'),
    cutoff: z
      .string()
      .nullable()
      .describe(
        "The project's cutoff then (older conversations went); null when only customers' overrides apply",
      ),
    caughtUp: z
      .boolean()
      .describe('True when nothing past the window was left; false when the run stopped at its batch budget'),
    removed: erasedRowsSchema.describe('What it removed, per kind'),
    removedTotal: erasedRowsSchema.describe('What every run of the project removed, added up'),
  })
  .meta({ id: 'RetentionRun' });

export type RetentionRun = z.output<typeof retentionRunSchema>;

/** `GET /v1/retention`: the project's retention, its customers' overrides and the last run. */
export const retentionStatusSchema = z
  .object({
    retentionDays: z
      .number()
      .int()
      .nullable()
      .describe('Days the project keeps conversations; null: forever'),
    customers: z.array(customerRetentionSchema),
    lastRun: retentionRunSchema.nullable(),
  })
  .meta({ id: 'RetentionStatus' });

export type RetentionStatus = z.output<typeof retentionStatusSchema>;
