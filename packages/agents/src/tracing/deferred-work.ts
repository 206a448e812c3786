/**
 * `DeferredWork`: actions run in order after the current turn of the event loop (one `setImmediate`
 * per batch), so work that need not happen inside an agent run (mapping its spans to tracker events)
 * is kept off the run's latency. `drain()` runs what is queued now (the tracker calls it first in every
 * flush); a queue that reaches its limit drains at once, so memory stays bounded when the loop is busy.
 */
export class DeferredWork {
  #actions: Array<() => void> = [];
  #scheduled: ReturnType<typeof setImmediate> | undefined;
  #draining = false;
  readonly #run: (action: () => void) => void;
  readonly #limit: number;

  /** `run` executes one action (and must not throw); `limit` is the most actions held at once. */
  constructor(run: (action: () => void) => void, limit = 10_000) {
    this.#run = run;
    this.#limit = limit;
  }

  /** Actions waiting. */
  get size(): number {
    return this.#actions.length;
  }

  /** Queues an action, after every action queued before it. */
  add(action: () => void): void {
    this.#actions.push(action);
    if (this.#actions.length >= this.#limit) this.drain();
    else this.#scheduled ??= setImmediate(() => this.drain());
  }

  /** Runs every queued action now, in order (actions queued meanwhile run too; a nested call returns). */
  drain(): void {
    if (this.#draining) return;
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    this.#draining = true;
    try {
      while (this.#actions.length > 0) {
        const actions = this.#actions;
        this.#actions = [];
        for (const action of actions) this.#run(action);
      }
    } finally {
      this.#draining = false;
    }
  }
}
