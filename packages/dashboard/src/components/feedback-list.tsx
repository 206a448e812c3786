import type { StoredFeedback } from '../api/types.ts';
import { formatFullTime } from '../lib/format.ts';

/** Feedback on the conversation: sentiment or score, the comment, who gave it, when. */
export function FeedbackList(props: { feedback: StoredFeedback[] }) {
  if (props.feedback.length === 0) return <p className="muted">No feedback.</p>;
  return (
    <ul className="feedback-list">
      {props.feedback.map((item) => (
        <li key={item.id} className={`feedback-item fb-${item.sentiment ?? 'neutral'}`}>
          <strong>{item.sentiment ?? 'score'}</strong>
          {item.score ? (
            <span>
              {' '}
              {item.score.name} = {item.score.value}
            </span>
          ) : null}
          {item.comment ? <span> “{item.comment}”</span> : null}
          <span className="muted small">
            {' '}
            · {item.source} · {formatFullTime(item.timestamp)}
            {item.messageId ? ' · on a message' : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}
