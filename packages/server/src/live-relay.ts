/**
 * Relays committed events between collector nodes that share one PostgreSQL (LISTEN/NOTIFY), so a
 * `/v1/live` stream on any node shows what every node stored, and erasures, so every node's live feed
 * drops what was erased. Single-node SQLite needs no relay.
 */

import { randomUUID } from 'node:crypto';
import type { LiveErasure, LiveEvent } from '@sightline/core';
import type { Store } from '@sightline/store';
import type { LiveFeed } from './live-feed.ts';
import type { Logger } from './logger.ts';

const CHANNEL = 'sightline_live';
/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more. */
const MAX_PAYLOAD = 7_000;

interface RelayMessage {
  node: string;
  projectId: string;
  events: LiveEvent[];
  /** An erasure (or a piece of its conversation ids) for the other nodes' live feeds to apply. */
  erased?: LiveErasure;
}

export class LiveRelay {
  readonly #node = randomUUID();
  readonly #store: Store;
  readonly #live: LiveFeed;
  readonly #logger: Logger;
  #unsubscribe: (() => Promise<void>) | null = null;

  constructor(options: { store: Store; live: LiveFeed; logger: Logger }) {
    this.#store = options.store;
    this.#live = options.live;
    this.#logger = options.logger;
  }

  /** Starts listening for other nodes' events. */
  async start(): Promise<void> {
    this.#unsubscribe = await this.#store.subscribe(CHANNEL, (payload) => this.#receive(payload));
  }

  /** Tells the other nodes about events this node committed (in NOTIFY-sized pieces). */
  send(projectId: string, events: LiveEvent[]): void {
    let piece: LiveEvent[] = [];
    let size = 0;
    const flush = () => {
      if (piece.length === 0) return;
      const message: RelayMessage = { node: this.#node, projectId, events: piece };
      this.#store
        .broadcast(CHANNEL, JSON.stringify(message))
        .catch((error) => this.#logger.warn({ err: error }, 'live relay: could not notify other nodes'));
      piece = [];
      size = 0;
    };
    for (const event of events) {
      const length = Buffer.byteLength(JSON.stringify(event));
      if (length > MAX_PAYLOAD - 200) continue;
      if (size + length > MAX_PAYLOAD - 200) flush();
      piece.push(event);
      size += length + 1;
    }
    flush();
  }

  /** Tells the other nodes about an erasure (its conversation ids in NOTIFY-sized pieces). */
  sendErasure(projectId: string, erasure: LiveErasure): void {
    const pieces: string[][] = [[]];
    let size = 0;
    for (const id of erasure.conversationIds) {
      const length = Buffer.byteLength(JSON.stringify(id)) + 1;
      if (size + length > MAX_PAYLOAD - 2_000 && (pieces.at(-1)?.length ?? 0) > 0) {
        pieces.push([]);
        size = 0;
      }
      pieces.at(-1)?.push(id);
      size += length;
    }
    for (const conversationIds of pieces) {
      const message: RelayMessage = {
        node: this.#node,
        projectId,
        events: [],
        erased: { ...erasure, conversationIds },
      };
      this.#store
        .broadcast(CHANNEL, JSON.stringify(message))
        .catch((error) =>
          this.#logger.warn({ err: error }, 'live relay: could not tell other nodes of an erasure'),
        );
    }
  }

  async stop(): Promise<void> {
    await this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  #receive(payload: string): void {
    try {
      const message = JSON.parse(payload) as RelayMessage;
      if (message.node === this.#node) return;
      if (message.erased) this.#live.forget(message.projectId, message.erased);
      else this.#live.publishLive(message.projectId, message.events);
    } catch (error) {
      this.#logger.warn({ err: error }, 'live relay: ignored a malformed notification');
    }
  }
}
