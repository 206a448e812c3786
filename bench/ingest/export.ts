/**
 * Export benchmark (issue 14: 1M conversations exported as JSONL with the server's RSS under 200 MB).
 * Starts the collector in a child process on a generated store (bench/ingest/generate.ts), streams
 * `GET /v1/exports/conversations` from it, and reports the child's peak RSS (VmHWM from /proc) before and
 * after, RSS samples along the way, and throughput. Anchor, same run: what a client does without the
 * export route, paging the list API and fetching each conversation's detail, on the first conversations.
 *   node bench/ingest/export.ts --db .bench-data/big.db [--format jsonl] [--out file.jsonl] [--anchor 5000]
 * The server runs with the Node flags `sightline start` runs the collector with (--max-semi-space-size=8
 * --heap-growing-percent=60, packages/cli/bin/collector-flags.js), and with the NODE_OPTIONS of this
 * process, which win; sizing the heap there drops both, as `sightline start` does, e.g.
 *   NODE_OPTIONS=--max-semi-space-size=0 node bench/ingest/export.ts ...   # V8's defaults
 * --node-flags=… adds Node flags to the collector's, after those (flags NODE_OPTIONS refuses, e.g.
 * --node-flags=--heap-growing-percent=30).
 * --anchor 0 measures a fresh collector; the default warms the list's SQLite cache first. --cache-mb N sizes
 * that cache (SqliteOptions.cacheMb; default the store's).
 * --server start measures `sightline start` itself instead (packages/cli/bin/sightline.js: its bundle, its
 * own flags, the demo agents served unless --no-agents), its keys in a temporary SIGHTLINE_HOME:
 *   node bench/ingest/export.ts --db .bench-data/export-1m.db --server start [--no-agents]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { COLLECTOR_NODE_FLAGS, needsCollectorFlags } from 'sightline/collector-flags';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: '.bench-data/big.db' },
    format: { type: 'string', default: 'jsonl' },
    out: { type: 'string' },
    anchor: { type: 'string', default: '5000' },
    limit: { type: 'string' },
    'trace-memory': { type: 'boolean' },
    'cache-mb': { type: 'string' },
    'node-flags': { type: 'string' },
    server: { type: 'string', default: 'collector' },
    'no-agents': { type: 'boolean' },
  },
});

/** VmHWM (peak resident set) and VmRSS of a process, in MB. */
async function memoryOf(pid: number): Promise<{ hwm: number; rss: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { hwm: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 };
}

/** What `sightline start` adds, unless NODE_OPTIONS tunes the heap (its own rule, cli bin/collector-flags.js). */
const START_FLAGS = needsCollectorFlags([], process.env.NODE_OPTIONS) ? COLLECTOR_NODE_FLAGS : [];
const extraFlags = values['node-flags']?.split(' ').filter(Boolean) ?? [];

interface Server {
  child: ChildProcess;
  url: string;
  key: string;
  pid: number;
}

/** The collector alone (export-server.ts), with `sightline start`'s Node flags; it prints url, key and pid. */
async function startCollector(): Promise<Server> {
  const args = [...START_FLAGS, ...extraFlags, new URL('./export-server.ts', import.meta.url).pathname];
  args.push('--db', values.db as string);
  if (values['trace-memory']) args.push('--trace-memory');
  if (values['cache-mb']) args.push('--cache-mb', values['cache-mb']);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
  });
  return { child, ...(JSON.parse(first) as Omit<Server, 'child'>) };
}

/**
 * `sightline start` itself (the cli's bin: it re-executes itself in place with its flags, so the pid is the
 * one spawned), with its served agents unless --no-agents, its credentials in a temporary home; the read
 * key comes from its credentials file once it prints that it is ready.
 */
async function startSightline(): Promise<Server> {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
  const home = await mkdtemp(join(tmpdir(), 'sightline-export-'));
  const bin =
    process.env.PROBE_BIN ?? new URL('../../packages/cli/bin/sightline.js', import.meta.url).pathname;
  const args = [...extraFlags, bin, 'start', '--db', values.db as string, '--port', String(port)];
  if (values['no-agents']) args.push('--no-agents');
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, SIGHTLINE_HOME: home, SIGHTLINE_LOG_FORMAT: 'json' },
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const ready = /^Sightline is ready at (\S+)/.exec(line);
      if (ready?.[1]) resolve(ready[1]);
    });
    child.once('exit', (code) => reject(new Error(`sightline start exited (${code})`)));
  });
  const credentials = JSON.parse(await readFile(join(home, 'credentials.json'), 'utf8')) as {
    readKey: string;
  };
  return { child, url, key: credentials.readKey, pid: child.pid as number };
}

const { child, url, key, pid } = values.server === 'start' ? await startSightline() : await startCollector();
const headers = { authorization: `Bearer ${key}` };
const mb = (n: number) => `${n.toFixed(1)} MB`;

try {
  const idle = await memoryOf(pid);
  const flags =
    [...START_FLAGS, ...extraFlags, process.env.NODE_OPTIONS?.trim() ?? ''].join(' ').trim() || 'none';
  const what =
    values.server === 'start'
      ? `sightline start${values['no-agents'] ? ' --no-agents' : ' (with its served agents)'}`
      : 'collector';
  console.log(
    `${what} pid ${pid} on ${values.db} (node flags: ${flags}${START_FLAGS.length > 0 ? ', as sightline start runs' : ''}): idle RSS ${mb(idle.rss)}, peak so far ${mb(idle.hwm)}`,
  );

  // Anchor: the list API page by page, and each conversation's detail.
  const anchorCount = Number(values.anchor);
  let anchored = 0;
  const anchorStarted = performance.now();
  let cursor: string | null = null;
  while (anchored < anchorCount) {
    const page = (await (
      await fetch(`${url}/v1/conversations?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers })
    ).json()) as { data: Array<{ id: string }>; nextCursor: string | null };
    for (const { id } of page.data.slice(0, anchorCount - anchored)) {
      await (await fetch(`${url}/v1/conversations/${encodeURIComponent(id)}`, { headers })).arrayBuffer();
      anchored += 1;
    }
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  const anchorRate = anchored / ((performance.now() - anchorStarted) / 1000);
  const afterAnchor = await memoryOf(pid);
  console.log(
    `anchor (list + detail per conversation): ${anchored} conversations, ${Math.round(anchorRate)}/s; peak RSS ${mb(afterAnchor.hwm)}`,
  );

  // The export.
  const query = new URLSearchParams({ format: values.format as string });
  if (values.limit) query.set('limit', values.limit);
  const started = performance.now();
  const out = values.out ? createWriteStream(values.out) : null;
  let bytes = 0;
  let lines = 0;
  const samples: number[] = [];
  const sampler = setInterval(() => {
    void memoryOf(pid).then((m) => samples.push(m.rss));
  }, 1_000);
  let lastReport = started;
  // node:http rather than fetch: the client must not be what limits the rate.
  await new Promise<void>((resolve, reject) => {
    const request = get(`${url}/v1/exports/conversations?${query}`, { headers }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`export answered ${res.statusCode}`));
      if (out) res.pipe(out);
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.byteLength;
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
        if (performance.now() - lastReport > 15_000) {
          lastReport = performance.now();
          const seconds = (lastReport - started) / 1000;
          console.log(
            `  ${lines} lines, ${mb(bytes / 1048576)} in ${seconds.toFixed(0)} s; server RSS ${mb(samples.at(-1) ?? 0)}`,
          );
        }
      });
      res.on('end', resolve);
      res.on('error', reject);
    });
    request.on('error', reject);
  });
  clearInterval(sampler);
  await new Promise<void>((resolve) => (out ? out.end(resolve) : resolve()));
  const seconds = (performance.now() - started) / 1000;
  const done = await memoryOf(pid);
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(
    `export format=${values.format}: ${lines} lines, ${mb(bytes / 1048576)} in ${seconds.toFixed(1)} s (${Math.round(lines / seconds)} lines/s, ${mb(bytes / 1048576 / seconds)}/s)`,
  );
  console.log(
    `server RSS during the export: median ${mb(sorted[Math.floor(sorted.length / 2)] ?? 0)}, max sampled ${mb(sorted.at(-1) ?? 0)} (${samples.length} samples); peak (VmHWM) ${mb(done.hwm)}; idle before ${mb(idle.rss)}`,
  );
  console.log(
    `throughput vs anchor: export ${Math.round(lines / seconds)} lines/s, list+detail ${Math.round(anchorRate)} conversations/s`,
  );
} finally {
  child.kill('SIGTERM');
}
