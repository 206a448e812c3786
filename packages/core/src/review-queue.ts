/**
 * The review queue: conversations a person should look at (negative customer feedback, a failed step,
 * or a guardrail that blocked a run) until a reviewer marks them reviewed. "Reviewed" is a score, so
 * the queue needs no column of its own: name `review`, categorical value `done`, source `human`,
 * scoreId `review` (one per conversation; giving it again replaces it).
 */

/** The name of the score that marks a conversation reviewed. */
export const REVIEW_SCORE_NAME = 'review';

/** The value of the review score that takes a conversation out of the queue. */
export const REVIEW_DONE_VALUE = 'done';

/** The scoreId of a conversation's review score (one per conversation). */
export const REVIEW_SCORE_ID = 'review';
