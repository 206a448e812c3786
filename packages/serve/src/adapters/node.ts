/**
 * `@sightline/serve/node`: served routers on plain `node:http`. `createNodeHandler(app)` is a request
 * listener for any server; `listenNode(app, { port })` starts one, attaches WebSocket upgrades when the app
 * serves workflows (its `injectWebSocket`) and closes cleanly, long-lived SSE and WebSocket connections
 * included.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';

/** Anything with a fetch handler: a Hono app or router (`serveAgents()`, `serveWorkflows()`, ...). */
export interface FetchApp {
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
}

/** Any Hono app or router, whatever its env and routes. */
// biome-ignore lint/suspicious/noExplicitAny: routers of any env and schema are served
export type AnyHono = Hono<any, any, any>;

/** Dispatches a request as a Hono app does (what WebSocket upgrades are routed through). */
export interface RequestDispatcher {
  request(input: URL, init: RequestInit, env: unknown): Response | Promise<Response>;
}

/** A router that serves WebSockets on Node (`serveWorkflows()` returns one). */
export interface WebSocketRouter {
  injectWebSocket(server: Server, app?: RequestDispatcher): void;
}

export interface NodeHandlerOptions {
  /** Host name used to build request URLs when a request has no Host header. */
  hostname?: string;
  /** Told about errors the app threw instead of answering (default: ignored; the client gets a 500). */
  onError?: (error: unknown) => void;
}

export interface ListenNodeOptions extends NodeHandlerOptions {
  /** Port to listen on (default `PORT` or 3000; 0 picks a free port). */
  port?: number;
  /** Interface to listen on (default all). */
  host?: string;
  /**
   * Serves WebSocket upgrades through `app` (give the workflows router when `app` is a bigger app that
   * mounts it). Default: `app` itself when it has `injectWebSocket`; `false` serves none.
   */
  websockets?: WebSocketRouter | false;
  /** How long `close()` lets open requests, streams and sockets finish before cutting them, in ms (default 5,000). */
  shutdownGraceMs?: number;
}

/** A listening server. */
export interface NodeListener {
  server: Server;
  port: number;
  /** `http://<host>:<port>` (127.0.0.1 when listening on all interfaces). */
  url: string;
  /** Stops accepting connections, lets open ones finish (up to the grace period), then cuts the rest. */
  close(): Promise<void>;
}

/** A `node:http` request listener answering with `app`. */
export function createNodeHandler(
  app: FetchApp,
  options: NodeHandlerOptions = {},
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return getRequestListener((request, env) => app.fetch(request, env), {
    ...(options.hostname ? { hostname: options.hostname } : {}),
    errorHandler: (error) => {
      options.onError?.(error);
      return Response.json(
        { error: { code: 'internal', message: 'internal server error' } },
        { status: 500 },
      );
    },
  });
}

/** Starts a `node:http` server for `app` and resolves once it listens. */
export async function listenNode(app: FetchApp, options: ListenNodeOptions = {}): Promise<NodeListener> {
  const server = createServer(createNodeHandler(app, options));
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const websockets = options.websockets ?? (isWebSocketRouter(app) ? app : undefined);
  if (websockets) websockets.injectWebSocket(server, app as AnyHono);
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host =
    !options.host || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    server,
    port: address.port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    close: () => closeServer(server, sockets, options.shutdownGraceMs ?? 5_000),
  };
}

async function closeServer(server: Server, sockets: Set<Socket>, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => {
    for (const socket of sockets) socket.destroy();
  }, graceMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}

function isWebSocketRouter(app: unknown): app is WebSocketRouter {
  return typeof (app as Partial<WebSocketRouter>).injectWebSocket === 'function';
}
