/**
 * One call to trace every agent run into Sightline: `instrumentAgents(tracker)`.
 */
import { setTraceProcessors, setTracingDisabled } from '@openai/agents-core';
import { SightlineTracingProcessor, type TracingOptions } from './tracing-processor.ts';
import type { AgentTracker } from './tracker-contract.ts';

let installed: SightlineTracingProcessor | undefined;

/**
 * Installs the Sightline tracing processor as the SDK's ONLY trace processor: it replaces the default
 * exporter to OpenAI's tracing backend (nothing is sent to OpenAI), enables tracing, and maps every run
 * to conversations, messages and steps on `tracker`. Calling it again replaces the previous processor.
 */
export function instrumentAgents(
  tracker: AgentTracker,
  options: TracingOptions = {},
): SightlineTracingProcessor {
  const processor = new SightlineTracingProcessor(tracker, options);
  void installed?.shutdown();
  installed = processor;
  setTraceProcessors([processor]);
  setTracingDisabled(false);
  return processor;
}

/** Removes the processor `instrumentAgents` installed; the SDK then has no trace processor at all. */
export async function uninstrumentAgents(): Promise<void> {
  const processor = installed;
  installed = undefined;
  setTraceProcessors([]);
  await processor?.shutdown();
}
