/**
 * Which tracked (dashboard) conversation a served agent run, workflow or MCP call belongs to. Sessions are
 * partitioned by user, and so are tracked conversations: user `alice`'s conversation `chat-1` is tracked
 * as `alice:chat-1`, so fifty users choosing `chat-1` get fifty conversations, each holding only its
 * user's turns with that user as customer. The user part is escaped (`%`, `:`, `#` and control characters
 * as `%XX`), so it never contains `:` and one user's ids can never equal another's. An id already in the
 * user's namespace (`alice:…`, as the ids the server makes for new conversations) is used as is. Ids that
 * would exceed 256 characters keep the namespace and replace the rest by a SHA-256 digest. Without a
 * `getUser` hook there is one default user, whose conversations keep their plain ids.
 */
import { createHash } from 'node:crypto';
import { LIMITS, newId } from '@sightline/core';

/** Longest escaped user id kept readable in tracked ids; longer ones are replaced by a digest. */
const MAX_READABLE_USER = 200;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are escaped too
const ESCAPED = /[%:#\u0000-\u001f\u007f]/g;

/** The prefix of every tracked conversation of user `userId` (`alice:`); '' for the default user. */
export function userNamespace(userId: string): string {
  if (userId === '') return '';
  const escaped = userId.replace(ESCAPED, (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `${escaped.length <= MAX_READABLE_USER ? escaped : `#${digest(userId)}`}:`;
}

/** The tracked conversation id of user `userId`'s conversation `conversationId`. */
export function trackedConversationId(userId: string, conversationId: string): string {
  const namespace = userNamespace(userId);
  const id = conversationId.startsWith(namespace) ? conversationId : namespace + conversationId;
  return id.length <= LIMITS.maxIdLength ? id : `${namespace}#${digest(conversationId)}`;
}

/** A new conversation id for user `userId`, made in its namespace so that it is tracked under itself. */
export function newConversationId(userId: string): string {
  return userNamespace(userId) + newId();
}

/** 43 characters of base64url SHA-256. */
function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
