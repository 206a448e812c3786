/**
 * Writes a node's run records and workflow events in batches, one write at a time: what is recorded while
 * a write is in flight goes into the next one (group commit), and a run recorded twice before its batch is
 * written is written once, in its last state. Under load a node so writes its runs in a few statements per
 * round trip instead of one or two per run; alone, a record is written on the next event-loop turn.
 */
import type { RunEvent, RunStore, ServedRunRecord } from '@sightline/agents';

/** Batches and writes records to one RunStore. */
export class RecordBatcher {
  readonly #runs: RunStore;
  readonly #before: Promise<void>;
  readonly #onError: (error: unknown) => void;
  #records = new Map<string, ServedRunRecord>();
  #events: RunEvent[] = [];
  /** Settles once what is collected now is stored (or failed: onError got it). */
  #batch = Promise.withResolvers<void>();
  #inFlight: Promise<void> | undefined;
  #scheduled = false;

  /** Writes to `runs` once `before` settled (the node's first heartbeat). */
  constructor(runs: RunStore, before: Promise<void>, onError: (error: unknown) => void) {
    this.#runs = runs;
    this.#before = before;
    this.#onError = onError;
  }

  /** Records a run's state (its last state before the write wins). */
  record(run: ServedRunRecord): void {
    this.#records.delete(run.runId);
    this.#records.set(run.runId, run);
    this.#schedule();
  }

  /** Records events. */
  recordEvents(events: RunEvent[]): void {
    for (const event of events) this.#events.push(event);
    this.#schedule();
  }

  /** Resolves once what was recorded so far is stored. */
  recorded(): Promise<void> {
    if (this.#pending()) return this.#batch.promise;
    return this.#inFlight ?? Promise.resolve();
  }

  /** Writes what is collected now (not waiting for the event-loop turn to end); resolves once all is stored. */
  async flush(): Promise<void> {
    for (;;) {
      if (this.#inFlight) await this.#inFlight;
      else if (this.#pending()) this.#write();
      else return;
    }
  }

  #pending(): boolean {
    return this.#records.size > 0 || this.#events.length > 0;
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight) return; // a write in flight takes the rest when it ends
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#write();
    });
  }

  #write(): void {
    if (this.#inFlight || !this.#pending()) return;
    const records = [...this.#records.values()];
    const events = this.#events;
    const batch = this.#batch;
    this.#records = new Map();
    this.#events = [];
    this.#batch = Promise.withResolvers<void>();
    this.#inFlight = this.#store(records, events).finally(() => {
      this.#inFlight = undefined;
      batch.resolve();
      this.#write(); // what was recorded meanwhile
    });
  }

  async #store(records: ServedRunRecord[], events: RunEvent[]): Promise<void> {
    await this.#before;
    try {
      if (records.length > 0) await this.#runs.saveRuns(records);
      if (events.length > 0) await this.#runs.appendEvents(events);
    } catch (error) {
      this.#onError(error);
    }
  }
}
