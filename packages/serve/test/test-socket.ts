/**
 * A real HTTP server for a Hono app (port 0) and a WebSocket client (the `ws` package) that queues what
 * the server sends, so tests can await the next message of a conversation.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import WebSocket from 'ws';

/** A message the server sent (parsed JSON). */
export interface ServerMessage {
  type: string;
  [field: string]: unknown;
}

/** A listening server and its base URLs. */
export interface Listening {
  server: Server;
  http: string;
  ws: string;
  close(): Promise<void>;
}

/** Serves `app` on 127.0.0.1 on a free port; `inject` attaches WebSocket handling to the server. */
export async function listen(
  app: { fetch: (request: Request) => Response | Promise<Response> },
  inject?: (server: Server) => void,
): Promise<Listening> {
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(started as Server),
    ) as Server;
  });
  inject?.(server);
  const { port } = server.address() as AddressInfo;
  return {
    server,
    http: `http://127.0.0.1:${port}`,
    ws: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The upgrade was refused with an HTTP status. */
export class UpgradeRefused extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`the server refused the WebSocket upgrade with HTTP ${status}`);
    this.status = status;
  }
}

/** A WebSocket client whose received messages are awaited one at a time (keep-alives are counted, not queued). */
export class TestSocket {
  readonly socket: WebSocket;
  /** Every message received, keep-alives included, in order. */
  readonly received: ServerMessage[] = [];
  keepAlives = 0;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #unread: ServerMessage[] = [];
  #wake: (() => void) | undefined;
  #isClosed = false;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      this.received.push(message);
      if (message.type === 'keep-alive') this.keepAlives += 1;
      else this.#unread.push(message);
      this.#wake?.();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.#isClosed = true;
        this.#wake?.();
        resolve({ code, reason: String(reason) });
      });
    });
  }

  /** Connects; rejects with UpgradeRefused when the server answers the upgrade with a status. */
  static open(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      const client = new TestSocket(socket);
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_request, response) => {
        reject(new UpgradeRefused(response.statusCode ?? 0));
        socket.terminate();
      });
      socket.once('error', reject);
    });
  }

  /** Sends a message (objects as JSON, strings as they are). */
  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next message that is not a keep-alive; fails after `timeoutMs` or when the socket closed first. */
  async next(timeoutMs = 5000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = this.#unread.shift();
      if (message) return message;
      if (this.#isClosed) throw new Error('the socket closed before another message arrived');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  /** The next message, which must be of `type`. */
  async expect(type: string): Promise<ServerMessage> {
    const message = await this.next();
    if (message.type !== type) {
      throw new Error(`expected a "${type}" message, got ${JSON.stringify(message)}`);
    }
    return message;
  }

  /** Messages received and not read yet. */
  get unread(): ServerMessage[] {
    return [...this.#unread];
  }

  close(): void {
    this.socket.close();
  }
}
