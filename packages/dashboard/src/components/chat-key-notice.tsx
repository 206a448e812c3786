import type { ApiError } from '../api/api-error.ts';
import type { SessionScope } from '../session/stored-session.ts';
import { EmptyState } from './empty-state.tsx';

/**
 * What the Chat page says when the served agents refuse the signed-in key (403): running agents has side
 * effects, so it takes a chat or admin key; a read key (a shared read-only link) only reads.
 */
export function ChatKeyNotice(props: { error: ApiError; scope: SessionScope | undefined }) {
  return (
    <div role="alert" className="chat-key-notice">
      <EmptyState title="Chat needs a chat or admin key">
        <p>
          {props.scope === 'read'
            ? 'This dashboard is signed in with a read key: it reads conversations but may not run agents, which can change things (the demo’s notes agent deletes notes).'
            : 'The server’s agents refused this key.'}{' '}
          The server said: <q>{props.error.message}</q>
        </p>
        <p>
          To chat, open the <strong>Dashboard</strong> link <code>sightline start</code> prints: it carries
          the project’s admin key, which reads and chats. Over the API, use a chat key (
          <code>sightline keys create --scope chat</code>).
        </p>
      </EmptyState>
    </div>
  );
}
