/**
 * The thumbs given in the chat page, by the tracked id of the answer they score (the served run names it
 * in its `finish` chunk). They go to the collector as scores (scores-api.ts); a chat key cannot read them
 * back, so this browser also remembers them (localStorage, per tracked conversation) to show them
 * pressed again on an answer that carries that id.
 */
import type { Thumb } from '../api/scores-api.ts';

const PREFIX = 'sightline.chat-thumbs:';

/** The thumbs this browser gave in a conversation, by tracked message id. */
export function loadChatThumbs(conversationId: string): Map<string, Thumb> {
  try {
    const stored = JSON.parse(localStorage.getItem(PREFIX + conversationId) ?? '{}') as Record<string, Thumb>;
    return new Map(
      Object.entries(stored).filter(
        ([, thumb]) => typeof thumb?.up === 'boolean' && typeof thumb.note === 'string',
      ),
    );
  } catch {
    return new Map();
  }
}

/** Remembers a thumb given on a message of a conversation. */
export function saveChatThumb(conversationId: string, messageId: string, thumb: Thumb): void {
  try {
    const all = Object.fromEntries(loadChatThumbs(conversationId));
    all[messageId] = thumb;
    localStorage.setItem(PREFIX + conversationId, JSON.stringify(all));
  } catch {
    // Storage full or disabled: the score was sent; only the pressed state is not remembered.
  }
}
