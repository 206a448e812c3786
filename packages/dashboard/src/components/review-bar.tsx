import { useState } from 'react';
import type { ApiError } from '../api/api-error.ts';
import { markReviewed, reviewQueue } from '../api/review-api.ts';
import type { ConversationDetail } from '../api/types.ts';
import { reviewReasons } from '../lib/review-reasons.ts';
import { navigate, pathOf } from '../router/hash-router.ts';
import { useSession } from '../session/session-context.tsx';
import { ErrorBanner } from './error-banner.tsx';
import { ReviewReasonBadges } from './review-reasons-badges.tsx';

/**
 * Above a conversation opened from the review queue: why it is there and, for an admin key, "Mark
 * reviewed", which scores it `review: done` and opens the next one in the queue (or the empty queue).
 */
export function ReviewBar(props: { detail: ConversationDetail }) {
  const session = useSession();
  const client = session.project?.scope === 'admin' ? session.client : null;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const id = props.detail.conversation.id;

  const done = async () => {
    if (!client) return;
    setBusy(true);
    setError(null);
    try {
      await markReviewed(client, id);
      const queue = await reviewQueue(client);
      const next = queue.data.find((row) => row.id !== id);
      navigate(next ? pathOf('review', next.id) : pathOf('review'));
    } catch (failure) {
      setError(failure as ApiError);
      setBusy(false);
    }
  };

  return (
    <section className="review-bar" aria-label="Review">
      <div className="review-bar-text">
        <a className="back-link" href={`#${pathOf('review')}`}>
          ← Review queue
        </a>
        <ReviewReasonBadges reasons={reviewReasons(props.detail)} />
      </div>
      {client ? (
        <button type="button" className="button button-primary" onClick={done} disabled={busy}>
          {busy ? 'Saving…' : 'Mark reviewed'}
        </button>
      ) : (
        <p className="muted small">An admin key marks conversations reviewed.</p>
      )}
      {error ? <ErrorBanner error={error} /> : null}
    </section>
  );
}
