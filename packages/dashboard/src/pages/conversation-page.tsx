import { useMemo, useState } from 'react';
import type { ErasureReceipt } from '../api/curation-api.ts';
import { sendThumb, thumbsOf } from '../api/scores-api.ts';
import type { ConversationDetail } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { ConversationActions } from '../components/conversation-actions.tsx';
import { ConversationSummaryPanel } from '../components/conversation-summary.tsx';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { FeedbackList } from '../components/feedback-list.tsx';
import { JsonView } from '../components/json-view.tsx';
import { ReviewBar } from '../components/review-bar.tsx';
import { StepDetail } from '../components/step-detail.tsx';
import { StepList } from '../components/step-list.tsx';
import { Tabs } from '../components/tabs.tsx';
import { Transcript } from '../components/transcript.tsx';
import { describeErasure } from '../lib/erasure-summary.ts';
import { truncate } from '../lib/format.ts';
import { lastListRoute } from '../lib/list-route.ts';
import { isTriggeredGuardrail } from '../lib/turn-outcome.ts';
import { navigate, pathOf, routeTo, useLocation } from '../router/hash-router.ts';
import { useSession } from '../session/session-context.tsx';

const TABS = [
  { id: 'transcript', label: 'Transcript' },
  { id: 'steps', label: 'Step tree' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'details', label: 'Feedback & metadata' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/**
 * One conversation: summary and totals, then its transcript, step tree, timeline and feedback. With
 * `review` (opened from the review queue, `#/review/<id>`), the review bar comes first.
 */
export function ConversationPage(props: { id: string; review?: boolean }) {
  const location = useLocation();
  const tabParam = location.query.get('tab');
  const tab: TabId = TABS.some((t) => t.id === tabParam) ? (tabParam as TabId) : 'transcript';
  const selectedId = location.query.get('step');
  const { data, error, loading, reload } = useApi(
    (client, signal) => client.conversation(props.id, signal),
    [props.id],
  );
  const base = pathOf(sectionOf(props.review), props.id);
  const go = (next: { tab?: TabId; step?: string | null }, replace = true) =>
    navigate(
      routeTo(base, {
        tab: (next.tab ?? tab) === 'transcript' ? undefined : (next.tab ?? tab),
        step: next.step === undefined ? selectedId : next.step,
      }),
      { replace },
    );
  const selected = useMemo(
    () => (selectedId && data ? (data.steps.find((s) => s.id === selectedId) ?? null) : null),
    [data, selectedId],
  );
  // Admin keys manage conversations (rename, mark, delete); read keys see no such control.
  const session = useSession();
  const canManage = session.project?.scope === 'admin';
  const thumbs = useMemo(() => thumbsOf(data?.scores ?? []), [data]);
  const [erased, setErased] = useState<ErasureReceipt | null>(null);

  if (erased) return <ErasedConversation id={props.id} receipt={erased} />;

  if (error && !data)
    return (
      <div className="page">
        <BackLink />
        {error.status === 404 ? (
          <EmptyState title="Conversation not found">
            No conversation <code>{props.id}</code> in this project.
          </EmptyState>
        ) : (
          <ErrorBanner error={error} onRetry={reload} />
        )}
      </div>
    );
  if (!data)
    return (
      <div className="page">
        <BackLink />
        <p className="muted pad" role="status">
          Loading conversation…
        </p>
      </div>
    );
  const c = data.conversation;
  return (
    <div className="page page-detail">
      <PageTop detail={data} review={props.review} />
      <ConversationHeader
        detail={data}
        loading={loading}
        reload={reload}
        manage={canManage ? { onDeleted: setErased } : null}
      />
      <ConversationSummaryPanel detail={data} />
      <Tabs tabs={TABS} current={tab} onChange={(id) => go({ tab: id })} label="Conversation views" />
      <div className="tab-panel" role="tabpanel" aria-label={TABS.find((t) => t.id === tab)?.label}>
        {tab === 'transcript' ? (
          <Transcript
            messages={data.messages}
            steps={data.steps}
            feedback={data.feedback}
            onShowInTree={(stepId) => go({ tab: 'steps', step: stepId }, false)}
            scoring={
              canManage && session.client
                ? {
                    thumbs,
                    onSave: async (messageId, thumb) => {
                      if (!session.client) return;
                      await sendThumb(session.client, { conversationId: props.id, messageId, thumb });
                    },
                  }
                : null
            }
          />
        ) : null}
        {tab === 'steps' || tab === 'timeline' ? (
          data.steps.length === 0 ? (
            <p className="muted pad">This conversation has no steps.</p>
          ) : (
            <div className="split">
              <StepList
                steps={data.steps}
                mode={tab === 'steps' ? 'tree' : 'timeline'}
                selectedId={selectedId}
                onSelect={(id) => go({ step: id })}
              />
              <div className="split-detail">
                {selected ? (
                  <StepDetail step={selected} />
                ) : (
                  <p className="muted pad">Select a step to see its input, output and error.</p>
                )}
              </div>
            </div>
          )
        ) : null}
        {tab === 'details' ? (
          <div className="details-grid">
            <section>
              <h2>Feedback</h2>
              <FeedbackList feedback={data.feedback} />
            </section>
            <section>
              <h2>Metadata</h2>
              {Object.keys(c.metadata).length > 0 ? (
                <JsonView value={c.metadata} />
              ) : (
                <p className="muted">None.</p>
              )}
            </section>
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** The title (with the mark), the id, and the page's controls: Mark, Rename, Delete for admin keys. */
function ConversationHeader(props: {
  detail: ConversationDetail;
  loading: boolean;
  reload(): void;
  manage: { onDeleted(receipt: ErasureReceipt): void } | null;
}) {
  const { detail, loading, reload } = props;
  const c = detail.conversation;
  // Without a name or a message (a run blocked before any model call), say what happened, not the id.
  const blockedBy = detail.steps.find(isTriggeredGuardrail)?.name;
  const title = c.name ?? c.firstMessage ?? (blockedBy ? `Blocked by guardrail ${blockedBy}` : 'No messages');
  return (
    <header className="page-header">
      <div className="page-header-text">
        <h1 title={title}>
          {c.marked ? (
            <span className="mark-star" role="img" aria-label="Marked">
              ★
            </span>
          ) : null}
          {truncate(title, 120)}
        </h1>
        <p className="muted small">
          <code>{c.id}</code>
        </p>
      </div>
      <div className="page-header-actions">
        {props.manage ? (
          <ConversationActions
            detail={detail}
            title={title}
            onChanged={reload}
            onDeleted={props.manage.onDeleted}
          />
        ) : null}
        <button type="button" className="button" onClick={reload} disabled={loading}>
          {loading ? 'Loading…' : 'Refresh'}
        </button>
      </div>
    </header>
  );
}

/** What the page shows once its conversation is deleted: the receipt, and the way back. */
function ErasedConversation(props: { id: string; receipt: ErasureReceipt }) {
  return (
    <div className="page">
      <BackLink />
      <div className="banner banner-done" role="status">
        <div>
          <strong>
            Conversation <code>{props.id}</code> deleted.
          </strong>{' '}
          {describeErasure(props.receipt)}
        </div>
      </div>
    </div>
  );
}

/** Which section the page is in: the review queue's (`/review/<id>`) or the conversations'. */
function sectionOf(review: boolean | undefined): string {
  return review ? 'review' : 'conversations';
}

/** Above the header: the review bar in review mode, else the way back to the list. */
function PageTop(props: { detail: ConversationDetail; review: boolean | undefined }) {
  return props.review ? <ReviewBar detail={props.detail} /> : <BackLink />;
}

function BackLink() {
  return (
    <a className="back-link" href={`#${lastListRoute()}`}>
      ← Conversations
    </a>
  );
}
