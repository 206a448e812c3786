/**
 * A chat with one served agent (AI SDK `useChat` over the UI message stream): the conversation is loaded
 * from the server first (so any tab opening the chat's address shows it, a call waiting for approval
 * included), messages stream in, tool calls show their state, a tool that needs approval waits for
 * Approve / Deny, Stop cancels the run on the server, and a run still working resumes its stream.
 */
import { useChat } from '@ai-sdk/react';
import { lastAssistantMessageIsCompleteWithApprovalResponses, type UIMessage } from 'ai';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { sendThumb } from '../api/scores-api.ts';
import { cancelRun } from '../chat/agents-client.ts';
import type { ChatHistory } from '../chat/chat-history.ts';
import { loadChatThumbs, saveChatThumb } from '../chat/chat-thumbs.ts';
import { agentTransport } from '../chat/chat-transport.ts';
import { useTrackedAnswers } from '../chat/tracked-answers.ts';
import { useChatHistory } from '../chat/use-chat-history.ts';
import { pathOf } from '../router/hash-router.ts';
import { ChatMessage } from './chat-message.tsx';
import { ErrorBanner } from './error-banner.tsx';

/** The dashboard's id of the conversation (served runs are tracked per user), from a run's metadata. */
function trackedConversationOf(messages: ReadonlyArray<UIMessage>): string | undefined {
  for (const message of messages) {
    const tracked = (message.metadata as { trackedConversationId?: unknown } | undefined)
      ?.trackedConversationId;
    if (typeof tracked === 'string') return tracked;
  }
  return undefined;
}

/**
 * The collector's id of an answer (a served run's `finish` chunk names it: `trackedMessageId`), which a
 * thumb scores; undefined for answers loaded from the history (tracked-answers.ts pairs those) or not tracked.
 */
function trackedMessageOf(message: UIMessage): string | undefined {
  const tracked = (message.metadata as { trackedMessageId?: unknown } | undefined)?.trackedMessageId;
  return typeof tracked === 'string' ? tracked : undefined;
}

interface ChatProps {
  agent: string;
  conversationId: string;
  apiKey: string;
}

/** Loads the conversation, then opens the chat on it. */
export function ChatView(props: ChatProps) {
  const { history, error, retry } = useChatHistory(props.apiKey, props.agent, props.conversationId);
  if (error)
    return (
      <div className="chat">
        <ErrorBanner error={error} onRetry={retry} />
      </div>
    );
  if (!history)
    return (
      <div className="chat">
        <p className="muted pad" role="status">
          Loading the conversation…
        </p>
      </div>
    );
  return <ChatSession {...props} history={history} />;
}

function ChatSession(props: ChatProps & { history: ChatHistory }) {
  const { agent, conversationId, apiKey, history } = props;
  // The run last started here (Stop cancels it), and the one the history says is working (resumed once).
  const runId = useRef<string | null>(history.activeRun?.runId ?? null);
  const toResume = useRef(history.activeRun);
  const transport = useMemo(
    () =>
      agentTransport({
        agent,
        key: apiKey,
        onRunId: (id) => {
          runId.current = id;
        },
        resume: () => {
          const first = toResume.current;
          toResume.current = null;
          return first ?? { runId: runId.current, lastEventId: null };
        },
      }),
    [agent, apiKey],
  );
  const chat = useChat({
    id: conversationId,
    messages: history.messages,
    transport,
    resume: history.activeRun?.lastEventId != null,
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
  });
  const trackedId = trackedConversationOf(chat.messages) ?? conversationId;
  const reloaded = useTrackedAnswers(trackedId, history);
  // What the collector holds wins over this browser's memory (a thumb changed in the transcript since).
  const given = useMemo(
    () => new Map([...loadChatThumbs(trackedId), ...reloaded.thumbs]),
    [trackedId, reloaded.thumbs],
  );
  const [text, setText] = useState('');
  const endRef = useRef<HTMLDivElement>(null);
  const busy = chat.status === 'submitted' || chat.status === 'streaming';

  useEffect(() => {
    if (chat.messages.length > 0) endRef.current?.scrollIntoView({ block: 'end' });
  }, [chat.messages]);

  const send = (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    if (!value || busy) return;
    setText('');
    void chat.sendMessage({ text: value });
  };
  const stop = () => {
    void chat.stop();
    if (runId.current) void cancelRun(apiKey, agent, runId.current);
  };

  return (
    <div className="chat">
      <div className="chat-log" aria-live="polite">
        {history.hasMore ? (
          <p className="muted small pad">
            Earlier messages are not shown;{' '}
            <a href={`#${pathOf('conversations', trackedId)}`}>see them all</a>.
          </p>
        ) : null}
        {chat.messages.length === 0 ? (
          <p className="muted pad">Say something to {agent}. The conversation is tracked like any other.</p>
        ) : null}
        {chat.messages.map((message, index) => {
          const answerId = trackedMessageOf(message) ?? reloaded.ids.get(message.id);
          return (
            <ChatMessage
              key={message.id}
              message={message}
              onApproval={(id, approved) => void chat.addToolApprovalResponse({ id, approved })}
              thumbs={
                answerId === undefined || (busy && index === chat.messages.length - 1)
                  ? undefined
                  : {
                      given: given.get(answerId),
                      onSave: async (thumb) => {
                        // The chat's key (chat or admin) may score; the score lands on the tracked answer.
                        await sendThumb(
                          { key: apiKey, baseUrl: '' },
                          { conversationId: trackedId, messageId: answerId, thumb },
                        );
                        saveChatThumb(trackedId, answerId, thumb);
                      },
                    }
              }
            />
          );
        })}
        {chat.error ? (
          <div className="banner banner-error" role="alert">
            {chat.error.message}
          </div>
        ) : null}
        <div ref={endRef} />
      </div>
      <form className="chat-composer" onSubmit={send}>
        <label htmlFor="chat-input" className="visually-hidden">
          Message
        </label>
        <textarea
          id="chat-input"
          className="input chat-input"
          rows={2}
          placeholder={`Message ${agent}… (Enter sends, Shift+Enter for a new line)`}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) send(event);
          }}
        />
        {busy ? (
          <button type="button" className="button" onClick={stop}>
            Stop
          </button>
        ) : (
          <button type="submit" className="button button-primary" disabled={text.trim() === ''}>
            Send
          </button>
        )}
      </form>
      <p className="muted small">
        Conversation <code>{conversationId}</code> ·{' '}
        <a href={`#${pathOf('conversations', trackedId)}`}>see it in Conversations</a>
      </p>
    </div>
  );
}
