/**
 * The write queue between ingest requests and the store. It is bounded (a full queue answers 503
 * with Retry-After instead of growing memory), and it commits waiting requests of one project
 * together (group commit), so one fsync covers many requests. A request is answered only after
 * its transaction committed: what was acknowledged is on disk.
 */
import type { FieldIssue, ParsedEvent } from '@sightline/core';
import type { Store } from '@sightline/store';
import { ServerError } from './errors.ts';

export type EventStatus = 'accepted' | 'duplicate';

/** What became of a submitted batch: stored events' statuses, and events refused before queueing. */
export interface SubmitOutcome {
  statuses: Map<string, EventStatus>;
  /** Events `prepare` refused (a redaction rule failed on them), by id, with why. */
  rejected: Map<string, FieldIssue[]>;
}

/** Turns a batch into what may be stored (redaction): the events to queue and those refused. */
export type PrepareBatch = (
  projectId: string,
  events: ParsedEvent[],
) => Promise<{ events: ParsedEvent[]; rejected: Map<string, FieldIssue[]> }>;

export interface WriteQueueOptions {
  store: Store;
  /** Most events waiting at once; more is refused with `overloaded`. */
  maxQueuedEvents?: number;
  /** Most events committed in one transaction. */
  maxGroupEvents?: number;
  /** Transactions in flight at once (1 for SQLite, which has one writer). */
  concurrency?: number;
  /** Runs on every batch before it is queued (redaction): nothing reaches the store without it. */
  prepare?: PrepareBatch;
  /** Called after each commit with the events it stored. */
  onCommitted?: (projectId: string, events: ParsedEvent[]) => void;
}

interface Entry {
  projectId: string;
  events: ParsedEvent[];
  resolve: (statuses: Map<string, EventStatus>) => void;
  reject: (error: unknown) => void;
}

export class WriteQueue {
  readonly #store: Store;
  readonly #maxQueued: number;
  readonly #maxGroup: number;
  readonly #concurrency: number;
  readonly #onCommitted: WriteQueueOptions['onCommitted'];
  readonly #prepare: PrepareBatch | undefined;
  readonly #pending: Entry[] = [];
  #queuedEvents = 0;
  #running = 0;
  #scheduled = false;
  #idle: Array<() => void> = [];

  constructor(options: WriteQueueOptions) {
    this.#store = options.store;
    this.#maxQueued = options.maxQueuedEvents ?? 50_000;
    this.#maxGroup = options.maxGroupEvents ?? 5_000;
    this.#concurrency = options.concurrency ?? (options.store.dialect === 'sqlite' ? 1 : 4);
    this.#onCommitted = options.onCommitted;
    this.#prepare = options.prepare;
  }

  /** Events waiting or being written. */
  get depth(): number {
    return this.#queuedEvents;
  }

  /**
   * Prepares (redacts) a batch and queues what may be stored; resolves with each stored event's status
   * once committed, and the events refused. Throws `overloaded` when the queue is full.
   */
  async submit(projectId: string, events: ParsedEvent[]): Promise<SubmitOutcome> {
    if (events.length === 0) return { statuses: new Map(), rejected: new Map() };
    this.#checkRoom(events.length);
    const prepared = this.#prepare ? await this.#prepare(projectId, events) : { events, rejected: new Map() };
    const statuses = await this.#enqueue(projectId, prepared.events);
    return { statuses, rejected: prepared.rejected };
  }

  #checkRoom(count: number): void {
    if (this.#queuedEvents + count > this.#maxQueued) {
      throw new ServerError(
        'overloaded',
        `the write queue is full (${this.#queuedEvents} events waiting); retry later`,
      );
    }
  }

  #enqueue(projectId: string, events: ParsedEvent[]): Promise<Map<string, EventStatus>> {
    if (events.length === 0) return Promise.resolve(new Map());
    this.#checkRoom(events.length);
    this.#queuedEvents += events.length;
    return new Promise((resolve, reject) => {
      this.#pending.push({ projectId, events, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves when every queued batch has been written (for graceful shutdown). */
  drain(): Promise<void> {
    if (this.#running === 0 && this.#pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Starts writing on the next turn of the event loop rather than at once, so requests that
   * arrived together (already readable on their sockets) are committed in one transaction.
   */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#running < this.#concurrency && this.#pending.length > 0) {
      const group = this.#takeGroup();
      this.#running += 1;
      void this.#write(group).finally(() => {
        this.#running -= 1;
        for (const entry of group) this.#queuedEvents -= entry.events.length;
        this.#schedule();
        if (this.#running === 0 && this.#pending.length === 0)
          for (const resolve of this.#idle.splice(0)) resolve();
      });
    }
  }

  /** Takes the oldest entry and later entries of the same project, up to the group size. */
  #takeGroup(): Entry[] {
    const first = this.#pending.shift() as Entry;
    const group = [first];
    let size = first.events.length;
    for (let i = 0; i < this.#pending.length && size < this.#maxGroup; ) {
      const entry = this.#pending[i] as Entry;
      if (entry.projectId === first.projectId && size + entry.events.length <= this.#maxGroup) {
        group.push(entry);
        size += entry.events.length;
        this.#pending.splice(i, 1);
      } else {
        i += 1;
      }
    }
    return group;
  }

  async #write(group: Entry[]): Promise<void> {
    try {
      await this.#commit(group);
    } catch (error) {
      if (group.length === 1) {
        group[0]?.reject(error);
        return;
      }
      // One entry may have poisoned the group: write each on its own so the others still land.
      for (const entry of group) {
        try {
          await this.#commit([entry]);
        } catch (entryError) {
          entry.reject(entryError);
        }
      }
    }
  }

  async #commit(group: Entry[]): Promise<void> {
    const projectId = (group[0] as Entry).projectId;
    const merged: ParsedEvent[] = [];
    const owner = new Map<string, Entry>();
    for (const entry of group) {
      for (const event of entry.events) {
        if (owner.has(event.id)) continue;
        owner.set(event.id, entry);
        merged.push(event);
      }
    }
    const outcome = await this.#store.append(projectId, merged);
    for (const entry of group) {
      const statuses = new Map<string, EventStatus>();
      for (const event of entry.events) {
        statuses.set(
          event.id,
          outcome.accepted.has(event.id) && owner.get(event.id) === entry ? 'accepted' : 'duplicate',
        );
      }
      entry.resolve(statuses);
    }
    if (outcome.events.length > 0) this.#onCommitted?.(projectId, outcome.events);
  }
}
