/**
 * Per-run overhead of @sightline/agents, and SQLite session write throughput.
 *
 *   node bench/agents/overhead.ts [runs=1000]
 *
 * Anchor (same run, same process): the notes agent on the demo model (2 model calls + 1 tool call) with
 * the SDK's MemorySession and tracing disabled. Measured: the same run with a SqliteSession (file, WAL)
 * in an atomic turn, traced by instrumentAgents() into the real tracker, which sends to a collector in
 * another process (as in production). Two more rows split the cost: the SDK's own tracing (enabled, with
 * a no-op processor) and our session alone. Target: <= 10% added latency at p50.
 * Latency: blocks of 20 runs per variant, interleaved, so machine load hits every variant alike; the
 * event loop turns between runs (timers and I/O run there, as between two requests of a server).
 * CPU: one sequential phase per variant (process.cpuUsage), the traced one including the tracker's
 * background sending. Then the same comparison with 20 ms of simulated model latency.
 * Writes: SqliteSession.addItems vs raw better-sqlite3 inserts of the same rows; target >= 5,000 items/s.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  const [anchor, sdk, session, full] = [memory('a'), memory('b'), durable('c'), durable('d')];
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

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
  };
}

/** Lets the event loop run timers and I/O, as it does between requests (the demo model never waits). */
const idle = () => new Promise<void>((resolve) => setImmediate(resolve));

const fmt = (ms: number) => `${ms.toFixed(3)} ms`;

async function measure(title: string, list: Variant[], runs: number, tracker: Tracker): Promise<void> {
  const use = (variant: Variant) => setTraceProcessors(variant.processors);
  for (const variant of list) {
    use(variant);
    for (let i = 0; i < 100; i += 1) {
      await idle();
      await variant.run(i);
    }
  }
  const samples = list.map(() => [] as number[]);
  const block = 20;
  for (let i = 100; i < 100 + runs; i += block) {
    for (const [index, variant] of list.entries()) {
      use(variant);
      for (let j = i; j < i + block; j += 1) {
        await idle(); // as between two requests of a server: timers and I/O (the tracker's sending) run here
        const start = process.hrtime.bigint();
        await variant.run(j);
        samples[index]?.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
  }
  await tracker.flush({ timeoutMs: 30_000 });
  const cpu: number[] = [];
  for (const variant of list) {
    use(variant);
    const before = process.cpuUsage();
    for (let i = 100 + runs; i < 100 + 2 * runs; i += 1) {
      await idle();
      await variant.run(i);
    }
    if (variant.processors.length > 0) await tracker.flush({ timeoutMs: 30_000 });
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000 / runs);
  }
  console.log(`\n# ${title}: ${runs} runs per variant, ${USERS} sessions`);
  console.log('| variant | p50 | p90 | p99 | mean | p50 ratio | CPU per run | CPU ratio |');
  console.log('|---|---|---|---|---|---|---|---|');
  const anchor = stats(samples[0] ?? []);
  const anchorCpu = cpu[0] ?? 1;
  list.forEach((variant, index) => {
    const s = stats(samples[index] ?? []);
    const c = cpu[index] ?? 0;
    console.log(
      `| ${variant.name} | ${fmt(s.p50)} | ${fmt(s.p90)} | ${fmt(s.p99)} | ${fmt(s.mean)} | ${(s.p50 / anchor.p50).toFixed(3)} | ${fmt(c)} | ${(c / anchorCpu).toFixed(3)} |`,
    );
  });
  const full = stats(samples[list.length - 1] ?? []);
  const ratio = full.p50 / anchor.p50;
  console.log(
    `\nSightline vs anchor at p50: ${ratio.toFixed(3)} (+${((ratio - 1) * 100).toFixed(1)}%; target <= +10%: ${ratio <= 1.1 ? 'MET' : 'NOT MET'}), ${fmt(full.p50 - anchor.p50)} added per run`,
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
  await measure('Per-run latency, demo model answering at once', variants(0, ours), RUNS, tracker);
  await measure(
    'Same, with 20 ms simulated model latency per call',
    variants(20, ours),
    Math.min(RUNS, 200),
    tracker,
  );
  const summary = await tracker.flush({ timeoutMs: 30_000 });
  collector.stdin.end();
  const [received] = (await once(lines, 'data')) as [string];
  console.log(
    `\ncollector received ${received.trim()} events; tracker: ${JSON.stringify(tracker.stats().dropped)} dropped, last flush ok=${summary.ok}`,
  );
  await uninstrumentAgents();
  await tracker.shutdown();
}

async function benchWrites(): Promise<void> {
  console.log('\n# SQLite session writes (file, WAL, synchronous=NORMAL), one transaction per addItems call');
  console.log(
    '| items per call | SqliteSession.addItems | anchor: raw better-sqlite3 insert, same rows | ratio |',
  );
  console.log('|---|---|---|---|');
  const total = 20_000;
  for (const batch of [1, 4, 100]) {
    const session = new SqliteSession(
      `writes-${batch}`,
      openSessionDatabase(join(dir, `writes-${batch}.db`)),
    );
    const items = Array.from({ length: batch }, (_, i) =>
      userMessage(`a realistic user message number ${i} in a batch`),
    );
    let start = process.hrtime.bigint();
    for (let done = 0; done < total; done += batch) await session.addItems(items);
    const oursPerSecond = total / (Number(process.hrtime.bigint() - start) / 1e9);

    const raw = new Database(join(dir, `raw-${batch}.db`));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.exec(
      'CREATE TABLE items (session_id TEXT, position INTEGER, item TEXT, PRIMARY KEY (session_id, position)) WITHOUT ROWID',
    );
    const insert = raw.prepare('INSERT INTO items VALUES (?, ?, ?)');
    let position = 0;
    const write = raw.transaction((rows: string[]) => {
      for (const row of rows) insert.run('raw', position++, row);
    });
    start = process.hrtime.bigint();
    for (let done = 0; done < total; done += batch)
      write.immediate(items.map((item) => JSON.stringify(item)));
    const rawPerSecond = total / (Number(process.hrtime.bigint() - start) / 1e9);
    raw.close();
    const verdict = oursPerSecond >= 5000 ? 'MET' : 'NOT MET';
    console.log(
      `| ${batch} | ${Math.round(oursPerSecond).toLocaleString('en')} items/s (target >= 5,000: ${verdict}) | ${Math.round(rawPerSecond).toLocaleString('en')} items/s | ${(oursPerSecond / rawPerSecond).toFixed(2)} |`,
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
