/**
 * `@sightline/serve/express`: served routers inside an existing Express (or Connect) app.
 * `app.use('/ai', toExpress(router))` answers the router's routes under `/ai` with streaming (SSE) intact;
 * requests the router has no route for go on to the next Express handler. The body is read by the router
 * itself, and still works when a body parser (`express.json()`) ran first. WebSockets of a mounted
 * workflows router: `injectWebSocket(httpServer, router, '/ai')` after `app.listen()`.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import type { AnyHono, WebSocketRouter } from './node.ts';

/** An Express/Connect middleware. */
export type ExpressMiddleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

export interface ToExpressOptions {
  /** Pass requests the router has no route for to the next Express handler (default true); false answers 404. */
  fallthrough?: boolean;
}

type BodyParsedRequest = IncomingMessage & { body?: unknown; rawBody?: unknown };
const nextOf = new WeakMap<IncomingMessage, (error?: unknown) => void>();

/**
 * An Express middleware answering with a Hono router (routes are read when this is called: define them
 * first). Errors the router does not answer itself go to Express's error handlers.
 */
export function toExpress(router: AnyHono, options: ToExpressOptions = {}): ExpressMiddleware {
  const unmatched = new WeakSet<Response>();
  const app: AnyHono = new Hono().route('/', router);
  app.onError((error) => {
    throw error;
  });
  if (options.fallthrough !== false) {
    app.notFound(() => {
      const response = new Response(null, { status: 404 });
      unmatched.add(response);
      return response;
    });
  }
  const answer = async (request: Request, env: unknown): Promise<Response> => {
    const next = nextOf.get((env as { incoming: IncomingMessage }).incoming);
    let response: Response;
    try {
      response = await app.fetch(request, env);
    } catch (error) {
      next?.(error);
      return RESPONSE_ALREADY_SENT;
    }
    if (!unmatched.has(response)) return response;
    next?.();
    return RESPONSE_ALREADY_SENT;
  };
  const badRequest = () => new Response(null, { status: 400 });
  const streaming = getRequestListener(answer, { errorHandler: badRequest });
  // A body a parser already read is handed over whole (rawBody): nothing may wait on the spent stream.
  const buffered = getRequestListener(answer, { errorHandler: badRequest, autoCleanupIncoming: false });
  return (request, response, next) => {
    nextOf.set(request, next);
    const consumed = request.readableEnded || (request.complete && !request.readable);
    if (consumed && !(request as BodyParsedRequest).rawBody) {
      (request as BodyParsedRequest).rawBody = bytesOf(request as BodyParsedRequest);
    }
    void (consumed ? buffered : streaming)(request, response);
  };
}

/**
 * Serves the WebSocket upgrades of `router` mounted at `prefix` on `server` (the `http.Server` that
 * `app.listen()` returns). One WebSocket-serving router per server.
 */
export function injectWebSocket(server: Server, router: WebSocketRouter & AnyHono, prefix = ''): void {
  router.injectWebSocket(server, prefix === '' ? router : new Hono().route(prefix, router));
}

/** The bytes of a body a parser already read: a Buffer or string as is, an object as JSON or a form. */
function bytesOf(request: BodyParsedRequest): Buffer {
  const body = request.body;
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  const type = String(request.headers['content-type'] ?? '');
  if (/application\/x-www-form-urlencoded/i.test(type)) {
    return Buffer.from(new URLSearchParams(body as Record<string, string>).toString());
  }
  return Buffer.from(JSON.stringify(body));
}
