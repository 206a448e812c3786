/**
 * What people (not trackers) do to stored conversations: rename and mark them (AgentSight's
 * `rename_conversation` and `mark_conversation`: marked = important, a filter of the list), and erase a
 * conversation or a customer (right to erasure), answered with a receipt of what was removed.
 */
import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { hasUnstorableText } from './well-formed-text.ts';

/** A name a person gives a conversation: 1..512 characters once trimmed, storable by both databases. */
const givenName = z
  .string()
  .trim()
  .min(1, 'must not be empty (send null to go back to the tracked name)')
  .max(LIMITS.maxNameLength, `must be at most ${LIMITS.maxNameLength} characters`)
  .refine((value) => !hasUnstorableText(value), 'must not contain U+0000 or a lone surrogate');

/**
 * Body of `PATCH /v1/conversations/:id`: `name` renames it (null goes back to the name its tracker
 * sent), `marked` marks or unmarks it. At least one of them.
 */
export const conversationPatchSchema = z
  .strictObject({
    name: givenName.nullable().optional(),
    marked: z.boolean({ message: 'must be true or false' }).optional(),
  })
  .refine((patch) => patch.name !== undefined || patch.marked !== undefined, {
    message: 'must set name or marked',
  });

export type ConversationPatch = z.infer<typeof conversationPatchSchema>;

const count = z.number().int();

/** Rows an erasure removed from the collector's database, table by table. */
export const erasedRowsSchema = z
  .object({
    conversations: count,
    messages: count,
    steps: count,
    feedback: count,
    scores: count.describe('Scores on the erased conversations, their messages and steps'),
    conversationAliases: count.describe(
      'Ids of conversations merged into an erased one (`conversation_aliases`)',
    ),
    ingestRejections: count.describe(
      'Rejected-event samples on the ingestion page that named an erased conversation or the customer',
    ),
    customers: count.describe(
      "The customer's row of all-time totals (1 when the customer has no conversation left)",
    ),
    customerDays: count.describe("The customer's usage per day"),
    customerActivity: count.describe(
      'The hours and days the customer was active in (distinct-customer counts)',
    ),
  })
  .describe("Rows removed from the collector's tables, table by table (zeros when repeated)");

export type ErasedRows = z.output<typeof erasedRowsSchema>;

/**
 * The answer to `DELETE /v1/conversations/:id` and `DELETE /v1/customers/:id`: what was erased, when,
 * and how many rows of each kind went. A repeated delete answers zeros (erasure is idempotent).
 */
export const erasureReceiptSchema = z
  .object({
    kind: z.enum(['conversation', 'customer']),
    id: z.string().describe("The conversation's or the customer's id"),
    erasedAt: z.string(),
    removed: erasedRowsSchema,
    datasets: z
      .object({
        datasetItems: count.describe('Dataset items taken from an erased conversation'),
        experimentItems: count.describe(
          'Experiment items pointing at an erased conversation or at a dataset item that went',
        ),
        replayConversations: count.describe(
          "Conversations an experiment made by replaying a dataset item that went (they hold the erased person's turns); erased with it and counted in `removed` too",
        ),
      })
      .describe('What went from datasets and experiments with the erased conversations'),
    liveEvents: count.describe(
      'Events of the erased conversations dropped from live feeds of the node that answered',
    ),
    elsewhere: z
      .record(z.string(), count)
      .describe(
        "What was erased outside the collector's tables, by whoever holds it: with `sightline start`, the served agents' sessions, sessionItems, pausedRuns, runs and runEvents",
      ),
  })
  .meta({ id: 'ErasureReceipt' });

export type ErasureReceipt = z.output<typeof erasureReceiptSchema>;
