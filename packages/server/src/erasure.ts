/**
 * Erasure at the collector (`DELETE /v1/conversations/:id`, `DELETE /v1/customers/:id`): the store's
 * rows in one transaction (rollups kept exact), the erased conversations' events still queued in this
 * node's live feed and, through the relay, in the other nodes', and then whatever the hooks hold: the
 * collector knows nothing of what runs beside it, so `sightline start` adds a hook that erases the
 * served agents' sessions, paused runs and run records. Synchronous: the receipt comes once all of it
 * is done. A hook that fails fails the request (500, saying what was erased already); deleting again
 * finishes the job, since every part is idempotent.
 */
import type { ErasureReceipt, LiveErasure } from '@sightline/core';
import type { Store } from '@sightline/store';
import { ServerError } from './errors.ts';
import type { LiveFeed } from './live-feed.ts';
import type { LiveRelay } from './live-relay.ts';
import type { Logger } from './logger.ts';

/** An erasure, as hooks see it. */
export interface Erasure {
  projectId: string;
  kind: 'conversation' | 'customer';
  /** The conversation's or the customer's id. */
  id: string;
  /** The conversations the collector erased (none when it had nothing left: a repeated delete). */
  conversationIds: readonly string[];
  /**
   * Those of `conversationIds` erased as replays (`sightline replay` sent the erased person's turns to a
   * served agent in them: conversations of the served user who ran the replay, not of `id`).
   */
  replayConversationIds: readonly string[];
}

/**
 * Erases what its owner holds of an erasure, idempotently; returns what it removed by kind (e.g.
 * `{ sessions: 1, pausedRuns: 0 }`), summed into the receipt's `elsewhere`.
 */
export type EraseHook = (erasure: Erasure) => Promise<Record<string, number> | undefined>;

/** Runs erasures at the collector (see the file comment). */
export class Eraser {
  readonly #store: Store;
  readonly #live: LiveFeed;
  readonly #relay: LiveRelay | null;
  readonly #logger: Logger;
  readonly #hooks = new Set<EraseHook>();

  constructor(options: { store: Store; live: LiveFeed; relay: LiveRelay | null; logger: Logger }) {
    this.#store = options.store;
    this.#live = options.live;
    this.#relay = options.relay;
    this.#logger = options.logger;
  }

  /** Adds a hook run after each erasure; returns a function that removes it. */
  addHook(hook: EraseHook): () => void {
    this.#hooks.add(hook);
    return () => this.#hooks.delete(hook);
  }

  /** Erases a conversation or a customer of the project; resolves with the receipt once all is done. */
  async erase(projectId: string, target: { kind: Erasure['kind']; id: string }): Promise<ErasureReceipt> {
    const { kind, id } = target;
    const outcome =
      kind === 'conversation'
        ? await this.#store.eraseConversation(projectId, id)
        : await this.#store.eraseCustomer(projectId, id);
    // A conversation's id is forgotten even when the store had nothing left of it (events in flight);
    // the replay conversations erased with it are in the outcome's ids.
    const conversationIds =
      kind === 'conversation' ? [...new Set([id, ...outcome.conversationIds])] : outcome.conversationIds;
    const live: LiveErasure = { kind, id, conversationIds: [...conversationIds] };
    const liveEvents = this.#live.forget(projectId, live);
    this.#relay?.sendErasure(projectId, live);
    const elsewhere = await this.#runHooks({
      projectId,
      kind,
      id,
      conversationIds: outcome.conversationIds,
      replayConversationIds: outcome.replayConversationIds,
    });
    const { removed, datasets } = outcome;
    this.#logger.info({ projectId, kind, removed, datasets, liveEvents, elsewhere }, 'erased');
    return { kind, id, erasedAt: new Date().toISOString(), removed, datasets, liveEvents, elsewhere };
  }

  async #runHooks(erasure: Erasure): Promise<Record<string, number>> {
    const totals: Record<string, number> = {};
    for (const hook of this.#hooks) {
      let counts: Record<string, number> | undefined;
      try {
        counts = await hook(erasure);
      } catch (error) {
        throw new ServerError(
          'internal',
          `the ${erasure.kind}'s data in the collector is erased, but erasing what is kept beside it failed: delete again to finish`,
          { cause: error },
        );
      }
      for (const [name, count] of Object.entries(counts ?? {})) totals[name] = (totals[name] ?? 0) + count;
    }
    return totals;
  }
}
