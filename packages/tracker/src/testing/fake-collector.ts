import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ClientReport,
  type EventType,
  type IngestResponse,
  type IngestResult,
  isSightlineError,
  parseIngestRequest,
} from '@sightline/core';

/** What the fake answers instead of the normal response (to simulate overload, auth errors...). */
export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** An event the fake stored: core's parsed event with a loosely typed body, handy in assertions. */
export interface CollectedEvent {
  id: string;
  type: EventType;
  /** Epoch milliseconds. */
  timestamp: number;
  body: Record<string, unknown> & { conversationId: string };
}

/** An event as it arrived on the wire (before validation), for `cannotStore`. */
export interface WireEvent {
  id: string;
  type: string;
  body: Record<string, unknown>;
}

/** One request the fake received. */
export interface FakeRequest {
  status: number;
  eventCount: number;
  client: ClientReport | undefined;
  authorization: string | undefined;
}

export interface FakeCollectorOptions {
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401. */
  apiKey?: string;
  /** Called for each request with the number of requests seen before it; return an answer to override. */
  intercept?: (request: { index: number; eventCount: number }) => FakeAnswer | undefined;
  /** Largest body accepted before answering 413 (default 5 MiB). */
  maxBodyBytes?: number;
  /**
   * Marks events the fake "cannot store": a request holding one is answered 500 and stores nothing,
   * as the real collector does when its store throws on an event (a poison event).
   */
  cannotStore?: (event: WireEvent) => boolean;
}

/**
 * A small stand-in for the Sightline collector (`POST /v1/ingest`), for tests: validates with
 * core's `parseIngestRequest`, stores each event id once (repeats answer `duplicate`), and answers
 * core's IngestResponse like the real collector (200; 207 when some events were rejected; 400 with
 * per-event results when all were; 500 for a request holding an event it `cannotStore`). It can be
 * stopped and restarted on the same port to simulate an outage.
 */
export class FakeCollector {
  /** Accepted events, each id once, in arrival order. */
  readonly events: CollectedEvent[] = [];
  readonly requests: FakeRequest[] = [];
  private readonly ids = new Set<string>();
  private readonly options: FakeCollectorOptions;
  private server: Server | undefined;
  private port = 0;

  constructor(options: FakeCollectorOptions = {}) {
    this.options = options;
  }

  /** Starts listening (on the previous port after a `stop()`), resolves to the base URL. */
  async start(): Promise<string> {
    const server = createServer((request, response) => {
      void this.handle(request, response);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this.url;
  }

  /** Stops listening: connections are refused until `start()` again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The client report of the last request that carried one. */
  get lastClientReport(): ClientReport | undefined {
    return this.requests.findLast((request) => request.client)?.client;
  }

  /** Accepted events of one conversation, in arrival order. */
  eventsOf(conversationId: string): CollectedEvent[] {
    return this.events.filter((event) => event.body.conversationId === conversationId);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST' || request.url !== '/v1/ingest') {
      return answer(response, {
        status: 404,
        body: { error: { code: 'not_found', message: 'no such route' } },
      });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const authorization = request.headers.authorization;
    const record = (status: number, eventCount: number, client?: ClientReport) =>
      this.requests.push({ status, eventCount, client, authorization });
    if (raw.length > (this.options.maxBodyBytes ?? 5 * 1024 * 1024)) {
      record(413, 0);
      return answer(response, {
        status: 413,
        body: { error: { code: 'payload_too_large', message: 'too large' } },
      });
    }
    if (this.options.apiKey && authorization !== `Bearer ${this.options.apiKey}`) {
      record(401, 0);
      return answer(response, { status: 401, body: { error: { code: 'unauthorized', message: 'bad key' } } });
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      record(400, 0);
      return answer(response, {
        status: 400,
        body: { error: { code: 'invalid_json', message: 'not JSON' } },
      });
    }
    const eventCount = Array.isArray((body as { events?: unknown[] })?.events)
      ? (body as { events: unknown[] }).events.length
      : 0;
    const override = this.options.intercept?.({ index: this.requests.length, eventCount });
    if (override) {
      record(override.status, eventCount);
      return answer(response, override);
    }
    if (this.holdsUnstorable(body)) {
      record(500, eventCount);
      return answer(response, {
        status: 500,
        body: { error: { code: 'internal', message: 'internal server error' } },
      });
    }
    try {
      const parsed = parseIngestRequest(body);
      const status = this.store(parsed, response);
      record(status, eventCount, parsed.client);
    } catch (error) {
      record(400, eventCount);
      const message = isSightlineError(error) ? error.message : String(error);
      answer(response, { status: 400, body: { error: { code: 'invalid_request', message } } });
    }
  }

  private holdsUnstorable(body: unknown): boolean {
    const { cannotStore } = this.options;
    const events = (body as { events?: unknown } | null)?.events;
    if (!cannotStore || !Array.isArray(events)) return false;
    return events.some(
      (event) => typeof event === 'object' && event !== null && cannotStore(event as WireEvent),
    );
  }

  private store(parsed: ReturnType<typeof parseIngestRequest>, response: ServerResponse): number {
    const results: IngestResult[] = [];
    let accepted = 0;
    let duplicates = 0;
    for (const event of parsed.events) {
      if (this.ids.has(event.id)) {
        duplicates++;
        results.push({ index: event.index, id: event.id, status: 'duplicate' });
      } else {
        accepted++;
        this.ids.add(event.id);
        this.events.push({
          id: event.id,
          type: event.type,
          timestamp: event.timestamp,
          body: event.body as CollectedEvent['body'],
        });
        results.push({ index: event.index, id: event.id, status: 'accepted' });
      }
    }
    for (const rejected of parsed.rejected) {
      results.push({ index: rejected.index, id: rejected.id, status: 'rejected', issues: rejected.issues });
    }
    results.sort((a, b) => a.index - b.index);
    const body: IngestResponse = { accepted, duplicates, rejected: parsed.rejected.length, results };
    const status = parsed.rejected.length === 0 ? 200 : parsed.events.length > 0 ? 207 : 400;
    answer(response, { status, body });
    return status;
  }
}

function answer(response: ServerResponse, reply: FakeAnswer): void {
  response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  response.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
}

/** Starts a fake collector; remember to `stop()` it. */
export async function startFakeCollector(options: FakeCollectorOptions = {}): Promise<FakeCollector> {
  const collector = new FakeCollector(options);
  await collector.start();
  return collector;
}
