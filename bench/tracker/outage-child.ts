/**
 * A tracking process for the outage check: tracks `count` messages numbered from `first` over
 * `spreadMs`, with a disk spool, then exits (shutdown flushes or spools what the collector did not take).
 *   node bench/tracker/outage-child.ts <endpoint> <ingestKey> <spoolDir> <first> <count> <spreadMs>
 */
import { createTracker } from '@sightline/tracker';

const [endpoint, apiKey, spoolDir, first, count, spreadMs] = process.argv.slice(2);
const tracker = createTracker({
  endpoint: endpoint as string,
  apiKey: apiKey as string,
  spoolDir: spoolDir as string,
  maxBufferEvents: 100_000,
  shutdownTimeoutMs: 3_000,
  retryMaxDelayMs: 2_000,
});
const total = Number(count);
const start = Number(first);
const perTick = Math.max(1, Math.ceil(total / (Number(spreadMs) / 50)));
for (let i = 0; i < total; i += perTick) {
  for (let j = i; j < Math.min(total, i + perTick); j++) {
    const n = start + j;
    tracker
      .conversation(`outage-${n % 1000}`, { customerId: `c-${n % 50}` })
      .trackHumanMessage(`message ${n}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const summary = await tracker.shutdown({ timeoutMs: 60_000 });
console.log(JSON.stringify({ stats: tracker.stats(), summary }));
