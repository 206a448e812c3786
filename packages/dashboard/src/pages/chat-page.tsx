import { type ReactNode, useEffect } from 'react';
import { useApi } from '../api/use-api.ts';
import { newConversationId } from '../chat/chat-storage.ts';
import { keyRefusal, type Listing, loadServedCatalog } from '../chat/served-catalog.ts';
import { AgentTable } from '../components/agent-table.tsx';
import { ChatKeyNotice } from '../components/chat-key-notice.tsx';
import { ChatView } from '../components/chat-view.tsx';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { WorkflowTable } from '../components/workflow-table.tsx';
import { navigate, pathOf, routeTo, useLocation } from '../router/hash-router.ts';
import { useClient, useSession } from '../session/session-context.tsx';

/**
 * Chat with the agents this server serves (`GET /agents`) and run its workflows (`GET /workflows`);
 * `#/chat/<agent>?c=<conversation>` is a chat, `#/chat/workflows/<name>` a workflow (workflow-page.tsx).
 */
export function ChatPage(props: { agent: string | null }) {
  const client = useClient();
  const { project } = useSession();
  const location = useLocation();
  const conversationId = location.query.get('c');
  const { data, error, reload } = useApi((api, signal) => loadServedCatalog(api.key, signal), []);
  // A key the agents refuse (a read key: they need a chat or admin key) gets one notice, not failing chats.
  const refused = keyRefusal(data?.agents, data?.workflows);

  // A chat needs a conversation id in the address, so a reload (or a shared link) continues it.
  useEffect(() => {
    if (props.agent && !conversationId)
      navigate(routeTo(pathOf('chat', props.agent), { c: newConversationId() }), { replace: true });
  }, [props.agent, conversationId]);

  const agents = data?.agents.status === 'served' ? data.agents.items : [];
  const selected = agents.find((agent) => agent.name === props.agent);
  return (
    <div className="page">
      <PageHeader
        title={props.agent ? `Chat · ${props.agent}` : 'Chat'}
        subtitle={
          selected
            ? selected.description || selected.model
            : 'Talk to the agents and run the workflows this server serves'
        }
        actions={
          props.agent ? (
            <>
              <a className="button button-link" href="#/chat">
                All agents
              </a>
              <button
                type="button"
                className="button"
                onClick={() => navigate(routeTo(pathOf('chat', props.agent!), { c: newConversationId() }))}
              >
                New conversation
              </button>
            </>
          ) : null
        }
      />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {refused ? <ChatKeyNotice error={refused} scope={project?.scope} /> : null}
      {props.agent && conversationId && !refused ? (
        <ChatView
          key={conversationId}
          agent={props.agent}
          conversationId={conversationId}
          apiKey={client.key}
        />
      ) : null}
      {!props.agent && data && !refused ? (
        data.agents.status === 'not-served' && data.workflows.status === 'not-served' ? (
          <EmptyState title="No agents or workflows are served here">
            This server has no <code>/agents</code> or <code>/workflows</code> routes. Serve some with{' '}
            <code>@sightline/serve</code> (<code>serveAgents</code>, <code>serveWorkflows</code>) next to the
            collector.
          </EmptyState>
        ) : (
          <>
            <CatalogSection title="Agents" listing={data.agents} onRetry={reload}>
              {(items) => <AgentTable agents={items} />}
            </CatalogSection>
            <CatalogSection title="Workflows" listing={data.workflows} onRetry={reload}>
              {(items) => <WorkflowTable workflows={items} />}
            </CatalogSection>
          </>
        )
      ) : null}
    </div>
  );
}

/** One list of the catalog: its table, an empty note, or why it could not be read (hidden when not served). */
function CatalogSection<T>(props: {
  title: string;
  listing: Listing<T>;
  onRetry: () => void;
  children: (items: T[]) => ReactNode;
}) {
  const { listing } = props;
  if (listing.status === 'not-served') return null;
  return (
    <section className="catalog-section" aria-label={props.title}>
      <h2>{props.title}</h2>
      {listing.status === 'error' ? (
        <ErrorBanner error={listing.error} onRetry={props.onRetry} />
      ) : listing.items.length === 0 ? (
        <p className="muted">None served.</p>
      ) : (
        props.children(listing.items)
      )}
    </section>
  );
}
