import type { Tracker } from './tracker.ts';
import { SightlineTracker } from './tracker.ts';

let instance: SightlineTracker | undefined;
/** Flush hooks registered before the tracker exists (registering one must not create it). */
const earlyHooks = new Map<() => void, (() => void) | undefined>();

/** The process-wide tracker, created on first use from SIGHTLINE_* variables and .sightline/credentials.json. */
function defaultTracker(): SightlineTracker {
  if (!instance) {
    const created = new SightlineTracker();
    instance = created;
    for (const hook of earlyHooks.keys()) earlyHooks.set(hook, created.addFlushHook(hook));
  }
  return instance;
}

/** Adds a flush hook to the default tracker, without creating it (configuration may come later). */
function addDefaultFlushHook(hook: () => void): () => void {
  if (instance) return instance.addFlushHook(hook);
  const entry = () => hook();
  earlyHooks.set(entry, undefined);
  return () => {
    earlyHooks.get(entry)?.();
    earlyHooks.delete(entry);
  };
}

/**
 * The ready-made tracker, configured from the environment (SIGHTLINE_API_KEY, SIGHTLINE_ENDPOINT,
 * SIGHTLINE_ENVIRONMENT) or the credentials `sightline start` wrote. It is created on first use,
 * so importing it reads no file and starts no timer.
 */
export const tracker: Tracker = {
  conversation: (id, context) => defaultTracker().conversation(id, context),
  getOrCreateConversation: (options) => defaultTracker().getOrCreateConversation(options),
  runInConversation: (handle, fn) => defaultTracker().runInConversation(handle, fn),
  runInStep: (step, fn) => defaultTracker().runInStep(step, fn),
  currentConversation: () => defaultTracker().currentConversation(),
  currentStep: () => defaultTracker().currentStep(),
  trackHumanMessage: (content, options) => defaultTracker().trackHumanMessage(content, options),
  trackAgentMessage: (content, options) => defaultTracker().trackAgentMessage(content, options),
  trackAction: (action) => defaultTracker().trackAction(action),
  trackGeneration: (generation) => defaultTracker().trackGeneration(generation),
  trackFeedback: (feedback) => defaultTracker().trackFeedback(feedback),
  score: (score) => defaultTracker().score(score),
  step: (options, fn) => defaultTracker().step(options, fn),
  flush: (options) => defaultTracker().flush(options),
  addFlushHook: (hook) => addDefaultFlushHook(hook),
  shutdown: (options) => defaultTracker().shutdown(options),
  stats: () => defaultTracker().stats(),
};

/** The implementation behind a Tracker (the default one included), for internal error reporting. */
export function trackerInstance(candidate: Tracker): SightlineTracker | undefined {
  if (candidate === tracker) return defaultTracker();
  return candidate instanceof SightlineTracker ? candidate : undefined;
}
