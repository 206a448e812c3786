/**
 * A run's frames read from another node (through the RunBus) or from the run store, as a FrameLog that
 * `sseResponse` and WebSocket readers follow like a local run's; stopping it stops the reading.
 */
import { type Frame, FrameLog } from '../http/frame-log.ts';

/** A log filled from `source`; closed when the source ends or fails. */
export interface RemoteFrames {
  log: FrameLog;
  stop(): void;
}

/** Copies frames after `afterId` from `source(signal)` into a new log numbered from `afterId + 1`. */
export function remoteFrames(
  afterId: number,
  source: (signal: AbortSignal) => AsyncIterable<Frame>,
  onError?: (error: unknown) => void,
): RemoteFrames {
  const log = new FrameLog({ firstId: afterId + 1 });
  const controller = new AbortController();
  void (async () => {
    try {
      for await (const frame of source(controller.signal)) {
        if (frame.id >= log.nextId) log.appendFrame(frame);
      }
    } catch (error) {
      if (!controller.signal.aborted) onError?.(error);
    } finally {
      log.close();
    }
  })();
  return { log, stop: () => controller.abort() };
}
