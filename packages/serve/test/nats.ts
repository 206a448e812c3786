/**
 * NATS for tests: SIGHTLINE_TEST_NATS_URL or the local server at 127.0.0.1:4222 (JetStream on). Tests that
 * need it fail, never skip, when it is down. Each bus gets a stream and subjects of its own, dropped after.
 */
import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { type NatsBusOptions, natsBus } from '../src/bus/nats-bus.ts';
import type { RunBus } from '../src/bus/run-bus.ts';

export const TEST_NATS_URL = process.env.SIGHTLINE_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** A stream name and subject prefix no other test uses. */
export function natsNamespace(): { stream: string; subjectPrefix: string } {
  const id = randomBytes(6).toString('hex');
  return { stream: `SLTEST_${id}`, subjectPrefix: `sltest.${id}.runs` };
}

/** A bus on the test server, in `namespace` (a fresh one when omitted). */
export function testNatsBus(
  namespace = natsNamespace(),
  options: Partial<NatsBusOptions> = {},
): Promise<RunBus> {
  return natsBus({ url: TEST_NATS_URL, ...namespace, ...options });
}

/** Deletes a test stream. */
export async function dropNatsStream(stream: string): Promise<void> {
  const nc = await connect({ servers: TEST_NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => undefined);
  } finally {
    await nc.close();
  }
}
