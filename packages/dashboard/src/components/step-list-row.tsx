import type { KeyboardEvent } from 'react';
import { formatCost, formatDuration, formatTokens } from '../lib/format.ts';
import type { StepRow } from '../lib/step-tree.ts';
import { barLabelPlace } from '../lib/timeline-scale.ts';
import { StepTypeBadge } from './badges.tsx';

/** One row of the step list: indented name with its toggle, then figures (tree) or a waterfall bar (timeline). */
export function StepListRow(props: {
  row: StepRow;
  top: number;
  height: number;
  mode: 'tree' | 'timeline';
  selected: boolean;
  focusable: boolean;
  bounds: { start: number; end: number };
  onSelect: () => void;
  onToggle: () => void;
  onKeyDown: (event: KeyboardEvent) => void;
}) {
  const { row } = props;
  const { step } = row.node;
  const hasChildren = row.node.children.length > 0;
  return (
    <div
      role="treeitem"
      aria-level={row.depth + 1}
      aria-selected={props.selected}
      aria-expanded={hasChildren ? row.expanded : undefined}
      data-step-id={step.id}
      tabIndex={props.focusable ? 0 : -1}
      className={`step-row${props.selected ? ' selected' : ''}${step.error ? ' failed' : ''}`}
      style={{ transform: `translateY(${props.top}px)`, height: props.height }}
      onClick={props.onSelect}
      onKeyDown={props.onKeyDown}
    >
      <span className="step-name" style={{ paddingLeft: 6 + row.depth * 14 }}>
        {hasChildren ? (
          <button
            type="button"
            tabIndex={-1}
            className="tree-toggle"
            aria-label={row.expanded ? 'Collapse' : 'Expand'}
            onClick={(event) => {
              event.stopPropagation();
              props.onToggle();
            }}
          >
            {row.expanded ? '▾' : '▸'}
          </button>
        ) : (
          <span className="tree-toggle-space" />
        )}
        <StepTypeBadge type={step.type} />
        <span className="step-label" title={step.name}>
          {step.name}
        </span>
        {row.node.failedWithin && !step.error ? (
          <span className="dot-error" title="A step inside failed" />
        ) : null}
        {step.error ? <span className="error-count">error</span> : null}
      </span>
      {props.mode === 'timeline' ? (
        <WaterfallBar row={row} bounds={props.bounds} />
      ) : (
        <StepFigures row={row} />
      )}
    </div>
  );
}

function WaterfallBar(props: { row: StepRow; bounds: { start: number; end: number } }) {
  const { node } = props.row;
  const span = props.bounds.end - props.bounds.start;
  const start = (node.start - props.bounds.start) / span;
  const end = (node.end - props.bounds.start) / span;
  const running = node.step.endedAt === null && node.step.durationMs === null && !node.step.error;
  const label = running ? 'running' : formatDuration(node.step.durationMs ?? node.end - node.start);
  const place = barLabelPlace(start, end);
  return (
    <span className="step-bar-track">
      <span
        className={`step-bar bar-${node.step.type}${node.step.error ? ' bar-failed' : ''}`}
        style={{ left: `${start * 100}%`, width: `max(2px, ${(end - start) * 100}%)` }}
      />
      <span
        className={`step-bar-label label-${place}`}
        style={
          place === 'after'
            ? { left: `calc(${end * 100}% + 4px)` }
            : place === 'before'
              ? { right: `calc(${(1 - start) * 100}% + 4px)` }
              : { right: `calc(${(1 - end) * 100}% + 4px)` }
        }
      >
        {label}
      </span>
    </span>
  );
}

function StepFigures(props: { row: StepRow }) {
  const { step } = props.row.node;
  const running = step.endedAt === null && step.durationMs === null;
  return (
    <span className="step-cols">
      <span>{running ? 'running' : formatDuration(step.durationMs)}</span>
      <span>{step.usage ? formatTokens(step.usage.totalTokens) : ''}</span>
      <span>{step.usage ? formatCost(step.usage.costUsd) : ''}</span>
    </span>
  );
}
