/**
 * The benchmark's collector, in its own process (as in production), so its request parsing is not
 * counted as tracing overhead. Prints its endpoint, then the number of events received on stdin EOF.
 */
import { FakeCollector } from '@sightline/agents/testing';

const collector = new FakeCollector();
process.stdout.write(`${await collector.start()}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  process.stdout.write(`${collector.events.length}\n`);
  await collector.stop();
  process.exit(0);
});
