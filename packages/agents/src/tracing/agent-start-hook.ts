/**
 * Tells listeners which agent a traced run starts. The SDK's spans name an agent but carry neither its
 * instructions nor its tools' schemas; every run, whatever its runner (`run()`, a `Runner`, a served
 * run), emits `agent_start` on the agent itself, so the hook wraps `Agent.prototype.emit` while someone
 * listens (installed by the first listener, removed with the last). The run's own emit is unchanged.
 */
import { Agent, getCurrentTrace } from '@openai/agents-core';

// biome-ignore lint/suspicious/noExplicitAny: any agent, whatever its context and output types
type AnyAgent = Agent<any, any>;
type AgentStartListener = (traceId: string, agent: AnyAgent) => void;

const listeners = new Set<AgentStartListener>();
type Emit = (type: string, ...args: unknown[]) => boolean;
const proto = Agent.prototype as unknown as { emit: Emit };
let original: Emit | undefined;

function install(): void {
  const emit = proto.emit;
  original = emit;
  proto.emit = function emitWithHook(this: AnyAgent, type: string, ...args: unknown[]): boolean {
    if (type === 'agent_start') notify(this);
    return emit.call(this, type, ...args);
  };
}

function notify(agent: AnyAgent): void {
  const trace = getCurrentTrace();
  if (!trace) return;
  for (const listener of listeners) {
    try {
      listener(trace.traceId, agent);
    } catch {
      // A listener never reaches the run.
    }
  }
}

/** Calls `listener` with the trace id and the agent whenever a traced run starts an agent; returns the unsubscribe. */
export function onAgentStart(listener: AgentStartListener): () => void {
  if (listeners.size === 0 && !original) install();
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && original) {
      // The SDK's Agent inherits emit: dropping the own property puts the inherited one back.
      Reflect.deleteProperty(proto, 'emit');
      if (proto.emit !== original) proto.emit = original;
      original = undefined;
    }
  };
}
