/**
 * Hot-path cost of one tracked event, against the named anchors, same process, same run.
 *
 *   node bench/tracker/hot-path.ts [eventsPerRound=20000] [rounds=7]
 *   BENCH_ONLY=sightline node bench/tracker/hot-path.ts   # a subset; BENCH_HEAP=1 prints the heap after each round
 *
 * Measured per event, median of rounds (each round builds fresh instances), one SDK after the other:
 * - sightline: `convo.trackHumanMessage(text, { metadata })` on @sightline/tracker, with a `fetch`
 *   that acknowledges every batch at once (the analog of the no-op span exporter: the buffer drains);
 *   `convo.trackAction(...)` (a finished tool step) as a second row.
 * - OpenTelemetry: one span (`startSpan` + 2 attributes + `end`) on @opentelemetry/sdk-trace v3's
 *   TracerProvider (the BasicTracerProvider of v1/v2) with a BatchSpanProcessor whose exporter does
 *   nothing (maxQueueSize = events per round, so no span is dropped; it exports every 512 spans).
 * - Langfuse: one `langfuse.event(...)` with the Langfuse JS SDK v3, pointed at a dead local URL,
 *   default batching (flushAt 15), flushes never awaited. (With flushing disabled outright its
 *   in-memory queue is re-serialized whole on every enqueue — quadratic — so that is not measured.)
 * Calls come in bursts of 1,000 with the event loop turning in between (as in a busy server).
 * Columns: "sync" is the tracking calls alone; "+deferred" also waits for the work each SDK defers
 * to microtasks/immediates (Langfuse's enqueue processing, Sightline's background serialization).
 * Targets: sightline sync <= 0.5 µs per event and >= 10x cheaper than the OpenTelemetry span.
 * Also reported: heap bytes per buffered event (raw, then serialized), via gc() between phases.
 */
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { trace } from '@opentelemetry/api';
import { BatchSpanProcessor, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import { createTracker, type Tracker } from '@sightline/tracker';
import { Langfuse } from 'langfuse';

const EVENTS = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.argv[3] ?? 7);
const DEAD_URL = 'http://127.0.0.1:59999'; // nothing listens here: connections are refused
const TEXT = 'What is 127 multiplied by 8? Please show the steps.';
const METADATA = { endpoint: '/chat', message_length: TEXT.length };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * The analog of OpenTelemetry's no-op exporter: a `fetch` that acknowledges every batch at once,
 * without a network, so the exporter drains the buffer as it would against a healthy collector.
 */
const acknowledgeAll: typeof fetch = async () => new Response(null, { status: 200 });

const silentTracker = (options: { drain: boolean } = { drain: true }): Tracker =>
  createTracker({
    endpoint: DEAD_URL,
    ...(options.drain ? { fetch: acknowledgeAll } : {}),
    apiKey: 'sl_ingest_bench',
    maxBufferEvents: 10_000_000,
    maxBufferBytes: 4 * 1024 * 1024 * 1024,
    flushIntervalMs: 3_600_000,
    exitHooks: false,
    onError: () => undefined,
  });

interface Subject {
  name: string;
  setup: () => { track: (index: number) => void; close: () => Promise<unknown> };
}

const noopExporter: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => undefined,
};

const subjects: Subject[] = [
  {
    name: 'sightline trackHumanMessage',
    setup: () => {
      const tracker = silentTracker();
      const convo = tracker.conversation('bench-conversation', { customerId: 'user-1' });
      return {
        track: () => {
          convo.trackHumanMessage(TEXT, { metadata: METADATA });
        },
        close: () => tracker.shutdown({ timeoutMs: 0 }),
      };
    },
  },
  {
    name: 'sightline trackAction',
    setup: () => {
      const tracker = silentTracker();
      const convo = tracker.conversation('bench-conversation', { customerId: 'user-1' });
      return {
        track: (index) => {
          convo.trackAction({
            name: 'calculate',
            durationMs: 3,
            response: '1016',
            metadata: { expression: '127*8', index },
          });
        },
        close: () => tracker.shutdown({ timeoutMs: 0 }),
      };
    },
  },
  {
    name: 'OpenTelemetry span (Batch, no-op exporter)',
    setup: () => {
      const provider = new TracerProvider({
        spanProcessors: [
          new BatchSpanProcessor({
            exporter: noopExporter,
            maxQueueSize: EVENTS,
            scheduledDelayMillis: 3_600_000,
          }),
        ],
      });
      const tracer = provider.getTracer('bench');
      return {
        track: () => {
          const span = tracer.startSpan('human-message');
          span.setAttribute('conversation.id', 'bench-conversation');
          span.setAttribute('message.content', TEXT);
          span.end();
        },
        close: () => provider.shutdown(),
      };
    },
  },
  {
    name: 'Langfuse event (dead URL, flush not awaited)',
    setup: () => {
      const langfuse = new Langfuse({
        publicKey: 'pk-lf-bench',
        secretKey: 'sk-lf-bench',
        baseUrl: DEAD_URL,
        fetchRetryCount: 0,
      });
      const traceId = langfuse.trace({ name: 'bench-conversation', userId: 'user-1' }).id;
      return {
        track: () => {
          langfuse.event({ traceId, name: 'human-message', input: TEXT, metadata: METADATA });
        },
        close: async () => {
          // Stop its flush timer without awaiting the dead URL.
          (langfuse as unknown as { enabled: boolean }).enabled = false;
          void langfuse.shutdownAsync().catch(() => undefined);
        },
      };
    },
  },
];

// BENCH_ONLY=sightline (a substring of subject names) runs a subset, to look at one SDK in isolation.
const only = process.env.BENCH_ONLY;
if (only) subjects.splice(0, subjects.length, ...subjects.filter((subject) => subject.name.includes(only)));

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Bursts of CHUNK calls, as a busy server would make them, with the event loop turning in between. */
const CHUNK = 1000;

interface Measurement {
  sync: number;
  syncCpu: number;
  deferred: number;
}

async function measure(subject: Subject): Promise<Measurement> {
  const instance = subject.setup();
  gc();
  let sync = 0n;
  let deferred = 0n;
  let cpu = 0;
  for (let offset = 0; offset < EVENTS; offset += CHUNK) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let index = offset; index < offset + CHUNK; index++) instance.track(index);
    const afterLoop = process.hrtime.bigint();
    const cpuLoop = process.cpuUsage(cpuStart);
    await tick();
    await tick();
    sync += afterLoop - start;
    cpu += cpuLoop.user + cpuLoop.system;
    deferred += process.hrtime.bigint() - start;
  }
  await instance.close();
  // Let background network attempts (dead URL) finish before the next subject is timed.
  await new Promise((resolve) => setTimeout(resolve, 500));
  gc();
  if (process.env.BENCH_HEAP)
    process.stderr.write(`${subject.name}: heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(1)} MB\n`);
  return { sync: Number(sync) / EVENTS, syncCpu: (cpu * 1000) / EVENTS, deferred: Number(deferred) / EVENTS };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function heapPerEvent(): Promise<{ raw: number; encoded: number }> {
  const count = 100_000;
  // Nothing is acknowledged here (dead URL), so every event stays buffered and can be weighed.
  const tracker = silentTracker({ drain: false });
  const convo = tracker.conversation('bench-conversation', { customerId: 'user-1' });
  gc();
  const before = process.memoryUsage().heapUsed;
  // Synchronous loop: the background encoder cannot run, so this measures raw buffered records.
  for (let index = 0; index < count; index++) convo.trackHumanMessage(TEXT, { metadata: METADATA });
  gc();
  const raw = (process.memoryUsage().heapUsed - before) / count;
  await tick();
  gc();
  const encoded = (process.memoryUsage().heapUsed - before) / count;
  const buffered = tracker.stats().buffered;
  await tracker.shutdown({ timeoutMs: 0 });
  if (buffered < count - 1000) throw new Error(`only ${buffered} of ${count} events stayed buffered`);
  return { raw, encoded };
}

async function main(): Promise<void> {
  trace.disable();
  // Langfuse prints every failed flush to the dead URL; mute the console while measuring.
  const print = console.log.bind(console);
  let muted = 0;
  console.error = () => void muted++;
  console.warn = () => void muted++;
  // One subject at a time (warm-up, then its rounds), the process settled and collected in between:
  // interleaving the SDKs round by round let one's leftovers (timers, sockets, JIT state) skew the next.
  const results = new Map<string, Measurement[]>();
  for (const subject of subjects) {
    await measure(subject);
    const entry: Measurement[] = [];
    for (let round = 0; round < ROUNDS; round++) entry.push(await measure(subject));
    results.set(subject.name, entry);
  }
  const rows = subjects.map((subject) => {
    const entry = results.get(subject.name) as Measurement[];
    return {
      name: subject.name,
      sync: median(entry.map((m) => m.sync)),
      best: Math.min(...entry.map((m) => m.sync)),
      syncCpu: median(entry.map((m) => m.syncCpu)),
      deferred: median(entry.map((m) => m.deferred)),
    };
  });
  const ours = rows[0] as (typeof rows)[number];
  const otel = (rows.find((row) => row.name.startsWith('OpenTelemetry')) ?? ours) as (typeof rows)[number];
  print(`\n(${muted} console lines from the SDKs muted during measurement)`);
  print(
    `\nHot path per tracked event — ${EVENTS} events x ${ROUNDS} rounds, median, Node ${process.versions.node}\n`,
  );
  print(
    `(load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')} on ${cpus().length} CPUs)\n`,
  );
  const header = ['subject', 'sync ns', 'best ns', 'cpu ns', '+deferred ns', 'ratio (sync)', 'ratio (cpu)'];
  const widths = [44, 9, 9, 9, 13, 13, 12];
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(44) : cell.padStart(widths[i] as number))).join(' ');
  print(line(header));
  for (const row of rows) {
    print(
      line([
        row.name,
        row.sync.toFixed(0),
        row.best.toFixed(0),
        row.syncCpu.toFixed(0),
        row.deferred.toFixed(0),
        `${(row.sync / ours.sync).toFixed(1)}x`,
        `${(row.syncCpu / ours.syncCpu).toFixed(1)}x`,
      ]),
    );
  }
  print(
    'sync = wall time of the calls; best = fastest round; cpu = process CPU time of the calls (all threads, incl. GC)',
  );
  const heap = await heapPerEvent();
  print(
    `\nheap per buffered event: ${heap.raw.toFixed(0)} B raw (before background serialization), ${heap.encoded.toFixed(0)} B serialized`,
  );
  const okLatency = ours.sync <= 500;
  const okRatio = otel.sync / ours.sync >= 10;
  print(
    `\ntarget <= 500 ns/event: ${okLatency ? 'MET' : 'NOT MET'} (${ours.sync.toFixed(0)} ns); ` +
      `target >= 10x cheaper than an OpenTelemetry span: ${okRatio ? 'MET' : 'NOT MET'} (${(otel.sync / ours.sync).toFixed(1)}x)`,
  );
  process.exit(0);
}

await main();
