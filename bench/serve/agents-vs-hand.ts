/**
 * serveAgents against the route a user would write without Sightline (issue 12): a hand-written Hono route
 * running `run()` of `@openai/agents` with a MemorySession, tracing off, the same demo agent
 * (hand-written-route.ts). Every configuration in its own process(es), driven by autocannon in this
 * process, interleaved round after round:
 *
 *   node bench/serve/agents-vs-hand.ts [--duration 15] [--rounds 2] [--connections 48] [--input hello]
 *                                      [--only hand,memory,sqlite,pg,pg-nats,three]
 *                                      [--baseline <a copy of packages/serve/src>/index.ts] [--sse]
 *
 * - anchor `hand`: the hand-written route;
 * - `memory`: serveAgents with memorySessions, no tracking (what serve adds by itself);
 * - `sqlite`: sqliteSessions + sqliteRuns + tracking (one node, as `sightline start` on SQLite);
 * - `pg`: postgresSessions + postgresRuns + tracking, a fresh schema (one node, no bus);
 * - `pg-nats`: the same + natsBus on a fresh stream (one node of a cluster);
 * - `three`: three `pg-nats` processes on one fresh schema and stream, autocannon's connections spread
 *   round-robin over them;
 * - with --baseline, `pg` and `pg-nats` again served by another copy of @sightline/serve's sources (see
 *   README: an older commit), each on a fresh schema and stream, so a change is measured in the same run.
 * --sse: every request asks for a stream (`Accept: text/event-stream`): the served runs stream AI SDK UI
 * message chunks (published on NATS in the NATS configurations), the hand-written route its text deltas.
 * Tracking goes to bench/agents/collector.ts (a sink in its own process). Per configuration and round:
 * req/s, latency, and CPU per run of the serving process(es) (process.cpuUsage over runs answered), of
 * their PostgreSQL backends (/proc, by application_name) and of nats-server (/proc; includes any other
 * client's traffic). Medians over rounds; load average before and after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import {
  backendPids,
  type Child,
  cpuBetween,
  dropStream,
  freshSchema,
  NATS_URL,
  natsNamespace,
  PG_URL,
  pidsOf,
  readCpu,
  startChild,
  stopChild,
} from './bench-infra.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '48' },
    warmup: { type: 'string', default: '3' },
    input: { type: 'string', default: 'hello' },
    only: { type: 'string', default: 'hand,memory,sqlite,pg,pg-nats,three' },
    baseline: { type: 'string' },
    sse: { type: 'boolean', default: false },
  },
});
const DURATION = Number(values.duration);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);
const ONLY = new Set(values.only.split(','));

interface Config {
  key: string;
  name: string;
  nodes: Child[];
  /** application_name of its PostgreSQL pools. */
  pgNames: string[];
  nats: boolean;
  rounds: Round[];
}

interface Round {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  runs: number;
  cpuMs: number;
  pgMs: number;
  natsMs: number;
}

async function cpuOf(child: Child): Promise<{ cpuUs: number; runs: number }> {
  return (await (await fetch(`${child.url}/bench/cpu`)).json()) as { cpuUs: number; runs: number };
}

async function measure(config: Config, admin: pg.Client, seconds: number): Promise<Round> {
  const natsPids = config.nats ? pidsOf('nats-server') : [];
  const pgBefore = readCpu(await backendPids(admin, config.pgNames));
  const natsBefore = readCpu(natsPids);
  const before = await Promise.all(config.nodes.map(cpuOf));
  const result = await autocannon({
    url: config.nodes.map((node) => `${node.url}/agents/assistant/runs`) as unknown as string,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: 'Bearer bench-token',
      ...(values.sse ? { accept: 'text/event-stream' } : {}),
    },
    body: JSON.stringify({ input: values.input }),
    connections: CONNECTIONS,
    duration: seconds,
  });
  const after = await Promise.all(config.nodes.map(cpuOf));
  const pgPids = [...new Set([...pgBefore.keys(), ...(await backendPids(admin, config.pgNames))])];
  const pgUs = cpuBetween(pgBefore, readCpu(pgPids));
  const natsUs = cpuBetween(natsBefore, readCpu(natsPids));
  const runs = after.reduce((sum, now, index) => sum + now.runs - (before[index]?.runs ?? 0), 0);
  const cpuUs = after.reduce((sum, now, index) => sum + now.cpuUs - (before[index]?.cpuUs ?? 0), 0);
  const perRun = (us: number) => (runs > 0 ? us / runs / 1000 : 0);
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    runs,
    cpuMs: perRun(cpuUs),
    pgMs: perRun(pgUs),
    natsMs: perRun(natsUs),
  };
}

const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const of = (config: Config | undefined, field: keyof Round) =>
  median((config?.rounds ?? []).map((round) => round[field]));
const int = (value: number) => Math.round(value).toLocaleString('en');
const ms3 = (value: number) => value.toFixed(3);
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const loadBefore = load();
  const dir = mkdtempSync(join(tmpdir(), 'sl-bench-hand-'));
  const cleanups: Array<() => Promise<unknown>> = [];
  const children: Child[] = [];
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const configs: Config[] = [];
  const spawnNodes = async (key: string, name: string, argsOf: (index: number) => string[], count = 1) => {
    if (!ONLY.has(key.replace(/^baseline /, ''))) return;
    const nodes: Child[] = [];
    for (let index = 0; index < count; index += 1)
      nodes.push(await startChild(['server.ts', ...argsOf(index)]));
    children.push(...nodes);
    const pgNames = argsOf(0).includes('--name')
      ? nodes.map((_, index) => argsOf(index)[argsOf(index).indexOf('--name') + 1] as string)
      : [];
    configs.push({ key, name, nodes, pgNames, nats: argsOf(0).includes('--nats'), rounds: [] });
  };
  try {
    const collector = await startChild(['../agents/collector.ts']);
    children.push(collector);
    const track = ['--collector', collector.url];
    const schemaOf = async (label: string) => {
      const schema = await freshSchema(label);
      cleanups.push(schema.drop);
      return schema.url;
    };
    const natsOf = () => {
      const namespace = natsNamespace();
      cleanups.push(() => dropStream(namespace.stream));
      return [
        '--nats',
        NATS_URL,
        '--nats-stream',
        namespace.stream,
        '--nats-prefix',
        namespace.subjectPrefix,
      ];
    };
    await spawnNodes('hand', 'anchor: hand-written Hono + run() + MemorySession', () => ['hand']);
    await spawnNodes('memory', 'serveAgents, memory sessions, no tracking', () => ['serve']);
    await spawnNodes('sqlite', '**serveAgents, SQLite sessions + runs, tracking**', () => [
      'serve',
      '--sessions',
      join(dir, 'sessions.db'),
      ...track,
    ]);
    if (ONLY.has('pg')) {
      const url = await schemaOf('pg');
      await spawnNodes('pg', '**serveAgents, PostgreSQL sessions + runs, tracking**', () => [
        'serve',
        '--sessions',
        url,
        '--name',
        'sl-bench-pg',
        ...track,
      ]);
    }
    if (ONLY.has('pg-nats')) {
      const [url, nats] = [await schemaOf('pgnats'), natsOf()];
      await spawnNodes('pg-nats', 'serveAgents, PostgreSQL + NATS, tracking (1 node)', () => [
        'serve',
        '--sessions',
        url,
        '--name',
        'sl-bench-pgnats',
        ...nats,
        ...track,
      ]);
    }
    if (values.baseline) {
      const sources = ['--serve-sources', values.baseline];
      const url = await schemaOf('blpg');
      await spawnNodes('baseline pg', 'baseline: PostgreSQL, tracking', () => [
        'serve',
        '--sessions',
        url,
        '--name',
        'sl-bench-blpg',
        ...sources,
        ...track,
      ]);
      const [natsUrl, nats] = [await schemaOf('blpgnats'), natsOf()];
      await spawnNodes('baseline pg-nats', 'baseline: PostgreSQL + NATS, tracking (1 node)', () => [
        'serve',
        '--sessions',
        natsUrl,
        '--name',
        'sl-bench-blpgnats',
        ...nats,
        ...sources,
        ...track,
      ]);
    }
    if (ONLY.has('three')) {
      const [url, nats] = [await schemaOf('three'), natsOf()];
      const args = (index: number) => [
        'serve',
        '--sessions',
        url,
        '--name',
        `sl-bench-three-${index}`,
        ...nats,
        ...track,
      ];
      await spawnNodes('three', 'serveAgents, PostgreSQL + NATS, tracking: 3 nodes', args, 3);
    }
    for (const config of configs) await measure(config, admin, Number(values.warmup));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const config of configs) config.rounds.push(await measure(config, admin, DURATION));
    }
    // The servers first (their trackers flush to the collector), the collector last.
    const counters: string[] = [];
    for (const child of [...children.slice(1), ...children.slice(0, 1)])
      counters.push(await stopChild(child));
    report(configs, { loadBefore, loadAfter: load(), counters });
  } finally {
    for (const child of children) if (child.process.exitCode === null) child.process.kill();
    await admin.end();
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(
  configs: Config[],
  extra: { loadBefore: string; loadAfter: string; counters: string[] },
): void {
  const byKey = new Map(configs.map((config) => [config.key, config]));
  const anchor = byKey.get('hand');
  console.log(
    `\n# serveAgents vs a hand-written route, input "${values.input}"${values.sse ? ', streamed (SSE)' : ', JSON'}: ` +
      `autocannon, ${CONNECTIONS} connections, ` +
      `${ROUNDS} rounds x ${DURATION} s per configuration, interleaved; medians over rounds`,
  );
  console.log(`load average before: ${extra.loadBefore}; after: ${extra.loadAfter} (2 cores)`);
  console.log(
    '| configuration | req/s | per round | ratio to hand-written | p50 | p99 | CPU per run: node(s) | PG backends | nats-server | non-2xx |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const config of configs) {
    const rps = of(config, 'rps');
    console.log(
      `| ${config.name} | ${int(rps)} | ${config.rounds.map((round) => int(round.rps)).join(' / ')} | ` +
        `${anchor ? (rps / of(anchor, 'rps')).toFixed(3) : '-'} | ${of(config, 'p50')} ms | ${of(config, 'p99')} ms | ` +
        `${ms3(of(config, 'cpuMs'))} ms | ${config.pgNames.length ? `${ms3(of(config, 'pgMs'))} ms` : '-'} | ` +
        `${config.nats ? `${ms3(of(config, 'natsMs'))} ms` : '-'} | ` +
        `${config.rounds.reduce((sum, round) => sum + round.non2xx + round.errors, 0)} |`,
    );
  }
  const cpu = (key: string) => of(byKey.get(key), 'cpuMs');
  const has = (...keys: string[]) => keys.every((key) => byKey.get(key)?.rounds.length);
  console.log('');
  for (const key of ['sqlite', 'pg']) {
    if (!has('hand', key)) continue;
    const ratio = of(byKey.get(key), 'rps') / of(anchor, 'rps');
    console.log(
      `${key}: ${(ratio * 100).toFixed(1)}% of the hand-written route's req/s (target >= 75%: ${ratio >= 0.75 ? 'MET' : 'NOT MET'})`,
    );
  }
  if (has('memory', 'hand'))
    console.log(
      `CPU per run, serve (memory, no tracking) - hand-written: ${ms3(cpu('memory') - cpu('hand'))} ms`,
    );
  if (has('memory', 'sqlite'))
    console.log(`CPU per run, SQLite + tracking - memory: ${ms3(cpu('sqlite') - cpu('memory'))} ms`);
  if (has('sqlite', 'pg'))
    console.log(`CPU per run added by PostgreSQL (pg - sqlite): ${ms3(cpu('pg') - cpu('sqlite'))} ms`);
  if (has('pg', 'pg-nats'))
    console.log(`CPU per run added by NATS (pg-nats - pg): ${ms3(cpu('pg-nats') - cpu('pg'))} ms`);
  if (has('sqlite', 'pg-nats')) {
    const added = cpu('pg-nats') - cpu('sqlite');
    console.log(
      `CPU per run added by PostgreSQL + NATS (pg-nats - sqlite): ${ms3(added)} ms (target <= 0.3 ms: ${added <= 0.3 ? 'MET' : 'NOT MET'})`,
    );
  }
  for (const key of ['pg', 'pg-nats']) {
    if (!has(key, `baseline ${key}`)) continue;
    console.log(
      `${key} vs baseline: CPU per run ${ms3(cpu(key))} vs ${ms3(cpu(`baseline ${key}`))} ms ` +
        `(node), req/s ${int(of(byKey.get(key), 'rps'))} vs ${int(of(byKey.get(`baseline ${key}`), 'rps'))}`,
    );
  }
  if (has('pg-nats', 'three')) {
    const scale = of(byKey.get('three'), 'rps') / of(byKey.get('pg-nats'), 'rps');
    console.log(
      `three nodes / one node (PostgreSQL + NATS): ${scale.toFixed(2)}x req/s (2 cores: 2x not expected)`,
    );
  }
  console.log('\nprocesses (the servers in start order, then the collector: events received, CPU µs):');
  for (const line of extra.counters) console.log(`  ${line}`);
}

await main();
