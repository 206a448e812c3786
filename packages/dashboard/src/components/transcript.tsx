/**
 * The conversation as it was said: human and agent messages, and under each agent message what the
 * agent did for it (tool actions, model calls…), folded into one line until opened. Virtualized with
 * measured heights, so long conversations stay smooth.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { Thumb } from '../api/scores-api.ts';
import type { StoredFeedback, StoredMessage, StoredStep } from '../api/types.ts';
import { formatClock, formatCost, formatDuration, formatFullTime, formatTokens } from '../lib/format.ts';
import { buildTranscript, describeSteps, type TranscriptEntry } from '../lib/transcript.ts';
import { isTriggeredGuardrail } from '../lib/turn-outcome.ts';
import { StepTypeBadge } from './badges.tsx';
import { MessageThumbs } from './message-thumbs.tsx';
import { StepDetail, StepStatus } from './step-detail.tsx';
import { OUTCOME_LABELS, OutcomeNote, RunErrorNote } from './turn-notes.tsx';

export function Transcript(props: {
  messages: StoredMessage[];
  steps: StoredStep[];
  feedback: StoredFeedback[];
  onShowInTree: (stepId: string) => void;
  /** Thumbs and notes on messages (admin keys): what was given, and how to give one. */
  scoring?: MessageScoring | null;
}) {
  const entries = useMemo(() => buildTranscript(props.messages, props.steps), [props.messages, props.steps]);
  const feedbackByMessage = useMemo(() => {
    const map = new Map<string, StoredFeedback[]>();
    for (const item of props.feedback)
      if (item.messageId) map.set(item.messageId, [...(map.get(item.messageId) ?? []), item]);
    return map;
  }, [props.feedback]);
  const humanRecorded = props.messages.some((message) => message.role === 'human');
  const [openGroups, setOpenGroups] = useState<ReadonlySet<number>>(() => new Set());
  const [openSteps, setOpenSteps] = useState<ReadonlySet<string>>(() => new Set());
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 90,
    overscan: 6,
  });
  const flip = <T,>(set: ReadonlySet<T>, value: T) => {
    const next = new Set(set);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    return next;
  };

  if (entries.length === 0) return <p className="muted pad">No messages or steps yet.</p>;
  return (
    <div ref={scrollRef} className="transcript-scroll">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const entry = entries[item.index]!;
          return (
            <div
              key={entry.message?.id ?? 'trailing'}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="transcript-item"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <TranscriptRow
                entry={entry}
                feedback={entry.message ? (feedbackByMessage.get(entry.message.id) ?? []) : []}
                open={openGroups.has(item.index)}
                onToggle={() => setOpenGroups(flip(openGroups, item.index))}
                openSteps={openSteps}
                onToggleStep={(id) => setOpenSteps(flip(openSteps, id))}
                onShowInTree={props.onShowInTree}
                humanRecorded={humanRecorded}
                scoring={props.scoring ?? null}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}

function TranscriptRow(props: {
  entry: TranscriptEntry;
  feedback: StoredFeedback[];
  open: boolean;
  onToggle: () => void;
  openSteps: ReadonlySet<string>;
  onToggleStep: (id: string) => void;
  onShowInTree: (stepId: string) => void;
  /** Whether the conversation recorded any human message (a run blocked on input may have none). */
  humanRecorded: boolean;
  scoring: MessageScoring | null;
}) {
  const { entry } = props;
  const role = entry.message?.role ?? 'agent';
  const { outcome, failedAfter, blockedBy, label, tone } = rowReading(entry);
  return (
    <article className={`message message-${role}${tone}`}>
      <div className="message-meta">
        <span className="message-role">{label}</span>
        {entry.message ? (
          <time dateTime={entry.message.timestamp} title={formatFullTime(entry.message.timestamp)}>
            {formatClock(entry.message.timestamp)}
          </time>
        ) : null}
      </div>
      {entry.steps.length > 0 ? (
        <div className="step-group">
          <button
            type="button"
            className="step-group-toggle"
            aria-expanded={props.open}
            onClick={props.onToggle}
          >
            <span aria-hidden="true">{props.open ? '▾' : '▸'}</span> {describeSteps(entry.steps)}
            <span className="muted"> · {formatDuration(groupDuration(entry.steps))}</span>
          </button>
          {props.open ? (
            <ul className="step-group-list">
              {entry.steps.map((step) => (
                <InlineStep
                  key={step.id}
                  step={step}
                  open={props.openSteps.has(step.id)}
                  onToggle={() => props.onToggleStep(step.id)}
                  onShowInTree={() => props.onShowInTree(step.id)}
                />
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {entry.message ? <div className="message-body">{entry.message.content}</div> : null}
      {outcome ? <OutcomeNote outcome={outcome} humanRecorded={props.humanRecorded} /> : null}
      {failedAfter ? <RunErrorNote error={failedAfter} guardrail={blockedBy} /> : null}
      {entry.message && entry.message.attachments.length > 0 ? (
        <ul className="attachments">
          {entry.message.attachments.map((a) => (
            <li key={a.name}>
              📎{' '}
              {a.url ? (
                <a href={a.url} target="_blank" rel="noreferrer">
                  {a.name}
                </a>
              ) : (
                a.name
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {props.feedback.map((item) => (
        <p key={item.id} className={`message-feedback fb-${item.sentiment ?? 'neutral'}`}>
          {item.sentiment ?? `${item.score?.name} = ${item.score?.value}`}
          {item.comment ? `: “${item.comment}”` : ''} <span className="muted">({item.source})</span>
        </p>
      ))}
      {props.scoring && entry.message ? (
        <MessageThumbs
          given={props.scoring.thumbs.get(entry.message.id)}
          onSave={(thumb) => props.scoring!.onSave(entry.message!.id, thumb)}
        />
      ) : null}
    </article>
  );
}

/** Thumbs on messages: those given (by message id) and how a new one is sent. */
export interface MessageScoring {
  thumbs: ReadonlyMap<string, Thumb>;
  onSave: (messageId: string, thumb: Thumb) => Promise<void>;
}

function InlineStep(props: {
  step: StoredStep;
  open: boolean;
  onToggle: () => void;
  onShowInTree: () => void;
}) {
  const { step } = props;
  return (
    <li className={`inline-step${step.error ? ' failed' : ''}`}>
      <button
        type="button"
        className="inline-step-toggle"
        aria-expanded={props.open}
        onClick={props.onToggle}
      >
        <span aria-hidden="true">{props.open ? '▾' : '▸'}</span>
        <StepTypeBadge type={step.type} />
        <span className="step-label">{step.name}</span>
        <StepStatus step={step} />
        <span className="inline-step-figures muted">
          {formatDuration(step.durationMs)}
          {step.usage
            ? ` · ${formatTokens(step.usage.totalTokens)} tok · ${formatCost(step.usage.costUsd)}`
            : ''}
        </span>
      </button>
      {props.open ? (
        <div className="inline-step-body">
          <StepDetail step={step} compact />
          <button type="button" className="link-button small" onClick={props.onShowInTree}>
            Show in step tree →
          </button>
        </div>
      ) : null}
    </li>
  );
}

/** How a row reads: its label, and for a turn that did not end in an answer the person got, why. */
function rowReading(entry: TranscriptEntry) {
  const role = entry.message?.role ?? 'agent';
  const outcome = entry.message ? null : (entry.outcome ?? { kind: 'running' as const });
  // An answer the run did not return: it failed afterwards (an output guardrail's tripwire, say).
  const runError = role === 'agent' ? entry.message?.metadata.runError : undefined;
  const failedAfter = typeof runError === 'string' ? runError : null;
  const blockedBy = failedAfter ? entry.steps.find(isTriggeredGuardrail)?.name : undefined;
  let label = roleLabel(role);
  if (outcome) label = OUTCOME_LABELS[outcome.kind];
  else if (failedAfter) label = `Agent (${blockedBy ? 'blocked' : 'run failed'})`;
  const tone = outcome ? ` turn-${outcome.kind}` : failedAfter ? ' turn-blocked' : '';
  return { outcome, failedAfter, blockedBy, label, tone };
}

function roleLabel(role: string): string {
  return role === 'human' ? 'Human' : role === 'agent' ? 'Agent' : 'System';
}

function groupDuration(steps: StoredStep[]): number {
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const step of steps) {
    const s = Date.parse(step.startedAt);
    start = Math.min(start, s);
    end = Math.max(end, step.endedAt ? Date.parse(step.endedAt) : s + (step.durationMs ?? 0));
  }
  return Number.isFinite(start) ? end - start : 0;
}
