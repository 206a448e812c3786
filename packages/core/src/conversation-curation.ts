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

/** Rows an erasure removed from the collector's database, table by table. */
export interface ErasedRows {
  conversations: number;
  messages: number;
  steps: number;
  feedback: number;
  /** Scores on the erased conversations, their messages and steps. */
  scores: number;
  /** Ids of conversations merged into an erased one (`conversation_aliases`). */
  conversationAliases: number;
  /** Rejected-event samples on the ingestion page that named an erased conversation or the customer. */
  ingestRejections: number;
  /** The customer's row of all-time totals (1 when the customer has no conversation left). */
  customers: number;
  /** The customer's usage per day. */
  customerDays: number;
  /** The hours and days the customer was active in (distinct-customer counts). */
  customerActivity: number;
}

/**
 * The answer to `DELETE /v1/conversations/:id` and `DELETE /v1/customers/:id`: what was erased, when,
 * and how many rows of each kind went. A repeated delete answers zeros (erasure is idempotent).
 */
export interface ErasureReceipt {
  kind: 'conversation' | 'customer';
  /** The conversation's or the customer's id. */
  id: string;
  erasedAt: string;
  removed: ErasedRows;
  /** Events of the erased conversations dropped from live feeds of the node that answered. */
  liveEvents: number;
  /**
   * What was erased outside the collector's tables, by whoever holds it: e.g. `sessions`,
   * `sessionItems`, `pausedRuns`, `runs`, `runEvents` of agents served next to the collector.
   */
  elsewhere: Record<string, number>;
}
