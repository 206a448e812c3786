/**
 * Per-run overhead of @sightline/agents, and SQLite session write throughput.
 *
 *   node bench/agents/overhead.ts [runs=1000]
 *
 * Anchor (same run, same process): the notes agent on the demo model (2 model calls + 1 tool call) with
 * the SDK's MemorySession and tracing disabled. Measured: the same run with a SqliteSession (file, WAL,
 * the default synchronous=NORMAL) in an atomic turn, traced by instrumentAgents() into the real tracker,
 * which sends to a collector in another process (as in production). Three more rows split the cost:
 * the SDK's own tracing (enabled, with a no-op processor), our tracing alone and our session alone.
 * Target: <= 10% added latency at p50.
 * Fairness: every variant runs the same agent, model and inputs on its own 50 sessions (so histories
 * grow alike); after a warmup, rounds of 10 runs per variant are interleaved, the order rotating each
 * round, so machine load and JIT state hit every variant alike. The event loop turns between runs
 * (timers and I/O run there, as between two requests of a server), outside the timed run; the tracker
 * sends on its own schedule (every second or 500 events). The spread column is the p50 ratio in 5
 * consecutive parts of the rounds: on a shared machine it shows how much load moved the figure. The
 * CPU used during each run (process CPU, all threads) is steadier than wall time when other processes
 * take the cores: its p50 ratio is reported too. CPU per run with background work: process CPU in two
 * more phases per variant (rotated order), each ended by a tracker flush, so a traced variant's figure
 * includes the tracker's encoding and sending.
 * Writes: SqliteSession.addItems vs raw better-sqlite3 inserts of the same rows; target >= 5,000 items/s.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Agent,
  MemorySession,
  Runner,
  type Session,
  setTraceProcessors,
  setTracingDisabled,
  type TracingProcessor,
  tool,
} from '@openai/agents';
import {
  closeSessionDatabases,
  demoModel,
  instrumentAgents,
  openSessionDatabase,
  SqliteSession,
  uninstrumentAgents,
  withSessionTurn,
} from '@sightline/agents';
import { userMessage } from '@sightline/agents/testing';
import { createTracker, type Tracker } from '@sightline/tracker';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { latencyTable, pairedRatio, quantile, type VariantSamples } from './run-stats.ts';

const RUNS = Number(process.argv[2] ?? 1000);
const USERS = 50;
const dir = mkdtempSync(join(tmpdir(), 'sl-bench-agents-'));
const sessionDb = openSessionDatabase(join(dir, 'sessions.db'));
const plainRunner = new Runner({ tracingDisabled: true });
const tracedRunner = new Runner();
const noopProcessor: TracingProcessor = {
  onTraceStart: async () => {},
  onTraceEnd: async () => {},
  onSpanStart: async () => {},
  onSpanEnd: async () => {},
  shutdown: async () => {},
  forceFlush: async () => {},
};

function notesAgent(latencyMs: number): Agent {
  const notes: string[] = [];
  return new Agent({
    name: 'NotesAgent',
    instructions: 'Help users manage notes.',
    model: demoModel({ latencyMs }),
    tools: [
      tool({
        name: 'create_note',
        description: 'Create a new note.',
        parameters: z.object({ title: z.string(), content: z.string() }),
        execute: async ({ title }) => `Created note '${title}' with ID ${notes.push(title)}`,
      }),
    ],
  });
}

interface Variant {
  name: string;
  /** Selects the trace processors this variant runs with. */
  processors: TracingProcessor[];
  run: (i: number) => Promise<unknown>;
}

const input = (i: number) => `Create a note titled N${i}: body of note ${i}`;
let sessionSet = 0;

function variants(latencyMs: number, ours: TracingProcessor): Variant[] {
  const agent = notesAgent(latencyMs);
  const set = sessionSet++;
  const memory = (tag: string) =>
    Array.from({ length: USERS }, (_, u) => new MemorySession({ sessionId: `${tag}-${u}` }));
  const durable = (tag: string) =>
    Array.from(
      { length: USERS },
      (_, u) => new SqliteSession(`${set}-${tag}-${u}`, sessionDb, { userId: `u${u}` }),
    );
  const [anchor, sdk, traced, session, full] = [
    memory('a'),
    memory('b'),
    memory('c'),
    durable('d'),
    durable('e'),
  ];
  const pick = <T>(list: T[], i: number) => list[i % USERS] as T;
  return [
    {
      name: 'anchor: MemorySession, tracing disabled',
      processors: [],
      run: (i) => plainRunner.run(agent, input(i), { session: pick(anchor, i) as Session }),
    },
    {
      name: '(share) SDK tracing enabled, no-op processor, MemorySession',
      processors: [noopProcessor],
      run: (i) => tracedRunner.run(agent, input(i), { session: pick(sdk, i) as Session }),
    },
    {
      name: '(share) instrumentAgents -> tracker -> collector, MemorySession',
      processors: [ours],
      run: (i) => tracedRunner.run(agent, input(i), { session: pick(traced, i) as Session }),
    },
    {
      name: '(share) SqliteSession atomic turn, tracing disabled',
      processors: [],
      run: (i) =>
        withSessionTurn(pick(session, i), (turn) => plainRunner.run(agent, input(i), { session: turn })),
    },
    {
      name: '**Sightline: SqliteSession atomic turn + instrumentAgents -> tracker -> collector**',
      processors: [ours],
      run: (i) =>
        withSessionTurn(pick(full, i), (turn) => tracedRunner.run(agent, input(i), { session: turn })),
    },
  ];
}

/** Lets the event loop run timers and I/O, as it does between requests (the demo model never waits). */
const idle = () => new Promise<void>((resolve) => setImmediate(resolve));

const BLOCK = 10;

interface MeasureOptions {
  runs: number;
  warmup: number;
  tracker: Tracker;
}

/** Runs of the variants traced into the collector (for the collector's figures). */
let tracedRuns = 0;

/** Runs `count` runs of a variant from run number `first`, turning the event loop before each. */
async function runBlock(
  variant: Variant,
  first: number,
  count: number,
  into?: VariantSamples,
): Promise<void> {
  setTraceProcessors(variant.processors);
  if (variant.processors.some((processor) => processor !== noopProcessor)) tracedRuns += count;
  for (let i = first; i < first + count; i += 1) {
    await idle(); // as between two requests of a server: timers and I/O (the tracker's sending) run here
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    await variant.run(i);
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    const used = process.cpuUsage(cpu);
    into?.latencies.push(elapsed);
    into?.runCpu.push((used.user + used.system) / 1000);
  }
}

/**
 * Latency: interleaved blocks, the order rotating each round; the tracker sends on its own schedule
 * (every second or 500 events), as in production. CPU: then two phases per variant (rotated order), each
 * followed by a flush of the tracker, so a traced variant's CPU includes its background sending.
 */
async function measure(list: Variant[], options: MeasureOptions): Promise<VariantSamples[]> {
  const { runs, warmup, tracker } = options;
  for (const variant of list) await runBlock(variant, 0, warmup);
  await tracker.flush({ timeoutMs: 30_000 });
  const results: VariantSamples[] = list.map((variant) => ({
    name: variant.name,
    latencies: [],
    runCpu: [],
    cpuMicros: 0,
    cpuRuns: 0,
  }));
  let next = warmup;
  for (let round = 0; next < warmup + runs; round += 1, next += BLOCK) {
    for (let offset = 0; offset < list.length; offset += 1) {
      const index = (round + offset) % list.length;
      await runBlock(list[index] as Variant, next, BLOCK, results[index]);
    }
  }
  await tracker.flush({ timeoutMs: 30_000 });
  const phase = Math.max(BLOCK, Math.floor(runs / 10));
  for (let rep = 0; rep < 2; rep += 1) {
    for (let offset = 0; offset < list.length; offset += 1) {
      const index = (rep + offset) % list.length;
      const variant = list[index] as Variant;
      const before = process.cpuUsage();
      await runBlock(variant, next, phase);
      if (variant.processors.length > 0) await tracker.flush({ timeoutMs: 30_000 });
      const used = process.cpuUsage(before);
      (results[index] as VariantSamples).cpuMicros += used.user + used.system;
    }
    next += phase;
  }
  for (const result of results) result.cpuRuns = 2 * phase;
  return results;
}

function report(title: string, results: VariantSamples[], runs: number, waits: boolean): void {
  console.log(`\n# ${title}: ${runs} runs per variant, ${USERS} sessions each, blocks of ${BLOCK}`);
  for (const row of latencyTable(results, !waits)) console.log(row);
  const anchor = results[0] as VariantSamples;
  const full = results[results.length - 1] as VariantSamples;
  const ratio = quantile(full.latencies, 0.5) / quantile(anchor.latencies, 0.5);
  const cpuRatio = quantile(full.runCpu, 0.5) / quantile(anchor.runCpu, 0.5);
  const added = quantile(full.latencies, 0.5) - quantile(anchor.latencies, 0.5);
  const paired = pairedRatio(full.latencies, anchor.latencies);
  console.log(
    `\nSightline vs anchor at p50: ${ratio.toFixed(3)} (+${((ratio - 1) * 100).toFixed(1)}%; target <= +10%: ${ratio <= 1.1 ? 'MET' : 'NOT MET'}), ${added.toFixed(3)} ms added per run${waits ? '' : `; CPU in the run at p50: +${((cpuRatio - 1) * 100).toFixed(1)}%`}; paired (median of run / anchor run on the same history): +${((paired - 1) * 100).toFixed(1)}% (${paired <= 1.1 ? 'MET' : 'NOT MET'})`,
  );
}

async function benchRuns(): Promise<void> {
  const collector = spawn(process.execPath, [join(import.meta.dirname, 'collector.ts')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = collector.stdout.setEncoding('utf8');
  const [endpoint] = (await once(lines, 'data')) as [string];
  const tracker = createTracker({ endpoint: endpoint.trim(), apiKey: 'sl_ingest_bench', exitHooks: false });
  const ours = instrumentAgents(tracker);
  setTracingDisabled(false);
  const load = loadavg();
  console.log(
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${load.map((value) => value.toFixed(2)).join(' ')} at start; Node ${process.version}`,
  );
  const title = 'Per-run latency, demo model answering at once';
  const list = variants(0, ours);
  report(title, await measure(list, { runs: RUNS, warmup: 100, tracker }), RUNS, false);
  const slow = 'Same, with 20 ms simulated model latency per call';
  const slowRuns = Math.min(RUNS, 200);
  const slowList = variants(20, ours);
  report(slow, await measure(slowList, { runs: slowRuns, warmup: 20, tracker }), slowRuns, true);
  const summary = await tracker.flush({ timeoutMs: 30_000 });
  collector.stdin.end();
  const [line] = (await once(lines, 'data')) as [string];
  const [received, collectorCpu] = line.trim().split(' ').map(Number) as [number, number];
  console.log(
    `\ncollector received ${received} events (${(received / tracedRuns).toFixed(1)} per traced run) and used ${(collectorCpu / tracedRuns / 1000).toFixed(3)} ms CPU per traced run in its own process (on this 2-core machine it competes with the runs; in production it runs elsewhere); tracker: ${JSON.stringify(tracker.stats().dropped)} dropped, last flush ok=${summary.ok}; load average at end ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}`,
  );
  await uninstrumentAgents();
  await tracker.shutdown();
}

interface WriteRates {
  ours: number;
  raw: number;
}

/**
 * Items/s of SqliteSession.addItems and of raw inserts of the same rows (one transaction per call each,
 * same journal mode and synchronous level), in alternating chunks so load hits both alike.
 */
async function writeRates(batch: number, synchronous: 'NORMAL' | 'FULL', total: number): Promise<WriteRates> {
  const open = (name: string) => {
    const db = new Database(join(dir, `${name}-${synchronous}-${batch}.db`));
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma(`synchronous = ${synchronous}`);
    return db;
  };
  const session = new SqliteSession(`writes-${batch}`, open('writes'));
  const raw = open('raw');
  raw.exec(
    'CREATE TABLE items (session_id TEXT, position INTEGER, item TEXT, PRIMARY KEY (session_id, position)) WITHOUT ROWID',
  );
  const insert = raw.prepare('INSERT INTO items VALUES (?, ?, ?)');
  let position = 0;
  const write = raw.transaction((rows: string[]) => {
    for (const row of rows) insert.run('raw', position++, row);
  });
  const items = Array.from({ length: batch }, (_, i) =>
    userMessage(`a realistic user message number ${i} in a batch`),
  );
  const chunk = Math.max(batch, Math.floor(total / 20));
  let oursNs = 0n;
  let rawNs = 0n;
  for (let done = 0; done < total; done += chunk) {
    let start = process.hrtime.bigint();
    for (let n = 0; n < chunk; n += batch) await session.addItems(items);
    oursNs += process.hrtime.bigint() - start;
    start = process.hrtime.bigint();
    for (let n = 0; n < chunk; n += batch) write.immediate(items.map((item) => JSON.stringify(item)));
    rawNs += process.hrtime.bigint() - start;
  }
  session.database.close();
  raw.close();
  return { ours: total / (Number(oursNs) / 1e9), raw: total / (Number(rawNs) / 1e9) };
}

async function benchWrites(): Promise<void> {
  console.log('\n# SQLite session writes (file, WAL), one transaction per addItems call');
  console.log(
    '| items per call | synchronous | SqliteSession.addItems | anchor: raw better-sqlite3 insert, same rows | ratio |',
  );
  console.log('|---|---|---|---|---|');
  const cases: Array<[number, 'NORMAL' | 'FULL', number]> = [
    [1, 'NORMAL', 20_000],
    [4, 'NORMAL', 20_000],
    [100, 'NORMAL', 20_000],
    [4, 'FULL', 2_000],
  ];
  for (const [batch, synchronous, total] of cases) {
    const rates = await writeRates(batch, synchronous, total);
    const verdict = rates.ours >= 5000 ? 'MET' : 'NOT MET';
    const label = synchronous === 'NORMAL' ? 'NORMAL (default)' : 'FULL (fsync per commit)';
    console.log(
      `| ${batch} | ${label} | ${Math.round(rates.ours).toLocaleString('en')} items/s (target >= 5,000: ${verdict}) | ${Math.round(rates.raw).toLocaleString('en')} items/s | ${(rates.ours / rates.raw).toFixed(2)} |`,
    );
  }
}

try {
  await benchRuns();
  await benchWrites();
} finally {
  closeSessionDatabases();
  rmSync(dir, { recursive: true, force: true });
}
