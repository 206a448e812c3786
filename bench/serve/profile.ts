/**
 * Where a served run's CPU goes: runs `server.ts` in one configuration under `node --cpu-prof`, drives it
 * with autocannon (`POST /agents/assistant/runs`, input "hello"), prints the CPU per run (process.cpuUsage)
 * and self time by function and by package.
 *
 *   node bench/serve/profile.ts [--config sqlite|memory|hand|pg|pg-nats] [--duration 10] [--connections 50]
 *                               [--input hello] [--top 40] [--sse] [--no-prof]
 *   node bench/serve/profile.ts --report <file.cpuprofile>      # only print the tables of a profile
 *
 * The profile file stays in a temp folder whose path is printed (open it in Chrome DevTools).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { dropStream, freshSchema, NATS_URL, natsNamespace, startChild, stopChild } from './bench-infra.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    input: { type: 'string', default: 'hello' },
    top: { type: 'string', default: '40' },
    report: { type: 'string' },
    sse: { type: 'boolean', default: false },
    config: { type: 'string', default: 'sqlite' },
    'no-prof': { type: 'boolean', default: false },
  },
});

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The package (or node internal area) a script URL belongs to. */
function areaOf(url: string): string {
  if (url === '') return '(native / gc / idle)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  const packages = url.match(/\/packages\/([^/]+)\/src\/(.+)$/);
  if (packages) return packages[1] === 'serve' ? `serve/${packages[2]}` : `@sightline/${packages[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(/^file:\/\/.*\/work\/main\//, '');
}

function report(profile: Profile, top: number): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const [id, time] of self) {
    const frame = (byId.get(id) as ProfileNode).callFrame;
    const name = `${frame.functionName || '(anonymous)'} ${areaOf(frame.url)}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
    const area = frame.url === '' ? frame.functionName || '(native)' : areaOf(frame.url);
    byArea.set(area, (byArea.get(area) ?? 0) + time);
  }
  const print = (title: string, map: Map<string, number>) => {
    console.log(`\n# ${title}`);
    for (const [name, time] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${((100 * time) / total).toFixed(1).padStart(5)}%  ${name}`);
    }
  };
  print('self time by package / file', byArea);
  print('self time by function', byFunction);
}

/** The server arguments of a configuration (agents-vs-hand.ts names them alike), with what to drop after. */
async function configArgs(
  dir: string,
  collectorUrl: string,
): Promise<{ args: string[]; drop(): Promise<void> }> {
  const track = ['--collector', collectorUrl];
  switch (values.config) {
    case 'hand':
      return { args: ['hand'], drop: async () => undefined };
    case 'memory':
      return { args: ['serve'], drop: async () => undefined };
    case 'sqlite':
      return {
        args: ['serve', '--sessions', join(dir, 'sessions.db'), ...track],
        drop: async () => undefined,
      };
    case 'pg':
    case 'pg-nats': {
      const schema = await freshSchema('prof');
      const nats = values.config === 'pg-nats' ? natsNamespace() : undefined;
      const natsArgs = nats
        ? ['--nats', NATS_URL, '--nats-stream', nats.stream, '--nats-prefix', nats.subjectPrefix]
        : [];
      return {
        args: ['serve', '--sessions', schema.url, ...natsArgs, ...track],
        async drop() {
          await schema.drop();
          if (nats) await dropStream(nats.stream);
        },
      };
    }
    default:
      throw new Error(`--config: hand, memory, sqlite, pg or pg-nats, not ${values.config}`);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sl-serve-prof-'));
  const collector = await startChild(['../agents/collector.ts']);
  const config = await configArgs(dir, collector.url);
  const served = await startChild(
    ['server.ts', ...config.args],
    [...(values['no-prof'] ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`])],
  );
  const cpu = async () =>
    (await (await fetch(`${served.url}/bench/cpu`)).json()) as { cpuUs: number; runs: number };
  const load = (seconds: number) =>
    autocannon({
      url: `${served.url}/agents/assistant/runs`,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer bench-token',
        ...(values.sse ? { accept: 'text/event-stream' } : {}),
      },
      body: JSON.stringify({ input: values.input }),
      connections: Number(values.connections),
      duration: seconds,
    });
  try {
    await load(2);
    const before = await cpu();
    const result = await load(Number(values.duration));
    const after = await cpu();
    const perRun = (after.cpuUs - before.cpuUs) / (after.runs - before.runs) / 1000;
    console.log(
      `${values.config}: ${Math.round(result.requests.total / result.duration)} req/s, p50 ${result.latency.p50} ms, ` +
        `p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, CPU per run ${perRun.toFixed(3)} ms`,
    );
    console.log(`server: ${await stopChild(served)}`);
    await stopChild(collector);
  } finally {
    for (const child of [served, collector]) if (child.process.exitCode === null) child.process.kill();
    await config.drop();
  }
  if (values['no-prof']) return;
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  console.log(`profile: ${join(dir, file)}`);
  report(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile, Number(values.top));
}

if (values.report) {
  report(JSON.parse(readFileSync(values.report, 'utf8')) as Profile, Number(values.top));
} else {
  await main();
}
