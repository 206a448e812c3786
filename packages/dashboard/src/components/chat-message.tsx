import type { DynamicToolUIPart, UIMessage } from 'ai';
import type { Thumb } from '../api/scores-api.ts';
import { JsonView } from './json-view.tsx';
import { MessageThumbs } from './message-thumbs.tsx';

/** One chat message: text, reasoning (folded), and tool calls with their state, approvals included. */
export function ChatMessage(props: {
  message: UIMessage;
  onApproval: (approvalId: string, approved: boolean) => void;
  /** Thumbs on the agent's answer: what was given here before and how to give one (none while it streams). */
  thumbs?: { given: Thumb | undefined; onSave: (thumb: Thumb) => Promise<void> } | undefined;
}) {
  const { message } = props;
  return (
    <article className={`message message-${message.role === 'user' ? 'human' : 'agent'}`}>
      <div className="message-meta">
        <span className="message-role">{message.role === 'user' ? 'You' : 'Agent'}</span>
      </div>
      {message.parts.map((part, index) => {
        const key = `${message.id}-${index}`;
        if (part.type === 'text')
          return (
            <div key={key} className="message-body">
              {part.text}
            </div>
          );
        if (part.type === 'reasoning')
          return (
            <details key={key} className="chat-reasoning">
              <summary className="muted small">Reasoning</summary>
              <div className="message-body small">{part.text}</div>
            </details>
          );
        if (part.type === 'dynamic-tool' || part.type.startsWith('tool-'))
          return <ToolCall key={key} part={part as DynamicToolUIPart} onApproval={props.onApproval} />;
        if (part.type === 'data-handoff') {
          const data = (part as { data?: { from?: string; to?: string } }).data;
          return (
            <p key={key} className="muted small">
              Handoff: {data?.from ?? '?'} → {data?.to ?? '?'}
            </p>
          );
        }
        return null;
      })}
      {props.thumbs && message.role === 'assistant' ? (
        <MessageThumbs given={props.thumbs.given} onSave={props.thumbs.onSave} />
      ) : null}
    </article>
  );
}

const STATE_LABELS: Record<DynamicToolUIPart['state'], string> = {
  'input-streaming': 'preparing…',
  'input-available': 'running…',
  'approval-requested': 'needs your approval',
  'approval-responded': 'answered',
  'output-available': 'done',
  'output-error': 'failed',
  'output-denied': 'denied',
};

function ToolCall(props: {
  part: DynamicToolUIPart;
  onApproval: (approvalId: string, approved: boolean) => void;
}) {
  const { part } = props;
  const name = part.toolName ?? part.type.replace(/^tool-/, '');
  const tone =
    part.state === 'output-error' || part.state === 'output-denied'
      ? 'status-error'
      : part.state === 'output-available'
        ? 'status-ok'
        : 'status-running';
  return (
    <div className="chat-tool" data-tool-state={part.state}>
      <div className="chat-tool-head">
        <span className="type-badge type-tool">tool</span>
        <code>{name}</code>
        <span className={`status ${tone}`}>{STATE_LABELS[part.state] ?? part.state}</span>
      </div>
      {part.input !== undefined ? <JsonView value={part.input} openDepth={1} label="Arguments" /> : null}
      {part.state === 'approval-requested' ? (
        <fieldset className="chat-approval">
          <legend>Run {name} with these arguments?</legend>
          <button
            type="button"
            className="button button-primary"
            onClick={() => props.onApproval(part.approval.id, true)}
          >
            Approve
          </button>
          <button type="button" className="button" onClick={() => props.onApproval(part.approval.id, false)}>
            Deny
          </button>
        </fieldset>
      ) : null}
      {part.state === 'output-available' ? (
        <JsonView value={part.output} openDepth={1} label="Result" />
      ) : null}
      {part.state === 'output-error' ? <p className="error-message">{part.errorText}</p> : null}
    </div>
  );
}
