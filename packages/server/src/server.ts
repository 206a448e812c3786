/** Runs the collector app on a port with @hono/node-server, and shuts it down gracefully. */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { SightlineApp } from './app.ts';

export interface ListenOptions {
  /** The collector (its queue is drained on close). */
  collector: SightlineApp;
  /** The app to serve; defaults to the collector's own (pass a parent app that mounts more routes). */
  app?: Hono<never>;
  port?: number;
  hostname?: string;
  /** Called after the server closed (e.g. to close the store). */
  onClose?: () => Promise<void>;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  /** Stops accepting connections, commits queued writes, then runs onClose. Idempotent. */
  close(): Promise<void>;
}

/** Listens and resolves once the port is bound. */
export async function listen(options: ListenOptions): Promise<RunningServer> {
  const app = options.app ?? (options.collector.app as unknown as Hono<never>);
  await options.collector.ready();
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port: options.port ?? 4400, hostname: options.hostname ?? '127.0.0.1' },
      (info: AddressInfo) => {
        const host = info.address.includes(':') ? `[${info.address}]` : info.address;
        let closing: Promise<void> | null = null;
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          server: server as Server,
          close: () => {
            closing ??= shutdown(server as Server, options);
            return closing;
          },
        });
      },
    ) as Server;
    server.once('error', reject);
  });
}

async function shutdown(server: Server, options: ListenOptions): Promise<void> {
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  await options.collector.shutdown();
  server.closeIdleConnections();
  const forced = setTimeout(() => server.closeAllConnections(), 5_000);
  forced.unref();
  await stopped;
  clearTimeout(forced);
  await options.onClose?.();
}
