import { AsyncResource } from 'node:async_hooks';
import type { FastifyInstance, FastifyPluginCallback, FastifyRequest } from 'fastify';
import { requestScope, scopeStorage, type TrackingScope } from '../step-context.ts';
import {
  type ConversationMiddlewareOptions,
  resolveRequestConversation,
  responseHeaderName,
} from './request-conversation.ts';

export type { ConversationMiddlewareOptions } from './request-conversation.ts';

const RESOURCE = Symbol('sightline.asyncResource');
const SCOPE = Symbol('sightline.scope');

type TrackedRequest = FastifyRequest & { [RESOURCE]?: AsyncResource; [SCOPE]?: TrackingScope };

/**
 * Fastify plugin: opens the tracking context of each request (conversation from the
 * `x-conversation-id` header, your `conversationId(request)` callback, or a new id). As in
 * @fastify/request-context, the context is entered in `onRequest` and re-entered in
 * `preValidation`, because Fastify runs the handler from the body parser's callbacks. Registered
 * without encapsulation, so it applies to every route.
 */
export const sightlineFastify: FastifyPluginCallback<ConversationMiddlewareOptions<FastifyRequest>> = (
  fastify: FastifyInstance,
  options,
  done,
) => {
  const echo = responseHeaderName(options);
  fastify.addHook('onRequest', (request, _reply, next) => {
    void resolveRequestConversation(options, request, (name) => headerValue(request, name)).then(
      (conversation) => {
        const scope = requestScope(conversation);
        (request as TrackedRequest)[SCOPE] = scope;
        scopeStorage.run(scope, () => {
          const resource = new AsyncResource('sightline-request');
          (request as TrackedRequest)[RESOURCE] = resource;
          resource.runInAsyncScope(next, request.raw);
        });
      },
    );
  });
  fastify.addHook('preValidation', (request, _reply, next) => {
    const resource = (request as TrackedRequest)[RESOURCE];
    if (resource) resource.runInAsyncScope(next, request.raw);
    else next();
  });
  fastify.addHook('onSend', (request, reply, payload, next) => {
    const id = (request as TrackedRequest)[SCOPE]?.conversation?.id;
    if (echo && id) reply.header(echo, id);
    next(null, payload);
  });
  done();
};

// Like fastify-plugin: no encapsulation, so the hooks apply to routes registered next to the plugin.
Object.assign(sightlineFastify, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@sightline/tracker',
});

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
