/**
 * A stand-in for the Sightline collector's `POST /v1/ingest` (validated with core's parser, each event
 * id stored once), plus `conversation(id)`: the events folded the way the server folds them (messages
 * in order, steps merged by step id, later fields winning).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type IngestResponse,
  type MessageBody,
  type ParsedEvent,
  parseIngestRequest,
  type StepBody,
} from '@sightline/core';

export interface CollectedConversation {
  id: string;
  customerId: string | undefined;
  messages: MessageBody[];
  steps: StepBody[];
}

export class FakeCollector {
  readonly events: ParsedEvent[] = [];
  readonly authorizations: string[] = [];
  readonly #ids = new Set<string>();
  #server: Server | undefined;

  /** Starts on a free port; resolves to the endpoint to give the tracker. */
  async start(): Promise<string> {
    const server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      this.authorizations.push(request.headers.authorization ?? '');
      const parsed = parseIngestRequest(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      const answer: IngestResponse = {
        accepted: 0,
        duplicates: 0,
        rejected: parsed.rejected.length,
        results: [],
      };
      for (const event of parsed.events) {
        if (this.#ids.has(event.id)) {
          answer.duplicates += 1;
          answer.results.push({ index: event.index, id: event.id, status: 'duplicate' });
        } else {
          this.#ids.add(event.id);
          this.events.push(event);
          answer.accepted += 1;
          answer.results.push({ index: event.index, id: event.id, status: 'accepted' });
        }
      }
      for (const rejected of parsed.rejected) {
        answer.results.push({
          index: rejected.index,
          id: rejected.id,
          status: 'rejected',
          issues: rejected.issues,
        });
      }
      response.writeHead(parsed.rejected.length > 0 ? 207 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** Ids of the conversations any event named, in first-seen order. */
  conversationIds(): string[] {
    return [...new Set(this.events.map((event) => event.body.conversationId))];
  }

  /** One conversation as the server would store it. */
  conversation(id: string): CollectedConversation {
    const events = this.events.filter((event) => event.body.conversationId === id);
    const steps = new Map<string, StepBody>();
    const messages: MessageBody[] = [];
    let customerId: string | undefined;
    for (const event of events) {
      customerId = event.body.customerId ?? customerId;
      if (event.type === 'message') messages.push(event.body);
      if (event.type === 'step') {
        const merged = { ...steps.get(event.body.stepId) };
        for (const [key, value] of Object.entries(event.body))
          if (value !== undefined) Object.assign(merged, { [key]: value });
        steps.set(event.body.stepId, merged as StepBody);
      }
    }
    return { id, customerId, messages, steps: [...steps.values()] };
  }
}

/** The chain of step types from a step up to its root, e.g. ['llm', 'turn', 'agent', 'run']. */
export function ancestry(steps: StepBody[], step: StepBody): string[] {
  const chain: string[] = [];
  let current: StepBody | undefined = step;
  for (let depth = 0; current && depth < 100; depth += 1) {
    chain.push(current.type);
    const parentId: string | undefined = current.parentId;
    current = parentId === undefined ? undefined : steps.find((candidate) => candidate.stepId === parentId);
  }
  return chain;
}
