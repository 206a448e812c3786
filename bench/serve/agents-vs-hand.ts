/**
 * serveAgents against the route a user would write without Sightline (issue 12): a hand-written Hono route
 * running `run()` of `@openai/agents` with a MemorySession, tracing off, the same demo agent
 * (hand-written-route.ts). Every configuration in its own process(es), driven by autocannon in this
 * process, interleaved round after round (each round starting one configuration later):
 *
 *   node bench/serve/agents-vs-hand.ts [--duration 15] [--rounds 2] [--connections 48] [--input hello]
 *                                      [--only hand,memory,sqlite,pg,pg-nats,three]
 *                                      [--baseline <a copy of packages/serve/src>/index.ts] [--sse]
 *                                      [--baseline-agents <a copy of packages/agents/src>/index.ts]
 *
 * - anchor `hand`: the hand-written route;
 * - `memory`: serveAgents with memorySessions, no tracking (what serve adds by itself);
 * - `sqlite`: sqliteSessions + sqliteRuns + tracking (one node, as `sightline start` on SQLite);
 * - `pg`: postgresSessions + postgresRuns + tracking, a fresh schema (one node, no bus);
 * - `pg-nats`: the same + natsBus on a fresh stream (one node of a cluster);
 * - `three`: three `pg-nats` processes on one fresh schema and stream, autocannon's connections spread
 *   round-robin over them;
 * - with --baseline, `pg` and `pg-nats` again served by another copy of @sightline/serve's sources (see
 *   README: an older commit), each on a fresh schema and stream, so a change is measured in the same run;
 *   with --baseline-agents too, the copy of @sightline/agents that serve copy imports (a change in agents).
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
import { type Config, type Round, report } from './agents-vs-hand-report.ts';
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
    'baseline-agents': { type: 'string' },
    sse: { type: 'boolean', default: false },
  },
});
const DURATION = Number(values.duration);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);
const ONLY = new Set(values.only.split(','));

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
      const agentsCopy = values['baseline-agents'];
      const sources = [
        '--serve-sources',
        values.baseline,
        ...(agentsCopy ? ['--agents-sources', agentsCopy] : []),
      ];
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
    // Each round starts one configuration later, so none always follows the same neighbour.
    for (let round = 0; round < ROUNDS; round += 1) {
      for (let index = 0; index < configs.length; index += 1) {
        const config = configs[(index + round) % configs.length] as Config;
        config.rounds.push(await measure(config, admin, DURATION));
      }
    }
    // The servers first (their trackers flush to the collector), the collector last.
    const counters: string[] = [];
    for (const child of [...children.slice(1), ...children.slice(0, 1)])
      counters.push(await stopChild(child));
    const title =
      `serveAgents vs a hand-written route, input "${values.input}"${values.sse ? ', streamed (SSE)' : ', JSON'}: ` +
      `autocannon, ${CONNECTIONS} connections, ${ROUNDS} rounds x ${DURATION} s per configuration, ` +
      'interleaved; medians over rounds';
    report(configs, { title, loadBefore, loadAfter: load(), counters });
  } finally {
    for (const child of children) if (child.process.exitCode === null) child.process.kill();
    await admin.end();
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
