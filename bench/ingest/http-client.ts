/**
 * Worker thread that posts pre-serialized ingest bodies to a collector with N concurrent
 * connections, so the load generator does not share the server's thread.
 */
import { parentPort, workerData } from 'node:worker_threads';

interface Job {
  url: string;
  key: string;
  bodies: string[];
  concurrency: number;
}

const job = workerData as Job;
let next = 0;
let failures = 0;
const started = performance.now();
async function loop(): Promise<void> {
  for (;;) {
    const index = next++;
    const body = job.bodies[index];
    if (body === undefined) return;
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${job.url}/v1/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${job.key}` },
        body,
      });
      await res.arrayBuffer();
      if (res.status === 200) break;
      if (res.status !== 503 || attempt > 50) {
        failures += 1;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
await Promise.all(Array.from({ length: job.concurrency }, loop));
parentPort?.postMessage({ ms: performance.now() - started, failures });
