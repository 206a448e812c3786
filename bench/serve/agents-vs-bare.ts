/**
 * Serving agents: `POST /agents/:name/runs` of @sightline/serve against a bare Hono JSON route, same run.
 *
 *   node bench/serve/agents-vs-bare.ts [--duration 10] [--rounds 2] [--connections 50] [--ttff 200]
 *                                      [--baseline <a copy of packages/serve/src>/index.ts]
 *
 * Anchor: a Hono route on @hono/node-server that parses the JSON body and answers JSON (server.ts bare).
 * Measured: `serveAgents()` with an agent on the demo model, a bearer getUser, sqliteSessions on a temp
 * file (each run stores its turn) and tracking on: a real Tracker sending to a collector in its own
 * process (bench/agents/collector.ts, a sink that acknowledges every batch) with `instrumentAgents`.
 * Each server runs in its own child process; autocannon (in this process) drives one at a time, the
 * variants interleaved round after round so machine load hits them alike. Two inputs: "hello" (one model
 * call) and "what is 2 + 3" (a tool call between two model calls).
 * Targets: agent runs >= 40% of the bare route's req/s, p99 <= 20 ms (the "hello" run).
 * --baseline adds a "hello" variant served by another copy of @sightline/serve's sources in a fourth
 * process (e.g. `git show` of an older commit), so a change is compared with its baseline in the same run.
 * Then SSE time to first frame: sequential `Accept: text/event-stream` runs, time from sending the
 * request to the first `data:` frame (median and p95), next to the bare route's full round trip.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    ttff: { type: 'string', default: '200' },
    baseline: { type: 'string' },
  },
});
const DURATION = Number(values.duration);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);
const TTFF_RUNS = Number(values.ttff);
const HEADERS = { 'content-type': 'application/json', authorization: 'Bearer bench-token' };

interface Child {
  process: ChildProcessByStdio<Writable, Readable, null>;
  url: string;
  lines: AsyncIterator<string>;
}

/** Starts a node script; its first stdout line is its URL. */
async function start(script: string, args: string[]): Promise<Child> {
  const child = spawn(process.execPath, [join(import.meta.dirname, script), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = linesOf(child);
  const first = await lines.next();
  if (first.done) throw new Error(`${script} exited before printing its URL`);
  return { process: child, url: first.value.trim(), lines };
}

async function* linesOf(child: ChildProcessByStdio<Writable, Readable, null>): AsyncGenerator<string> {
  let buffer = '';
  for await (const chunk of child.stdout.setEncoding('utf8')) {
    buffer += chunk as string;
    for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
      yield buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
    }
  }
}

/** Closes a child's stdin and returns the last line it prints. */
async function stop(child: Child): Promise<string> {
  child.process.stdin.end();
  const line = await child.lines.next();
  await once(child.process, 'exit');
  return line.done ? '' : line.value.trim();
}

interface Variant {
  name: string;
  url: string;
  input: string;
  results: autocannon.Result[];
}

function load(variant: Variant, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${variant.url}/agents/assistant/runs`,
    method: 'POST',
    headers: HEADERS,
    body: JSON.stringify({ input: variant.input }),
    connections: CONNECTIONS,
    duration: seconds,
  });
}

const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** Requests per second over all rounds, and the worst round's latency percentiles. */
function summary(variant: Variant) {
  const { results } = variant;
  const total = sum(results.map((r) => r.requests.total));
  const seconds = sum(results.map((r) => r.duration));
  return {
    rps: total / seconds,
    perRound: results.map((r) => Math.round(r.requests.total / r.duration)),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    non2xx: sum(results.map((r) => r.non2xx)),
    errors: sum(results.map((r) => r.errors + r.timeouts)),
    total,
  };
}

/** Sequential requests: ms until the first SSE `data:` frame (or, for JSON, the whole answer). */
async function firstFrameTimes(url: string, runs: number, sse: boolean): Promise<number[]> {
  const times: number[] = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const response = await fetch(`${url}/agents/assistant/runs`, {
      method: 'POST',
      headers: sse ? { ...HEADERS, accept: 'text/event-stream' } : HEADERS,
      body: JSON.stringify({ input: 'hello' }),
    });
    if (response.status !== 200) throw new Error(`status ${response.status}: ${await response.text()}`);
    if (!sse) {
      await response.text();
      times.push(performance.now() - started);
      continue;
    }
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    let first: number | undefined;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (first === undefined && text.includes('data: ')) first = performance.now() - started;
    }
    if (first === undefined || !text.includes('data: [DONE]')) throw new Error(`bad stream: ${text}`);
    times.push(first);
  }
  return times;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const int = (value: number) => Math.round(value).toLocaleString('en');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sl-bench-serve-'));
  const collector = await start('../agents/collector.ts', []);
  const bare = await start('server.ts', ['bare']);
  const served = await start('server.ts', [
    'serve',
    '--collector',
    collector.url,
    '--sessions',
    join(dir, 'sessions.db'),
  ]);
  const baseline = values.baseline
    ? await start('server.ts', [
        'serve',
        '--collector',
        collector.url,
        '--sessions',
        join(dir, 'baseline.db'),
        '--serve-sources',
        values.baseline,
      ])
    : undefined;
  try {
    const variants: Variant[] = [
      { name: 'anchor: bare Hono JSON route', url: bare.url, input: 'hello', results: [] },
      { name: '**serveAgents run "hello" (1 model call)**', url: served.url, input: 'hello', results: [] },
      {
        name: 'serveAgents run "what is 2 + 3" (tool call, 2 model calls)',
        url: served.url,
        input: 'what is 2 + 3',
        results: [],
      },
    ];
    if (baseline) {
      variants.push({
        name: `baseline (${values.baseline}) run "hello"`,
        url: baseline.url,
        input: 'hello',
        results: [],
      });
    }
    for (const variant of variants) await load(variant, 3); // warm-up: JIT, SQLite pages, connections
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const variant of variants) variant.results.push(await load(variant, DURATION));
    }
    const anchorTimes = (await firstFrameTimes(bare.url, TTFF_RUNS, false)).sort((a, b) => a - b);
    const sseTimes = (await firstFrameTimes(served.url, TTFF_RUNS, true)).sort((a, b) => a - b);
    const baselineTimes = baseline
      ? (await firstFrameTimes(baseline.url, TTFF_RUNS, true)).sort((a, b) => a - b)
      : undefined;
    const servedCounters = await stop(served);
    if (baseline) console.log(`baseline process: ${await stop(baseline)}`);
    const bareCounters = await stop(bare);
    const received = await stop(collector);
    report(variants, { anchorTimes, sseTimes, baselineTimes, servedCounters, bareCounters, received });
  } finally {
    for (const child of [collector, bare, served, ...(baseline ? [baseline] : [])])
      if (child.process.exitCode === null) child.process.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(
  variants: Variant[],
  extra: {
    anchorTimes: number[];
    sseTimes: number[];
    baselineTimes: number[] | undefined;
    servedCounters: string;
    bareCounters: string;
    received: string;
  },
): void {
  console.log(
    `\n# POST /agents/:name/runs vs a bare Hono JSON route: autocannon, ${CONNECTIONS} connections, ` +
      `${ROUNDS} rounds x ${DURATION} s per variant, interleaved`,
  );
  console.log(
    '| variant | req/s | per round | p50 (worst round) | p99 (worst round) | ratio to anchor | non-2xx | errors |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  const [anchor, hello] = variants.map(summary);
  for (const variant of variants) {
    const s = summary(variant);
    console.log(
      `| ${variant.name} | ${int(s.rps)} | ${s.perRound.map(int).join(' / ')} | ${ms(s.p50)} | ${ms(s.p99)} | ` +
        `${(s.rps / (anchor?.rps ?? 1)).toFixed(3)} | ${s.non2xx} | ${s.errors} |`,
    );
  }
  const ratio = (hello?.rps ?? 0) / (anchor?.rps ?? 1);
  console.log(
    `\nserveAgents "hello" run vs anchor: ${(ratio * 100).toFixed(1)}% of the bare route's req/s ` +
      `(target >= 40%: ${ratio >= 0.4 ? 'MET' : 'NOT MET'}); p99 ${ms(hello?.p99 ?? 0)} ` +
      `(target <= 20 ms: ${(hello?.p99 ?? Infinity) <= 20 ? 'MET' : 'NOT MET'})`,
  );
  const { anchorTimes, sseTimes } = extra;
  console.log(`\n# Time to first frame: ${sseTimes.length} sequential requests each`);
  console.log('| request | median | p95 | max |');
  console.log('|---|---|---|---|');
  console.log(
    `| anchor: bare JSON route, whole answer | ${ms(quantile(anchorTimes, 0.5))} | ${ms(quantile(anchorTimes, 0.95))} | ${ms(anchorTimes.at(-1) ?? 0)} |`,
  );
  console.log(
    `| serveAgents run "hello", Accept: text/event-stream, first \`data:\` frame | ${ms(quantile(sseTimes, 0.5))} | ${ms(quantile(sseTimes, 0.95))} | ${ms(sseTimes.at(-1) ?? 0)} |`,
  );
  const { baselineTimes } = extra;
  if (baselineTimes) {
    console.log(
      `| baseline run "hello", Accept: text/event-stream, first \`data:\` frame | ${ms(quantile(baselineTimes, 0.5))} | ${ms(quantile(baselineTimes, 0.95))} | ${ms(baselineTimes.at(-1) ?? 0)} |`,
    );
  }
  console.log(`\nserve process: ${extra.servedCounters}`);
  console.log(`bare process: ${extra.bareCounters}`);
  console.log(`collector received ${extra.received} events`);
}

await main();
