import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { requestScope, scopeStorage } from '../step-context.ts';
import {
  type ConversationMiddlewareOptions,
  resolveRequestConversation,
  responseHeaderName,
} from './request-conversation.ts';

export type { ConversationMiddlewareOptions } from './request-conversation.ts';

/**
 * Express middleware: opens the tracking context of each request (conversation from the
 * `x-conversation-id` header, your `conversationId(req)` callback, or a new id) for every later
 * middleware and handler, and echoes the final conversation id in the response headers.
 */
export function sightlineExpress(options: ConversationMiddlewareOptions<Request> = {}): RequestHandler {
  const echo = responseHeaderName(options);
  return (req: Request, res: Response, next: NextFunction) => {
    void resolveRequestConversation(options, req, (name) => req.get(name)).then((conversation) => {
      const scope = requestScope(conversation);
      if (echo) echoOnWriteHead(res, echo, () => scope.conversation?.id);
      try {
        scopeStorage.run(scope, () => next());
      } catch (error) {
        next(error);
      }
    });
  };
}

/** Sets the header just before the response head is written (as `on-headers` does). */
function echoOnWriteHead(res: Response, header: string, id: () => string | undefined): void {
  const writeHead = res.writeHead;
  res.writeHead = function patchedWriteHead(this: Response, ...args: unknown[]) {
    const value = id();
    if (value && !res.headersSent) res.setHeader(header, value);
    return (writeHead as (...rest: unknown[]) => Response).apply(this, args);
  } as Response['writeHead'];
}
