/**
 * What a chat tab keeps across reloads (sessionStorage, per conversation): the messages shown and the
 * id of the run last started, so a reload can resume its stream (`GET …/runs/:runId/stream`).
 */
import type { UIMessage } from 'ai';

const key = (conversationId: string, what: string) => `sightline.chat.${conversationId}.${what}`;

export function loadMessages(conversationId: string): UIMessage[] {
  try {
    const raw = sessionStorage.getItem(key(conversationId, 'messages'));
    return raw ? (JSON.parse(raw) as UIMessage[]) : [];
  } catch {
    return [];
  }
}

export function saveMessages(conversationId: string, messages: UIMessage[]): void {
  try {
    sessionStorage.setItem(key(conversationId, 'messages'), JSON.stringify(messages));
  } catch {
    // storage full: the conversation stays on the server, only this tab's copy is lost
  }
}

export function loadRunId(conversationId: string): string | null {
  return sessionStorage.getItem(key(conversationId, 'run'));
}

export function saveRunId(conversationId: string, runId: string | null): void {
  if (runId) sessionStorage.setItem(key(conversationId, 'run'), runId);
  else sessionStorage.removeItem(key(conversationId, 'run'));
}

/** A new conversation id for a chat started in the dashboard. */
export function newConversationId(): string {
  return `chat-${crypto.randomUUID()}`;
}
