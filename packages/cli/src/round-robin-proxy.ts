/**
 * Test helper: a round-robin HTTP proxy in front of several `sightline start` nodes, with no sticky
 * sessions: each request goes to the next node (skipping one that refuses connections, as a load
 * balancer does); responses, server-sent events included, are piped through as they come.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  url: string;
  /** Index of the node each request went to, in order. */
  served: number[];
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (a free port) and sends each request to the next of `targets()`. */
export async function roundRobinProxy(targets: () => string[]): Promise<RoundRobinProxy> {
  let next = 0;
  const served: number[] = [];
  const server: Server = createServer(async (incoming, outgoing) => {
    const body = await readBody(incoming);
    const list = targets();
    for (let tries = 0; tries < list.length; tries += 1) {
      const index = next++ % list.length;
      try {
        const upstream = await forward(list[index] as string, incoming, body);
        served.push(index);
        outgoing.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(outgoing);
        outgoing.on('close', () => upstream.destroy());
        return;
      } catch {
        // connection refused: that node is down, try the next one
      }
    }
    outgoing.writeHead(502).end('no node answered');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}

function forward(target: string, incoming: IncomingMessage, body: Buffer): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const url = new URL(incoming.url ?? '/', target);
    const upstream = httpRequest(
      url,
      { method: incoming.method, headers: { ...incoming.headers, host: url.host } },
      resolve,
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}
