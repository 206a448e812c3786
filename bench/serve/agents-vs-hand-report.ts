/** The report of agents-vs-hand.ts: medians over rounds, ratios to the hand-written route, targets. */
import type { Child } from './bench-infra.ts';

/** One configuration: its processes and what each round measured. */
export interface Config {
  key: string;
  name: string;
  nodes: Child[];
  /** application_name of its PostgreSQL pools. */
  pgNames: string[];
  nats: boolean;
  rounds: Round[];
}

/** What one round of one configuration measured (CPU per run in ms). */
export interface Round {
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

const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const of = (config: Config | undefined, field: keyof Round) =>
  median((config?.rounds ?? []).map((round) => round[field]));
const int = (value: number) => Math.round(value).toLocaleString('en');
const ms3 = (value: number) => value.toFixed(3);
/** Prints the table, the ratios and targets, CPU per round and the processes' counters. */
export function report(
  configs: Config[],
  extra: { title: string; loadBefore: string; loadAfter: string; counters: string[] },
): void {
  console.log(`\n# ${extra.title}`);
  console.log(`load average before: ${extra.loadBefore}; after: ${extra.loadAfter} (2 cores)`);
  printTable(configs);
  printComparisons(new Map(configs.map((config) => [config.key, config])));
  console.log('\nCPU per run of the serving process(es), each round (ms):');
  for (const config of configs) {
    console.log(`  ${config.name}: ${config.rounds.map((round) => ms3(round.cpuMs)).join(' / ')}`);
  }
  console.log('\nprocesses (the servers in start order, then the collector: events received, CPU µs):');
  for (const line of extra.counters) console.log(`  ${line}`);
}

function printTable(configs: Config[]): void {
  const anchor = configs.find((config) => config.key === 'hand');
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
}

function printComparisons(byKey: Map<string, Config>): void {
  const anchor = byKey.get('hand');
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
}
