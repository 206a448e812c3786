import { useEffect, useReducer, useState } from 'react';
import type { LiveErasure, LiveEvent } from '../api/types.ts';
import { useLiveFeed } from '../api/use-live-feed.ts';
import { PageHeader } from '../components/page-header.tsx';
import { onRowKeyDown } from '../components/row-keys.ts';
import { formatClock, formatRelative, truncate } from '../lib/format.ts';
import {
  applyLiveEvents,
  describeLiveEvent,
  emptyLiveState,
  forgetErased,
  isInFlight,
  type LiveConversation,
  type LiveState,
  seedLiveState,
} from '../lib/live-model.ts';
import { navigate, pathOf } from '../router/hash-router.ts';
import { useClient } from '../session/session-context.tsx';

type Action =
  | { type: 'seed'; state: LiveState }
  | { type: 'events'; events: LiveEvent[] }
  | { type: 'lagged'; dropped: number }
  | { type: 'erased'; erasure: LiveErasure };

function reduce(state: LiveState, action: Action): LiveState {
  if (action.type === 'seed') return mergeSeed(action.state, state);
  if (action.type === 'events') return applyLiveEvents(state, action.events);
  if (action.type === 'erased') return forgetErased(state, action.erasure);
  return { ...state, dropped: state.dropped + action.dropped };
}

/** Live events may arrive before the seed list; the seed only adds conversations not yet seen. */
function mergeSeed(seed: LiveState, current: LiveState): LiveState {
  const seen = new Set(current.conversations.map((c) => c.id));
  const conversations = [...current.conversations, ...seed.conversations.filter((c) => !seen.has(c.id))].sort(
    (a, b) => Date.parse(b.lastEventAt) - Date.parse(a.lastEventAt),
  );
  return { ...current, conversations };
}

/** Conversations as they happen: new ones appear at the top, in-flight turns are marked, with a raw event log. */
export function LivePage() {
  const client = useClient();
  const [state, dispatch] = useReducer(reduce, emptyLiveState);
  const [, tick] = useReducer((n: number) => n + 1, 0);
  const [loadError, setLoadError] = useState<string | null>(null);
  const status = useLiveFeed(
    client,
    (events) => dispatch({ type: 'events', events }),
    (dropped) => dispatch({ type: 'lagged', dropped }),
    (erasure) => dispatch({ type: 'erased', erasure }),
  );

  useEffect(() => {
    const controller = new AbortController();
    client.conversations({ limit: 25 }, controller.signal).then(
      (page) => dispatch({ type: 'seed', state: seedLiveState(page.data) }),
      (error: Error) => {
        if (!controller.signal.aborted) setLoadError(error.message);
      },
    );
    return () => controller.abort();
  }, [client]);

  // Re-render every few seconds so "x s ago" stays true.
  useEffect(() => {
    const timer = setInterval(tick, 5_000);
    return () => clearInterval(timer);
  }, []);

  const inFlight = state.conversations.filter(isInFlight).length;
  return (
    <div className="page">
      <PageHeader
        title="Live"
        subtitle={`${inFlight} turn${inFlight === 1 ? '' : 's'} in flight · ${state.log.length} events since you opened this page`}
        actions={
          <span className={`live-status live-${status}`} role="status">
            <span className="live-dot" aria-hidden="true" />
            {status === 'live'
              ? 'Live'
              : status === 'connecting'
                ? 'Connecting…'
                : status === 'reconnecting'
                  ? 'Reconnecting…'
                  : 'Disconnected'}
          </span>
        }
      />
      {loadError ? <p className="banner banner-error">{loadError}</p> : null}
      {state.dropped > 0 ? (
        <p className="banner banner-warn">
          The feed was too fast for this page: {state.dropped} events were skipped.
        </p>
      ) : null}
      <div className="live-grid">
        <section className="panel" aria-label="Conversations">
          <h2>Conversations</h2>
          {state.conversations.length === 0 ? (
            <p className="muted">Waiting for conversations…</p>
          ) : (
            <div className="table-wrap">
              <table className="table fit-table live-table">
                <thead>
                  <tr>
                    <th scope="col">Status</th>
                    <th scope="col">Conversation</th>
                    <th scope="col" className="col-optional">
                      Customer
                    </th>
                    <th scope="col" className="num col-optional">
                      Msgs
                    </th>
                    <th scope="col">Last event</th>
                  </tr>
                </thead>
                <tbody>
                  {state.conversations.map((c) => (
                    <LiveRow key={c.id} conversation={c} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section className="panel live-log" aria-label="Event log">
          <h2>Event log</h2>
          {state.log.length === 0 ? (
            <p className="muted">No events yet. They appear here as trackers send them.</p>
          ) : (
            <ol className="event-log">
              {state.log.map((event) => (
                <li key={event.id} className={`event-log-item event-${event.type}`}>
                  <time className="muted">{formatClock(event.timestamp)}</time>
                  <a href={`#${pathOf('conversations', event.conversationId)}`} className="event-conv">
                    {truncate(event.conversationId, 28)}
                  </a>
                  <span className="event-text">{truncate(describeLiveEvent(event), 160)}</span>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </div>
  );
}

function LiveRow(props: { conversation: LiveConversation }) {
  const c = props.conversation;
  const open = () => navigate(pathOf('conversations', c.id));
  const running = Object.values(c.running);
  const flight = isInFlight(c);
  return (
    <tr
      tabIndex={0}
      className={`clickable-row${c.isNew ? ' row-new' : ''}`}
      data-conversation-id={c.id}
      aria-label={`Conversation ${c.name ?? c.id}`}
      onClick={open}
      onKeyDown={(event) => onRowKeyDown(event, open)}
    >
      <td className="nowrap">
        {flight ? (
          <span className="status status-running">
            {running.length > 0 ? `running ${truncate(running.join(', '), 30)}` : 'awaiting agent'}
          </span>
        ) : c.liveEvents > 0 ? (
          <span className="status status-ok">answered</span>
        ) : (
          <span className="status status-idle">idle</span>
        )}
        {c.isNew ? <span className="new-tag">new</span> : null}
      </td>
      <td className="cell-title">
        <span>{truncate(c.name ?? c.id, 60)}</span>
        {c.lastMessage ? (
          <span className="cell-sub">
            {c.lastMessage.role === 'agent' ? 'Agent: ' : ''}
            {truncate(c.lastMessage.content, 90)}
          </span>
        ) : null}
      </td>
      <td className="nowrap col-optional">
        {c.customerId ? (
          <span className="cell-clip" title={c.customerId}>
            {c.customerId}
          </span>
        ) : (
          <span className="muted">–</span>
        )}
      </td>
      <td className="num col-optional">{c.messages}</td>
      <td className="nowrap">{formatRelative(c.lastEventAt)}</td>
    </tr>
  );
}
