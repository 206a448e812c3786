/**
 * Chat ids. A chat's messages are the server's (chat-history.ts loads them), so any tab that opens the
 * chat's address shows the conversation; the browser keeps none of it. It only remembers, until the
 * chat opens, the ids it just made: a new conversation has nothing to load (asking would be a 404).
 */

const madeHere = new Set<string>();

/** A new conversation id for a chat started in the dashboard. */
export function newConversationId(): string {
  const id = `chat-${crypto.randomUUID()}`;
  madeHere.add(id);
  return id;
}

/** True, once, for an id `newConversationId` made in this page: the chat opens empty without asking. */
export function takeNewConversation(conversationId: string): boolean {
  return madeHere.delete(conversationId);
}
