/**
 * Process lifecycle hooks shared by every tracker (one listener per event, however many trackers).
 *
 * What is installed, following what the Sentry and Langfuse SDKs do:
 * - `beforeExit` (the event loop ran dry): a bounded flush. It does not fire on `process.exit()`
 *   or on a fatal signal.
 * - `exit`: synchronous last resort; unsent events go to the disk spool when `spoolDir` is set,
 *   otherwise they are counted as dropped and one line says so.
 * - SIGTERM / SIGINT: only with `handleSignals: true`. The handler flushes within the shutdown
 *   timeout, then, if no other listener is registered for the signal, removes itself and re-raises
 *   it, so the process still dies of the signal exactly as it would without the tracker. With other
 *   listeners, they decide when the process exits.
 */

export interface ExitParticipant {
  readonly handleSignals: boolean;
  /** The event loop is empty: start a bounded flush (it keeps the loop alive while it works). */
  onBeforeExit(): void;
  /** The process is exiting: nothing asynchronous will run any more. */
  onExitSync(): void;
  /** A termination signal arrived: flush within the shutdown timeout. */
  onSignal(): Promise<unknown>;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
type HandledSignal = (typeof SIGNALS)[number];

const participants = new Set<ExitParticipant>();
let lifecycleInstalled = false;
const signalListeners = new Map<HandledSignal, () => void>();

function onBeforeExit(): void {
  for (const participant of participants) {
    try {
      participant.onBeforeExit();
    } catch {
      // a hook never throws into the host's exit path
    }
  }
}

function onExit(): void {
  for (const participant of participants) {
    try {
      participant.onExitSync();
    } catch {
      // idem
    }
  }
}

function signalListener(signal: HandledSignal): () => void {
  return () => {
    process.off(signal, signalListeners.get(signal) as () => void);
    signalListeners.delete(signal);
    const flushing = [...participants].filter((p) => p.handleSignals).map((p) => p.onSignal());
    void Promise.allSettled(flushing).then(() => {
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  };
}

function syncInstallation(): void {
  if (participants.size > 0 && !lifecycleInstalled) {
    process.on('beforeExit', onBeforeExit);
    process.on('exit', onExit);
    lifecycleInstalled = true;
  } else if (participants.size === 0 && lifecycleInstalled) {
    process.off('beforeExit', onBeforeExit);
    process.off('exit', onExit);
    lifecycleInstalled = false;
  }
  const wantSignals = [...participants].some((p) => p.handleSignals);
  for (const signal of SIGNALS) {
    const installed = signalListeners.get(signal);
    if (wantSignals && !installed) {
      const listener = signalListener(signal);
      signalListeners.set(signal, listener);
      process.on(signal, listener);
    } else if (!wantSignals && installed) {
      process.off(signal, installed);
      signalListeners.delete(signal);
    }
  }
}

/** Registers a tracker for the process lifecycle hooks. */
export function registerExitParticipant(participant: ExitParticipant): void {
  participants.add(participant);
  syncInstallation();
}

/** Unregisters a tracker (after shutdown); the listeners go when the last tracker leaves. */
export function unregisterExitParticipant(participant: ExitParticipant): void {
  participants.delete(participant);
  syncInstallation();
}
