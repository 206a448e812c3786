/**
 * The live feed behind `GET /v1/live`: committed events fanned out to a project's subscribers.
 * Each subscriber has a bounded queue; a slow one loses the oldest events and is told how many.
 * An erasure drops the erased conversations' events still queued and tells each subscriber what was
 * erased (`erased`), so a page showing them drops them too.
 */
import type { LiveErasure, LiveEvent, ParsedEvent } from '@sightline/core';

/** What a subscriber receives at once: events, how many it missed, and erasures since. */
export interface LiveBatch {
  events: LiveEvent[];
  dropped: number;
  erased: LiveErasure[];
}

export interface LiveSubscription {
  /** Waits for the next events or erasures (or the timeout) and returns them, with the count dropped meanwhile. */
  next(timeoutMs: number): Promise<LiveBatch>;
  close(): void;
}

/** Whether a live event belongs to what an erasure removed. */
export function isErased(event: LiveEvent, erasure: LiveErasure, ids: ReadonlySet<string>): boolean {
  return ids.has(event.conversationId) || (erasure.kind === 'customer' && event.customerId === erasure.id);
}

const PREVIEW = 280;

function summarize(event: ParsedEvent): Record<string, unknown> {
  switch (event.type) {
    case 'message':
      return { role: event.body.role, content: event.body.content.slice(0, PREVIEW) };
    case 'step':
      return {
        stepId: event.body.stepId,
        parentId: event.body.parentId ?? null,
        stepType: event.body.type,
        name: event.body.name,
        ended: event.body.endedAt !== undefined || event.body.durationMs !== undefined,
        error: event.body.error?.message ?? null,
      };
    case 'feedback':
      return {
        sentiment: event.body.sentiment ?? null,
        comment: event.body.comment?.slice(0, PREVIEW) ?? null,
      };
    case 'conversation':
      return { name: event.body.name ?? null, source: event.body.source ?? null };
    case 'score':
      return {
        name: event.body.name,
        value: event.body.value,
        scoreSource: event.body.source,
        messageId: event.body.messageId ?? null,
        comment: event.body.comment?.slice(0, PREVIEW) ?? null,
      };
  }
}

/** The live view of stored events: ids, conversation, and a trimmed summary of the body. */
export function toLiveEvents(events: ParsedEvent[]): LiveEvent[] {
  return events.map((event) => ({
    id: event.id,
    type: event.type,
    timestamp: new Date(event.timestamp).toISOString(),
    conversationId: event.body.conversationId,
    customerId: event.body.customerId ?? null,
    summary: summarize(event),
  }));
}

export class LiveFeed {
  readonly #subscribers = new Map<string, Set<Subscriber>>();
  readonly #capacity: number;

  constructor(options: { capacity?: number } = {}) {
    this.#capacity = options.capacity ?? 1_000;
  }

  /** Number of open subscriptions, over all projects. */
  get size(): number {
    let total = 0;
    for (const set of this.#subscribers.values()) total += set.size;
    return total;
  }

  /** Sends committed events to the project's subscribers; returns them as live events. */
  publish(projectId: string, events: ParsedEvent[]): LiveEvent[] {
    const live = toLiveEvents(events);
    this.publishLive(projectId, live);
    return live;
  }

  /** Sends live events (e.g. relayed from another node) to the project's subscribers. */
  publishLive(projectId: string, live: LiveEvent[]): void {
    const subscribers = this.#subscribers.get(projectId);
    if (!subscribers || subscribers.size === 0 || live.length === 0) return;
    for (const subscriber of subscribers) subscriber.push(live);
  }

  /**
   * Drops the project's queued events of an erasure from every subscriber and tells each one about it;
   * returns how many events were dropped.
   */
  forget(projectId: string, erasure: LiveErasure): number {
    const ids = new Set(erasure.conversationIds);
    let dropped = 0;
    for (const subscriber of this.#subscribers.get(projectId) ?? [])
      dropped += subscriber.forget(erasure, ids);
    return dropped;
  }

  /** Subscribes to one project's events. */
  subscribe(projectId: string): LiveSubscription {
    const set = this.#subscribers.get(projectId) ?? new Set<Subscriber>();
    this.#subscribers.set(projectId, set);
    const subscriber = new Subscriber(this.#capacity, () => {
      set.delete(subscriber);
      if (set.size === 0) this.#subscribers.delete(projectId);
    });
    set.add(subscriber);
    return subscriber;
  }
}

class Subscriber implements LiveSubscription {
  #queue: LiveEvent[] = [];
  #erased: LiveErasure[] = [];
  #dropped = 0;
  #wake: (() => void) | null = null;
  readonly #capacity: number;
  readonly #onClose: () => void;

  constructor(capacity: number, onClose: () => void) {
    this.#capacity = capacity;
    this.#onClose = onClose;
  }

  push(events: LiveEvent[]): void {
    this.#queue.push(...events);
    const excess = this.#queue.length - this.#capacity;
    if (excess > 0) {
      this.#queue.splice(0, excess);
      this.#dropped += excess;
    }
    this.#wake?.();
  }

  /** Drops queued events of the erasure and queues the notice; returns how many events were dropped. */
  forget(erasure: LiveErasure, ids: ReadonlySet<string>): number {
    const before = this.#queue.length;
    this.#queue = this.#queue.filter((event) => !isErased(event, erasure, ids));
    this.#erased.push(erasure);
    this.#wake?.();
    return before - this.#queue.length;
  }

  async next(timeoutMs: number): Promise<LiveBatch> {
    if (this.#queue.length === 0 && this.#erased.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
    const events = this.#queue;
    const dropped = this.#dropped;
    const erased = this.#erased;
    this.#queue = [];
    this.#erased = [];
    this.#dropped = 0;
    return { events, dropped, erased };
  }

  close(): void {
    this.#wake?.();
    this.#onClose();
  }
}
