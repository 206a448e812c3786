/**
 * `natsBus({ url })`: the RunBus on NATS JetStream, shared by serving nodes (nats-run-bus.ts). The NATS
 * client is loaded only when a bus is made: a process that serves without one does not load it (on
 * its own it adds ~4 MB resident).
 */
import type { NatsBusOptions } from './nats-run-bus.ts';
import type { RunBus } from './run-bus.ts';

export type { NatsBusOptions };

/** Connects to NATS and makes sure the stream exists; throws ServeError('upstream_failed') naming the URL. */
export async function natsBus(options: NatsBusOptions): Promise<RunBus> {
  const { connectNatsBus } = await import('./nats-run-bus.ts');
  return connectNatsBus(options);
}
