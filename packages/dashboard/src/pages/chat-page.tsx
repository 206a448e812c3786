import { useEffect } from 'react';
import { useApi } from '../api/use-api.ts';
import { listAgents } from '../chat/agents-client.ts';
import { newConversationId } from '../chat/chat-storage.ts';
import { ChatView } from '../components/chat-view.tsx';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { onRowKeyDown } from '../components/row-keys.ts';
import { navigate, pathOf, routeTo, useLocation } from '../router/hash-router.ts';
import { useClient } from '../session/session-context.tsx';

/** Chat with the agents this server serves (`GET /agents`); `#/chat/<agent>?c=<conversation>`. */
export function ChatPage(props: { agent: string | null }) {
  const client = useClient();
  const location = useLocation();
  const conversationId = location.query.get('c');
  const { data, error, reload } = useApi((api, signal) => listAgents(api.key, signal), []);

  // A chat needs a conversation id in the address, so a reload (or a shared link) continues it.
  useEffect(() => {
    if (props.agent && !conversationId)
      navigate(routeTo(pathOf('chat', props.agent), { c: newConversationId() }), { replace: true });
  }, [props.agent, conversationId]);

  const selected = data?.find((agent) => agent.name === props.agent);
  return (
    <div className="page">
      <PageHeader
        title={props.agent ? `Chat · ${props.agent}` : 'Chat'}
        subtitle={selected ? selected.description || selected.model : 'Talk to the agents this server serves'}
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
      {error ? (
        error.status === 404 ? (
          <EmptyState title="No agents are served here">
            This collector does not serve agents (no <code>/agents</code> route). Serve some with{' '}
            <code>@sightline/serve</code> next to the collector.
          </EmptyState>
        ) : (
          <ErrorBanner error={error} onRetry={reload} />
        )
      ) : null}
      {props.agent && conversationId ? (
        <ChatView
          key={conversationId}
          agent={props.agent}
          conversationId={conversationId}
          apiKey={client.key}
        />
      ) : null}
      {!props.agent && data ? (
        data.length === 0 ? (
          <EmptyState title="No agents are served here" />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Agent</th>
                  <th scope="col">Description</th>
                  <th scope="col" className="col-optional">
                    Model
                  </th>
                  <th scope="col" className="col-optional">
                    Tools
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.map((agent) => {
                  const open = () => navigate(pathOf('chat', agent.name));
                  return (
                    <tr
                      key={agent.name}
                      tabIndex={0}
                      className="clickable-row"
                      aria-label={`Agent ${agent.name}`}
                      onClick={open}
                      onKeyDown={(event) => onRowKeyDown(event, open)}
                    >
                      <td>
                        <strong>{agent.name}</strong>
                      </td>
                      <td>{agent.description || <span className="muted">–</span>}</td>
                      <td className="col-optional">{agent.model}</td>
                      <td className="col-optional">
                        {agent.tools.map((tool) => tool.name).join(', ') || '–'}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </div>
  );
}
