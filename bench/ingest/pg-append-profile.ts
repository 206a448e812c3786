/**
 * Where a PostgreSQL append spends its time: store.append over the benchmark workload, one batch
 * at a time on one connection, with per statement shape the wall time, the server backend's CPU
 * time (from /proc, so run it on the database host) and the bytes sent, and round trips per batch.
 *   node bench/ingest/pg-append-profile.ts [--events 50000] [--batch 500]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type IngestEvent, parseIngestRequest } from '@sightline/core';
import { createStore, postgresTypes } from '@sightline/store';
import pg from 'pg';
import { conversationEvents, random } from './workload.ts';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '50000' }, batch: { type: 'string', default: '500' } },
});
const TOTAL = Number(values.events);
const BATCH = Number(values.batch);
const URL = process.env.SIGHTLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const rand = random(7);
const now = Date.now();
const events: IngestEvent[] = [];
const live = { from: now - 3_600_000, to: now, customers: 2_000, turns: 5 };
for (let i = 0; events.length < TOTAL; i++) events.push(...conversationEvents(i, live, rand));
events.length = TOTAL;
const batches = [];
for (let i = 0; i < TOTAL; i += BATCH)
  batches.push(parseIngestRequest({ events: events.slice(i, i + BATCH) }).events);

/** CPU milliseconds a process has used (user + system), from /proc. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const schema = `profile_${Date.now()}`;
const admin = new pg.Client({ connectionString: URL });
await admin.connect();
await admin.query(`create schema ${schema}`);
const pool = new pg.Pool({
  connectionString: URL,
  max: 1,
  types: postgresTypes,
  options: `-c search_path=${schema}`,
});
const store = createStore({ postgres: { pool } });
type Stat = { count: number; ms: number; cpu: number; bytes: number };
const stats = new Map<string, Stat>();
let backend = 0;
let measuring = false;
// Registered after the store's own listener, so this sees the text and values the store sends.
pool.on('connect', (client) => {
  const target = client as unknown as { query: (...args: unknown[]) => unknown };
  const query = target.query.bind(client);
  target.query = (...args: unknown[]) => {
    const result = query(...args);
    const text = args[0];
    if (!measuring || typeof text !== 'string' || !(result instanceof Promise)) return result;
    const shape = text.replace(/\s+/g, ' ').slice(0, 70);
    const parameters = Array.isArray(args[1]) ? args[1] : [];
    const bytes = parameters.reduce((n: number, v) => n + String(v).length, text.length);
    const [started, cpu] = [performance.now(), cpuMs(backend)];
    return result.then((value) => {
      const stat = stats.get(shape) ?? { count: 0, ms: 0, cpu: 0, bytes: 0 };
      stat.count += 1;
      stat.ms += performance.now() - started;
      stat.cpu += cpuMs(backend) - cpu;
      stat.bytes += bytes;
      stats.set(shape, stat);
      return value;
    });
  };
});
await store.migrate();
backend = (await pool.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid ?? 0;
const project = await store.createProject({ name: 'profile' });
measuring = true;
const started = performance.now();
for (const batch of batches) await store.append(project.id, batch);
const ms = performance.now() - started;
measuring = false;
const roundTrips = [...stats.values()].reduce((n, stat) => n + stat.count, 0);
console.log(
  `${TOTAL} events in ${batches.length} batches of ${BATCH}: ${Math.round((TOTAL / ms) * 1000).toLocaleString()} events/s one batch at a time, ${(roundTrips / batches.length).toFixed(1)} round trips per batch`,
);
console.log('per batch: wall ms | server CPU ms | KB sent | statement');
for (const [shape, stat] of [...stats].sort((a, b) => b[1].ms - a[1].ms)) {
  const per = (n: number) => (n / batches.length).toFixed(2).padStart(7);
  console.log(
    `${per(stat.ms)} | ${per(stat.cpu)} | ${(stat.bytes / batches.length / 1024).toFixed(0).padStart(5)} | ${shape}`,
  );
}
await store.close();
await pool.end();
await admin.query(`drop schema ${schema} cascade`);
await admin.end();
