/**
 * The list filter `needsReview`: a conversation is in the review queue when it has negative customer
 * feedback, a failed step or a guardrail step whose tripwire fired (`triggered` in its metadata), and
 * no `review` score of value `done` (core's review-queue.ts).
 */
import { REVIEW_DONE_VALUE, REVIEW_SCORE_NAME } from '@sightline/core';
import { type ExpressionBuilder, sql } from 'kysely';
import type { DialectAdapter } from '../dialect.ts';
import type { Database } from '../schema.ts';

type ConversationsBuilder = ExpressionBuilder<Database, 'conversations'>;

/** The condition "in the review queue" (or, with `inQueue` false, "not in it") on a conversations row. */
export function reviewCondition(eb: ConversationsBuilder, adapter: DialectAdapter, inQueue: boolean) {
  const trippedGuardrail = eb
    .selectFrom('steps as g')
    .select(sql<number>`1`.as('one'))
    .whereRef('g.project_id', '=', 'conversations.project_id')
    .whereRef('g.conversation_id', '=', 'conversations.id')
    .where('g.type', '=', 'guardrail')
    .where(adapter.metadataEquals(sql.ref('g.metadata'), 'triggered', 'true'));
  const reviewed = eb
    .selectFrom('scores as r')
    .select(sql<number>`1`.as('one'))
    .whereRef('r.project_id', '=', 'conversations.project_id')
    .whereRef('r.conversation_id', '=', 'conversations.id')
    .where('r.name', '=', REVIEW_SCORE_NAME)
    .where('r.data_type', '=', 'categorical')
    .where('r.value_text', '=', REVIEW_DONE_VALUE);
  const queued = eb.and([
    eb.or([eb('fb_negative', '>', 0), eb('error_count', '>', 0), eb.exists(trippedGuardrail)]),
    eb.not(eb.exists(reviewed)),
  ]);
  return inQueue ? queued : eb.not(queued);
}
