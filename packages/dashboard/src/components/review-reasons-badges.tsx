import type { ConversationDetail } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { describeReason, type ReviewReason, reviewReasons } from '../lib/review-reasons.ts';
import './review.css';

/** The reasons a conversation is queued for review, as badges. */
export function ReviewReasonBadges(props: { reasons: ReviewReason[] }) {
  return (
    <ul className="review-reasons" aria-label="Why it is in the queue">
      {props.reasons.map((reason) => (
        <li key={reason.kind} className={`review-reason review-reason-${reason.kind}`}>
          {describeReason(reason)}
        </li>
      ))}
    </ul>
  );
}

/** The reasons of a queued conversation, read from it in full (a list summary does not tell a block). */
export function LoadedReviewReasons(props: { id: string }) {
  const { data, error } = useApi(
    (client, signal): Promise<ConversationDetail> => client.conversation(props.id, signal),
    [props.id],
  );
  if (error) return <p className="muted small">Reasons unavailable: {error.message}</p>;
  if (!data) return <p className="muted small">Reading why…</p>;
  return <ReviewReasonBadges reasons={reviewReasons(data)} />;
}
