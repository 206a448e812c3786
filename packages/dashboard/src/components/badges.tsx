import type { FeedbackCounts } from '../api/types.ts';

/** A step's type as a colored tag (tool, llm, retrieval, …). */
export function StepTypeBadge(props: { type: string }) {
  const known = ['run', 'agent', 'turn', 'tool', 'llm', 'retrieval', 'guardrail', 'handoff', 'action', 'mcp'];
  const tone = known.includes(props.type) ? props.type : 'custom';
  return <span className={`type-badge type-${tone}`}>{props.type === 'llm' ? 'model' : props.type}</span>;
}

/** Positive / neutral / negative counts, or a dash when there is no feedback. */
export function FeedbackSummary(props: { feedback: FeedbackCounts }) {
  const { positive, neutral, negative } = props.feedback;
  if (positive + neutral + negative === 0) return <span className="muted">–</span>;
  return (
    <span
      className="feedback-summary"
      title={`${positive} positive, ${neutral} neutral, ${negative} negative`}
    >
      {positive > 0 ? <span className="fb fb-positive">▲{positive}</span> : null}
      {neutral > 0 ? <span className="fb fb-neutral">●{neutral}</span> : null}
      {negative > 0 ? <span className="fb fb-negative">▼{negative}</span> : null}
    </span>
  );
}

/** A count that turns red when above zero (errors). */
export function ErrorCount(props: { count: number }) {
  return props.count > 0 ? (
    <span className="error-count">{props.count}</span>
  ) : (
    <span className="muted">0</span>
  );
}
