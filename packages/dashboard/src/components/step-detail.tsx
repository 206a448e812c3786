import type { ReactNode } from 'react';
import type { StoredStep } from '../api/types.ts';
import { formatCost, formatDuration, formatFullTime, formatTokens } from '../lib/format.ts';
import { isTriggeredGuardrail } from '../lib/turn-outcome.ts';
import { StepTypeBadge } from './badges.tsx';
import { JsonView } from './json-view.tsx';

/** Everything about one step: timing, model usage, error, and its input/output/metadata as foldable JSON. */
export function StepDetail(props: { step: StoredStep; compact?: boolean }) {
  const { step } = props;
  const running = step.endedAt === null && step.durationMs === null;
  return (
    <section
      className={`step-detail${props.compact ? ' step-detail-compact' : ''}`}
      aria-label={`Step ${step.name}`}
    >
      {props.compact ? null : (
        <header className="step-detail-head">
          <StepTypeBadge type={step.type} />
          <h2>{step.name}</h2>
          <StepStatus step={step} />
        </header>
      )}
      <dl className="facts">
        <Fact label="Started">{formatFullTime(step.startedAt)}</Fact>
        <Fact label="Duration">{running ? 'running…' : formatDuration(step.durationMs)}</Fact>
        {step.usage ? (
          <>
            <Fact label="Model">
              {step.usage.model}
              {step.usage.provider ? <span className="muted"> · {step.usage.provider}</span> : null}
            </Fact>
            <Fact label="Tokens">
              {formatTokens(step.usage.inputTokens)} in · {formatTokens(step.usage.outputTokens)} out
            </Fact>
            <Fact label="Cost">{formatCost(step.usage.costUsd)}</Fact>
            {step.usage.timeToFirstTokenMs !== null ? (
              <Fact label="First token">{formatDuration(step.usage.timeToFirstTokenMs)}</Fact>
            ) : null}
          </>
        ) : null}
        {step.toolsUsed.length > 0 ? <Fact label="Tools used">{step.toolsUsed.join(', ')}</Fact> : null}
        <Fact label="Step id">
          <code className="small">{step.id}</code>
        </Fact>
      </dl>
      {step.error ? (
        <div className="step-section step-error" role="note">
          <h3>Error{step.error.type ? ` · ${step.error.type}` : ''}</h3>
          <p className="error-message">{step.error.message}</p>
          {step.error.stack ? <pre className="stack">{step.error.stack}</pre> : null}
        </div>
      ) : null}
      <JsonSection title="Input" value={step.input} />
      <JsonSection title="Output" value={step.output} />
      {Object.keys(step.metadata).length > 0 ? (
        <JsonSection title="Metadata" value={step.metadata} openDepth={1} />
      ) : null}
    </section>
  );
}

export function StepStatus(props: { step: StoredStep }) {
  const { step } = props;
  if (step.error) return <span className="status status-error">failed</span>;
  if (isTriggeredGuardrail(step)) return <span className="status status-error">blocked</span>;
  if (step.endedAt === null && step.durationMs === null)
    return <span className="status status-running">running</span>;
  return <span className="status status-ok">ok</span>;
}

function Fact(props: { label: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

function JsonSection(props: { title: string; value: unknown; openDepth?: number }) {
  if (props.value === null || props.value === undefined) return null;
  return (
    <div className="step-section">
      <h3>{props.title}</h3>
      <JsonView
        value={props.value}
        label={props.title}
        {...(props.openDepth !== undefined ? { openDepth: props.openDepth } : {})}
      />
    </div>
  );
}
