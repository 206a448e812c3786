/**
 * What `GET /v1/ingestion/health` answers: rejected events with reasons, trackers' drop counters, and
 * what the collector changed in stored events. A response schema: the type is inferred from it.
 */
import { z } from 'zod';

/** Rejected events (latest samples and counts per reason), trackers' reports, the collector's counters. */
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
    counters: z
      .array(z.object({ name: z.string(), count: z.number(), lastAt: z.string() }))
      .describe(
        'What the collector changed in stored events, by kind: `text_replaced` counts fields whose U+0000 or lone surrogates became U+FFFD',
      ),
  })
  .meta({ id: 'IngestionHealth' });

export type IngestionHealth = z.output<typeof ingestionHealthSchema>;
