import type { Context, MiddlewareHandler } from 'hono';
import { requestScope, scopeStorage } from '../step-context.ts';
import {
  type ConversationMiddlewareOptions,
  resolveRequestConversation,
  responseHeaderName,
} from './request-conversation.ts';

export type { ConversationMiddlewareOptions } from './request-conversation.ts';

/**
 * Hono middleware: opens the tracking context of each request, so `tracker.trackHumanMessage()`
 * and the integrations record into that request's conversation (from the `x-conversation-id`
 * header, your `conversationId` callback, or a new id), and echoes the id in the response.
 */
export function sightlineHono(options: ConversationMiddlewareOptions<Context> = {}): MiddlewareHandler {
  const echo = responseHeaderName(options);
  return async (c, next) => {
    const conversation = await resolveRequestConversation(options, c, (name) => c.req.header(name));
    const scope = requestScope(conversation);
    await scopeStorage.run(scope, () => next());
    const id = scope.conversation?.id;
    if (echo && id) {
      try {
        c.res.headers.set(echo, id);
      } catch {
        // immutable headers (a proxied Response): the id is simply not echoed
      }
    }
  };
}
