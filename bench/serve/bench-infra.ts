/**
 * What the bench/serve scripts share: child server processes (URL on the first stdout line, counters on
 * the last), a fresh PostgreSQL schema and NATS stream per configuration (dropped after), and the CPU
 * used by processes outside Node: PostgreSQL backends (by `application_name`) and nats-server, read from
 * /proc (Linux).
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';

export const PG_URL = process.env.SIGHTLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const NATS_URL = process.env.SIGHTLINE_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

export interface Child {
  process: ChildProcessByStdio<Writable, Readable, null>;
  url: string;
  lines: AsyncIterator<string>;
}

/** Starts a node script of this folder (node flags first); its first stdout line is its URL. */
export async function startChild(args: string[], nodeFlags: string[] = []): Promise<Child> {
  const [script, ...rest] = args;
  const child = spawn(
    process.execPath,
    [...nodeFlags, join(import.meta.dirname, script as string), ...rest],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
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
export async function stopChild(child: Child): Promise<string> {
  if (child.process.exitCode !== null) return '';
  child.process.stdin.end();
  const line = await child.lines.next();
  if (child.process.exitCode === null) await once(child.process, 'exit');
  return line.done ? '' : line.value.trim();
}

/** A schema of its own in the test database: its URL (search_path set) and how to drop it. */
export async function freshSchema(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `sl_bench_${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

/** A NATS stream name and subject prefix of its own. */
export function natsNamespace(): { stream: string; subjectPrefix: string } {
  const id = randomBytes(4).toString('hex');
  return { stream: `SL_BENCH_${id}`, subjectPrefix: `slbench.${id}.runs` };
}

/** Deletes a NATS stream (the bench's). */
export async function dropStream(stream: string): Promise<void> {
  const nc = await connect({ servers: NATS_URL });
  try {
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
  } finally {
    await nc.close();
  }
}

const TICK_US = 1e6 / 100; // USER_HZ is 100 on Linux

/** CPU time (µs) a process used, from /proc/<pid>/stat; 0 when it is gone. */
function procCpuUs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US; // utime, stime
  } catch {
    return 0;
  }
}

/** Pids of processes whose command name is `comm`. */
export function pidsOf(comm: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** CPU per pid now, to subtract from a later reading (a pid gone meanwhile is counted up to its last read). */
export type CpuReading = Map<number, number>;

/** Reads the CPU of `pids`. */
export function readCpu(pids: number[]): CpuReading {
  return new Map(pids.map((pid) => [pid, procCpuUs(pid)]));
}

/** CPU used between two readings (pids of the later one; a new pid counts from 0, a gone one not at all). */
export function cpuBetween(before: CpuReading, after: CpuReading): number {
  let total = 0;
  for (const [pid, us] of after) total += Math.max(0, us - (before.get(pid) ?? 0));
  return total;
}

/** The pids of the PostgreSQL backends serving connections named `applicationNames`. */
export async function backendPids(admin: pg.Client, applicationNames: string[]): Promise<number[]> {
  if (applicationNames.length === 0) return [];
  const result = await admin.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = ANY($1)',
    [applicationNames],
  );
  return result.rows.map((row) => row.pid);
}
