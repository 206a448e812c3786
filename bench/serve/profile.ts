/**
 * Where a served run's CPU goes: runs `server.ts serve` under `node --cpu-prof`, drives it with autocannon
 * (`POST /agents/assistant/runs`, input "hello") and prints self time by function and by package.
 *
 *   node bench/serve/profile.ts [--duration 10] [--connections 50] [--input hello] [--top 40] [--sse]
 *   node bench/serve/profile.ts --report <file.cpuprofile>      # only print the tables of a profile
 *
 * The profile file stays in a temp folder whose path is printed (open it in Chrome DevTools).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    input: { type: 'string', default: 'hello' },
    top: { type: 'string', default: '40' },
    report: { type: 'string' },
    sse: { type: 'boolean', default: false },
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

/** Starts a script; resolves with the process and its first stdout line (its URL). */
async function start(args: string[]) {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdout.setEncoding('utf8');
  let buffer = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const at = buffer.indexOf('\n');
      if (at >= 0) resolve(buffer.slice(0, at).trim());
    });
    child.once('exit', () => reject(new Error(`${args.join(' ')} exited before printing its URL`)));
  });
  return { child, url };
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

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sl-serve-prof-'));
  const here = import.meta.dirname;
  const collector = await start([join(here, '../agents/collector.ts')]);
  const served = await start([
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
    join(here, 'server.ts'),
    'serve',
    collector.url,
    join(dir, 'sessions.db'),
  ]);
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
  await load(2);
  const result = await load(Number(values.duration));
  console.log(
    `${Math.round(result.requests.total / result.duration)} req/s, p50 ${result.latency.p50} ms, ` +
      `p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`,
  );
  for (const { child } of [served, collector]) {
    child.stdin.end();
    await once(child, 'exit');
  }
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
