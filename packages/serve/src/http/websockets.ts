/**
 * WebSocket support on Node (@hono/node-ws) for routers that may be mounted in a bigger app: routes are
 * declared with `upgradeWebSocket`, and `injectWebSocket(server, app)` attaches the upgrade handling to the
 * HTTP server, dispatching upgrades through the app that received them (the parent app when mounted).
 */
import type { Server } from 'node:http';
import type { Http2SecureServer, Http2Server } from 'node:http2';
import { createNodeWebSocket } from '@hono/node-ws';
import type { Hono } from 'hono';
import type { UpgradeWebSocket } from 'hono/ws';

/** Anything that dispatches a request as a Hono app does (a Hono app of any env or schema). */
export interface RequestDispatcher {
  request(input: URL, init: RequestInit, env: unknown): Response | Promise<Response>;
}

/** What a router needs to serve WebSockets on Node. */
export interface WebSocketSupport {
  upgradeWebSocket: UpgradeWebSocket;
  /**
   * Handles upgrades on `server`, routing them through `app`: the app the router is mounted in (its
   * middleware runs on the upgrade), default the router itself.
   */
  injectWebSocket(server: Server | Http2Server | Http2SecureServer, app?: RequestDispatcher): void;
}

/** Creates WebSocket support; messages larger than `maxPayloadBytes` close the connection (1009). */
export function createWebSocketSupport(
  router: () => RequestDispatcher,
  maxPayloadBytes = 64 * 1024,
): WebSocketSupport {
  let target: RequestDispatcher | undefined;
  const dispatcher: RequestDispatcher = {
    request: (input, init, env) => (target ?? router()).request(input, init, env),
  };
  const node = createNodeWebSocket({ app: dispatcher as unknown as Hono });
  (node.wss.options as { maxPayload?: number }).maxPayload = maxPayloadBytes;
  const injected = new WeakSet<object>();
  return {
    upgradeWebSocket: node.upgradeWebSocket,
    injectWebSocket(server, app) {
      if (app) target = app;
      // Twice on one server would handle each upgrade twice (and fail it): the second call only retargets.
      if (injected.has(server)) return;
      injected.add(server);
      node.injectWebSocket(server as Server);
    },
  };
}
