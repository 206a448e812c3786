/**
 * Sends the frames of a node's runs to its RunBus without a round trip per frame: the frames each run
 * appends during one event-loop turn are collected and published as one message after it (setImmediate),
 * the run's last frames flagged as ending its stream.
 */
import type { Frame, FrameSink } from '../http/frame-log.ts';
import type { RunBus } from './run-bus.ts';

interface Pending {
  frames: Frame[];
  end: boolean;
}

/** Batches frames per run and tick for one bus. */
export class FramePublisher {
  readonly #bus: RunBus;
  readonly #pending = new Map<string, Pending>();
  #scheduled = false;

  constructor(bus: RunBus) {
    this.#bus = bus;
  }

  /** A sink for the frame log of run `runId`. */
  sink(runId: string): FrameSink {
    return {
      frame: (frame) => {
        this.#of(runId).frames.push(frame);
      },
      end: () => {
        this.#of(runId).end = true;
      },
    };
  }

  /** Publishes what is collected now (also called by the scheduled flush). */
  flush(): void {
    this.#scheduled = false;
    const batches = [...this.#pending];
    this.#pending.clear();
    for (const [runId, batch] of batches) this.#bus.publish(runId, batch.frames, batch.end);
  }

  #of(runId: string): Pending {
    let pending = this.#pending.get(runId);
    if (!pending) {
      pending = { frames: [], end: false };
      this.#pending.set(runId, pending);
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
    return pending;
  }
}
