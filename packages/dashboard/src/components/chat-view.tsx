/**
 * A chat with one served agent (AI SDK `useChat` over the UI message stream): messages stream in,
 * tool calls show their state, a tool that needs approval waits for Approve / Deny, Stop cancels the
 * run on the server, and a reload resumes a run still streaming.
 */
import { useChat } from '@ai-sdk/react';
import { lastAssistantMessageIsCompleteWithApprovalResponses, type UIMessage } from 'ai';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { cancelRun } from '../chat/agents-client.ts';
import { loadMessages, loadRunId, saveMessages, saveRunId } from '../chat/chat-storage.ts';
import { agentTransport } from '../chat/chat-transport.ts';
import { pathOf } from '../router/hash-router.ts';
import { ChatMessage } from './chat-message.tsx';

/** The dashboard's id of the conversation (served runs are tracked per user), from a run's metadata. */
function trackedConversationOf(messages: ReadonlyArray<UIMessage>): string | undefined {
  for (const message of messages) {
    const tracked = (message.metadata as { trackedConversationId?: unknown } | undefined)
      ?.trackedConversationId;
    if (typeof tracked === 'string') return tracked;
  }
  return undefined;
}

export function ChatView(props: { agent: string; conversationId: string; apiKey: string }) {
  const { agent, conversationId, apiKey } = props;
  const [initial] = useState(() => loadMessages(conversationId));
  const [resumable] = useState(() => loadRunId(conversationId) !== null);
  const transport = useMemo(
    () =>
      agentTransport({ agent, key: apiKey, conversationId, resumeRunId: () => loadRunId(conversationId) }),
    [agent, apiKey, conversationId],
  );
  const chat = useChat({
    id: conversationId,
    messages: initial,
    transport,
    resume: resumable,
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
    onFinish: () => saveRunId(conversationId, null),
  });
  const trackedId = trackedConversationOf(chat.messages) ?? conversationId;
  const [text, setText] = useState('');
  const endRef = useRef<HTMLDivElement>(null);
  const busy = chat.status === 'submitted' || chat.status === 'streaming';

  useEffect(() => {
    saveMessages(conversationId, chat.messages);
    endRef.current?.scrollIntoView({ block: 'end' });
  }, [conversationId, chat.messages]);

  const send = (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    if (!value || busy) return;
    setText('');
    void chat.sendMessage({ text: value });
  };
  const stop = () => {
    const runId = loadRunId(conversationId);
    void chat.stop();
    if (runId) void cancelRun(apiKey, agent, runId);
  };

  return (
    <div className="chat">
      <div className="chat-log" aria-live="polite">
        {chat.messages.length === 0 ? (
          <p className="muted pad">Say something to {agent}. The conversation is tracked like any other.</p>
        ) : null}
        {chat.messages.map((message) => (
          <ChatMessage
            key={message.id}
            message={message}
            onApproval={(id, approved) => void chat.addToolApprovalResponse({ id, approved })}
          />
        ))}
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
