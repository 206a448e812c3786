/**
 * A workflow run as a conversation: what the workflow says, its questions (answerable while open),
 * the result or error it ended with; the state of the connection (reconnecting after a drop) and Stop.
 */
import { useEffect, useRef } from 'react';
import { useWorkflowRun } from '../chat/use-workflow-run.ts';
import type { WorkflowConversation, WorkflowItem } from '../lib/workflow-conversation.ts';
import { pathOf } from '../router/hash-router.ts';
import { ErrorBanner } from './error-banner.tsx';
import { WorkflowQuestion } from './workflow-question.tsx';

export function WorkflowView(props: {
  workflow: string;
  runId: string;
  apiKey: string;
  onRunAgain: () => void;
}) {
  const run = useWorkflowRun({ key: props.apiKey, runId: props.runId });
  const { conversation } = run;
  const endRef = useRef<HTMLDivElement>(null);
  const running = conversation.status === 'running' || conversation.status === 'starting';

  useEffect(() => {
    if (conversation.items.length > 0) endRef.current?.scrollIntoView({ block: 'nearest' });
  }, [conversation.items.length]);

  const renderItem = (item: WorkflowItem) => {
    switch (item.kind) {
      case 'message':
        return (
          <article key={item.eventId} className="message message-agent">
            <div className="message-meta">
              <span className="message-role">{props.workflow}</span>
            </div>
            <div className="message-body">{item.text}</div>
          </article>
        );
      case 'question':
        return (
          <article key={item.eventId} className="message message-agent wf-question-message">
            <div className="message-meta">
              <span className="message-role">{props.workflow}</span>
              <span className="muted">{item.question.type === 'ask' ? 'asks' : 'asks you to choose'}</span>
            </div>
            <WorkflowQuestion
              question={item.question}
              state={item.state}
              given={run.answers[item.question.questionId]}
              attempt={run.attempts[item.question.questionId]}
              onAnswer={(answer, options) => run.answer(item.question.questionId, answer, options)}
            />
          </article>
        );
      case 'completed':
        return (
          <article key={item.eventId} className="message wf-result" aria-label="Result">
            <div className="message-meta">
              <span className="message-role">Result</span>
              <span className="status status-ok">completed</span>
            </div>
            <div className="message-body">{item.result}</div>
          </article>
        );
      case 'failed':
        return (
          <div key={item.eventId} className="banner banner-error" role="alert">
            <div>
              <strong>The workflow failed ({item.code}).</strong> {item.message}
            </div>
          </div>
        );
      case 'cancelled':
        return (
          <div key={item.eventId} className="banner banner-warn" role="status">
            <div>
              <strong>Stopped.</strong> {item.reason}
            </div>
          </div>
        );
      case 'interrupted':
        return (
          <div key={item.eventId} className="banner banner-error" role="alert">
            <div>
              <strong>Interrupted.</strong> {item.reason}
            </div>
          </div>
        );
    }
  };

  return (
    <div className="chat wf">
      <div className="chat-log wf-log" role="log" aria-live="polite" aria-label="Workflow conversation">
        {conversation.items.length === 0 && running ? (
          <p className="muted pad">Starting {props.workflow}…</p>
        ) : null}
        {conversation.items.map(renderItem)}
        <div ref={endRef} />
      </div>
      {run.failure ? (
        running ? (
          <ErrorBanner error={run.failure} onRetry={run.retry} />
        ) : (
          <ErrorBanner error={run.failure} />
        )
      ) : null}
      {run.stopError ? <ErrorBanner error={run.stopError} /> : null}
      <div className="wf-footer">
        <p className="wf-status" role="status">
          {statusText(conversation, run.stream)}
        </p>
        {running ? (
          <button type="button" className="button" onClick={run.stop}>
            Stop
          </button>
        ) : (
          <button type="button" className="button button-primary" onClick={props.onRunAgain}>
            Run again
          </button>
        )}
      </div>
      <p className="muted small wf-ids">
        Run <code>{props.runId}</code>
        {conversation.conversationId ? (
          <>
            {' '}
            · <a href={`#${pathOf('conversations', conversation.conversationId)}`}>see it in Conversations</a>
          </>
        ) : null}
      </p>
    </div>
  );
}

function statusText(
  conversation: WorkflowConversation,
  stream: ReturnType<typeof useWorkflowRun>['stream'],
): string {
  switch (conversation.status) {
    case 'completed':
      return 'Completed.';
    case 'failed':
      return 'Failed.';
    case 'cancelled':
      return 'Stopped.';
    case 'interrupted':
      return 'Interrupted: the server running it stopped.';
    default:
      break;
  }
  if (stream.state === 'reconnecting') return `Connection lost; reconnecting (attempt ${stream.attempt})…`;
  if (stream.state === 'offline') return 'Disconnected.';
  if (stream.state === 'connecting') return 'Connecting…';
  const open = conversation.items.some((item) => item.kind === 'question' && item.state === 'open');
  return open ? 'Waiting for your answer.' : 'Working…';
}
