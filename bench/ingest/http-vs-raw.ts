/**
 * Ingest benchmark: events/s through HTTP (POST /v1/ingest -> write queue -> store) against the raw
 * driver inserting the same rows, same run, same machine. SQLite anchor: better-sqlite3 prepared
 * inserts, one transaction per batch; PostgreSQL anchor: multi-row INSERT, one transaction per batch.
 *   node bench/ingest/http-vs-raw.ts [--events 200000] [--batch 500] [--concurrency 8] [--dialect sqlite|postgres|both] [--rounds 1]
 * With --rounds N each dialect runs N times (HTTP then raw, alternating), and the medians are
 * reported: on a shared machine one run can be off by a third.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { type IngestEvent, type ParsedEvent, parseIngestRequest } from '@sightline/core';
import { createLogger, createSightlineApp, listen } from '@sightline/server';
import { openStore, postgresTypes, type Store } from '@sightline/store';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { rawPostgres, rawSqlite } from './raw-insert.ts';
import { conversationEvents, random } from './workload.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '8' },
    dialect: { type: 'string', default: 'both' },
    rounds: { type: 'string', default: '1' },
  },
});
const TOTAL = Number(values.events);
const BATCH = Number(values.batch);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Math.max(1, Number(values.rounds));
const PG_URL = process.env.SIGHTLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function workload(): IngestEvent[][] {
  const rand = random(7);
  const now = Date.now();
  // Live traffic: an ingest batch carries events of the last hour, not of a random past week.
  const options = { from: now - 3_600_000, to: now, customers: 2_000, turns: 5 };
  const events: IngestEvent[] = [];
  for (let i = 0; events.length < TOTAL; i++) events.push(...conversationEvents(i, options, rand));
  events.length = TOTAL;
  const batches: IngestEvent[][] = [];
  for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, i + BATCH));
  return batches;
}

async function httpRun(store: Store, bodies: string[]): Promise<number> {
  const project = await store.createProject({ name: 'bench' });
  const { key } = await store.createApiKey({ projectId: project.id, scope: 'ingest' });
  const append = store.append.bind(store);
  const groups: number[] = [];
  store.append = (projectId, events) => {
    groups.push(events.length);
    return append(projectId, events);
  };
  const collector = createSightlineApp({ store, logger: createLogger({ level: 'silent' }) });
  const server = await listen({ collector, port: 0 });
  const elu = performance.eventLoopUtilization();
  const result = await new Promise<{ ms: number; failures: number }>((resolve, reject) => {
    const worker = new Worker(new URL('./http-client.ts', import.meta.url), {
      workerData: { url: server.url, key, bodies, concurrency: CONCURRENCY },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await server.close();
  if (result.failures > 0) throw new Error(`${result.failures} requests failed`);
  const busy = performance.eventLoopUtilization(elu).utilization;
  console.log(
    `  ${store.dialect}: ${groups.length} transactions, ${Math.round(TOTAL / groups.length)} events each on average; server event loop ${(busy * 100).toFixed(0)}% busy`,
  );
  return (TOTAL / result.ms) * 1000;
}

async function sqlite(
  batches: IngestEvent[][],
  bodies: string[],
  parsed: ParsedEvent[][],
): Promise<[number, number]> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-'));
  try {
    const store = await openStore({ database: join(dir, 'http.db') });
    const http = await httpRun(store, bodies);
    await store.close();
    const anchor = await openStore({ database: join(dir, 'raw.db') });
    await anchor.close();
    const db = new BetterSqlite3(join(dir, 'raw.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const started = performance.now();
    rawSqlite(db, 'bench', parsed);
    const raw = (TOTAL / (performance.now() - started)) * 1000;
    db.close();
    void batches;
    return [http, raw];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(bodies: string[], parsed: ParsedEvent[][]): Promise<[number, number]> {
  const results: number[] = [];
  for (const mode of ['http', 'raw'] as const) {
    const schema = `bench_${mode}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const pool = new pg.Pool({
      connectionString: PG_URL,
      max: 10,
      types: postgresTypes,
      options: `-c search_path=${schema}`,
    });
    const store = await openStore({ postgres: { pool } });
    try {
      if (mode === 'http') {
        results.push(await httpRun(store, bodies));
      } else {
        const client = await pool.connect();
        const started = performance.now();
        await rawPostgres(client, 'bench', parsed);
        results.push((TOTAL / (performance.now() - started)) * 1000);
        client.release();
      }
    } finally {
      await store.close();
      await pool.end();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  }
  return [results[0] as number, results[1] as number];
}

const batches = workload();
const bodies = batches.map((events) => JSON.stringify({ events }));
const parsed = batches.map((events) => parseIngestRequest({ events }).events);
console.log(
  `workload: ${TOTAL} events (messages, llm and tool steps, feedback) in batches of ${BATCH}, ${CONCURRENCY} concurrent HTTP clients (worker thread)`,
);
function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Runs a dialect ROUNDS times; returns the median HTTP and raw rates and the per-round ratios. */
async function rounds(
  run: () => Promise<[number, number]>,
): Promise<{ http: number; raw: number; ratios: string }> {
  const results: Array<[number, number]> = [];
  for (let round = 0; round < ROUNDS; round++) results.push(await run());
  return {
    http: median(results.map(([http]) => http)),
    raw: median(results.map(([, raw]) => raw)),
    ratios: results.map(([http, raw]) => `${((http / raw) * 100).toFixed(0)}%`).join(' '),
  };
}

const rows: string[] = [];
const each = ROUNDS > 1 ? ' (medians)' : '';
if (values.dialect !== 'postgres') {
  const { http, raw, ratios } = await rounds(() => sqlite(batches, bodies, parsed));
  rows.push(
    `SQLite      HTTP ${Math.round(http).toLocaleString()} events/s | raw better-sqlite3 ${Math.round(raw).toLocaleString()} events/s${each} | ratio ${((http / raw) * 100).toFixed(0)}% (target >= 50%)${ROUNDS > 1 ? ` | per round ${ratios}` : ''}`,
  );
}
if (values.dialect !== 'sqlite') {
  const { http, raw, ratios } = await rounds(() => postgres(bodies, parsed));
  rows.push(
    `PostgreSQL  HTTP ${Math.round(http).toLocaleString()} events/s | raw multi-row INSERT ${Math.round(raw).toLocaleString()} events/s${each} | ratio ${((http / raw) * 100).toFixed(0)}% (target HTTP >= 30,000 events/s)${ROUNDS > 1 ? ` | per round ${ratios}` : ''}`,
  );
}
console.log(rows.join('\n'));
