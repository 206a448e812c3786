import type { ConversationDetail } from '../api/types.ts';
import {
  formatCost,
  formatCount,
  formatDuration,
  formatFullTime,
  formatRelative,
  formatTokens,
} from '../lib/format.ts';
import { routeTo } from '../router/hash-router.ts';
import { FeedbackSummary } from './badges.tsx';
import { StatCard } from './stat-card.tsx';

/** The conversation's facts (customer, source, times…) and totals (tokens, cost, latency, errors). */
export function ConversationSummaryPanel(props: { detail: ConversationDetail }) {
  const { conversation: c, totals } = props.detail;
  // Model calls the collector has no price for count $0 in the total: say so, distinctly from $0.
  const modelCalls = props.detail.steps.filter((step) => step.usage !== null).length;
  const unpriced = props.detail.steps.filter((step) => step.usage && step.usage.costUsd === null).length;
  const facts: Array<[string, string | null]> = [
    ['Source', c.source],
    ['Environment', c.environment],
    ['Device', c.device],
    ['Language', c.language],
  ];
  return (
    <>
      <div className="fact-line">
        {c.customerId ? (
          <a className="chip chip-link" href={`#${routeTo('/conversations', { customerId: c.customerId })}`}>
            Customer: {c.customerId}
          </a>
        ) : null}
        {facts.map(([label, value]) =>
          value ? (
            <span key={label} className="chip">
              {label}: {value}
            </span>
          ) : null,
        )}
        {c.tags.map((tag) => (
          <span key={tag} className="chip chip-tag">
            #{tag}
          </span>
        ))}
        <span className="muted small" title={formatFullTime(c.startedAt)}>
          Started {formatFullTime(c.startedAt)} · last activity {formatRelative(c.lastActivityAt)}
          {c.endedAt ? ' · ended' : ''}
        </span>
      </div>
      <div className="stat-grid stat-grid-compact">
        <StatCard label="Messages" value={formatCount(c.messageCount)} />
        <StatCard label="Tool calls" value={formatCount(totals.toolCalls)} />
        <StatCard label="Model calls" value={formatCount(totals.llmCalls)} />
        <StatCard
          label="Tokens"
          value={formatTokens(totals.totalTokens)}
          detail={`${formatTokens(totals.inputTokens)} in · ${formatTokens(totals.outputTokens)} out`}
        />
        <StatCard
          label="Cost"
          value={unpriced > 0 && unpriced === modelCalls ? 'unpriced' : formatCost(totals.costUsd)}
          {...(unpriced > 0
            ? { detail: `${unpriced} model call${unpriced === 1 ? '' : 's'} without a price` }
            : {})}
        />
        <StatCard label="Duration" value={formatDuration(totals.durationMs)} />
        <StatCard
          label="Latency p50"
          value={formatDuration(totals.responseLatencyP50Ms)}
          detail={`p95 ${formatDuration(totals.responseLatencyP95Ms)}`}
        />
        <StatCard
          label="Errors"
          value={totals.errors}
          {...(totals.errors > 0 ? { tone: 'bad' as const } : {})}
        />
        <StatCard label="Feedback" value={<FeedbackSummary feedback={c.feedback} />} />
      </div>
    </>
  );
}
