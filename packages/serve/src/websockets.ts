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

/** What a router needs to serve WebSockets on Node. */
export interface WebSocketSupport {
  upgradeWebSocket: UpgradeWebSocket;
  /** Handles upgrades on `server`, routing them through `app` (default: the router itself). */
  injectWebSocket(server: Server | Http2Server | Http2SecureServer, app?: Hono<never>): void;
}

/** Creates WebSocket support; messages larger than `maxPayloadBytes` close the connection (1009). */
export function createWebSocketSupport(
  router: () => { request: Hono['request'] },
  maxPayloadBytes = 64 * 1024,
): WebSocketSupport {
  let target: { request: Hono['request'] } | undefined;
  const dispatcher = {
    request: (...args: Parameters<Hono['request']>) => (target ?? router()).request(...args),
  };
  const node = createNodeWebSocket({ app: dispatcher as unknown as Hono });
  (node.wss.options as { maxPayload?: number }).maxPayload = maxPayloadBytes;
  return {
    upgradeWebSocket: node.upgradeWebSocket,
    injectWebSocket(server, app) {
      if (app) target = app as unknown as { request: Hono['request'] };
      node.injectWebSocket(server as Server);
    },
  };
}
