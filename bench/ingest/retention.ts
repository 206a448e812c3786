/**
 * Retention benchmark: a store with 90 days of conversations (bench/ingest/workload.ts), a 30-day
 * policy, and an ingest load through POST /v1/ingest (in process: HTTP handling, write queue, store)
 * at a steady rate; the ingest latency p95 is measured without expiry, then while the collector's
 * retention worker expires the 60 old days (its defaults unless given: at most 10 conversations a
 * batch, 50 ms apart; on SQLite batches sized to take about 20 ms, each pause at least as long as the
 * batch before it), then without again, same run, same machine. A request's latency runs from when it
 * was due (on the schedule), not from when it went out: the collector and its SQLite store share this
 * thread, and a request that could not go out during a batch waited for it as a client would. The
 * figure is p95 during expiry over
 * p95 of the requests without it (before and after pooled; the ratio to the worse of the two is shown
 * too). Afterwards it checks that only the window remains, at the cutoff the last expiry run used (the
 * fill takes a while, so it is later than the bench's start): no conversation last active before it,
 * no rollup hour before its day, and the conversation count equal to the generated ones last active
 * at or after it plus those ingested during the run. Exits 1 when a check fails.
 *   node bench/ingest/retention.ts [--conversations 20000] [--dialect sqlite|postgres] [--rate 20] [--batch 20]
 *     [--baseline-s 10] [--batch-size N] [--pause-ms N] [--batch-ms N (0: fixed batches)]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { type IngestEvent, parseIngestRequest } from '@sightline/core';
import { createLogger, createSightlineApp } from '@sightline/server';
import { openStore, postgresTypes, type Store } from '@sightline/store';
import pg from 'pg';
import { conversationEvents, random } from './workload.ts';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '20000' },
    dialect: { type: 'string', default: 'sqlite' },
    rate: { type: 'string', default: '20' },
    batch: { type: 'string', default: '20' },
    'baseline-s': { type: 'string', default: '10' },
    'batch-size': { type: 'string' },
    'pause-ms': { type: 'string' },
    'batch-ms': { type: 'string' },
  },
});
/** The worker's options given on the command line (the rest are its defaults). */
const WORKER = Object.fromEntries(
  (
    [
      ['batchSize', values['batch-size']],
      ['pauseMs', values['pause-ms']],
      ['batchMs', values['batch-ms']],
    ] as const
  ).flatMap(([name, value]) => (value === undefined ? [] : [[name, Number(value)]])),
);
const CONVERSATIONS = Number(values.conversations);
const DIALECT = values.dialect === 'postgres' ? 'postgres' : 'sqlite';
/** Ingest requests per second, each a batch of `BATCH` events. */
const RATE = Number(values.rate);
const BATCH = Number(values.batch);
const BASELINE_MS = Number(values['baseline-s']) * 1000;
const PG_URL = process.env.SIGHTLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DAY = 86_400_000;
const NOW = Date.now();
const FROM = NOW - 90 * DAY;
const CUTOFF = NOW - 30 * DAY;

async function withStore<T>(
  fn: (store: Store, query: (sql: string) => Promise<number>) => Promise<T>,
): Promise<T> {
  if (DIALECT === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sightline-retention-bench-'));
    const store = await openStore({ database: join(dir, 'bench.db') });
    const { default: Database } = await import('better-sqlite3');
    const raw = new Database(join(dir, 'bench.db'), { readonly: true });
    try {
      return await fn(store, async (sql) => Number(Object.values(raw.prepare(sql).get() as object)[0] ?? 0));
    } finally {
      raw.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const schema = `bench_retention_${Date.now()}`;
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
    return await fn(store, async (sql) =>
      Number(Object.values((await pool.query(sql)).rows[0] ?? {})[0] ?? 0),
    );
  } finally {
    await store.close();
    await pool.end();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}

/** Fills the project with CONVERSATIONS conversations spread over 90 days; returns their last activity times. */
async function fill(store: Store, projectId: string): Promise<number[]> {
  const rand = random(7);
  const options = { from: FROM, to: NOW - 60_000, customers: 2_000, turns: 2 };
  const lastActivity: number[] = [];
  let batch: IngestEvent[] = [];
  for (let i = 0; i < CONVERSATIONS; i++) {
    const events = conversationEvents(i, options, rand);
    lastActivity.push(Math.max(...events.map((event) => Date.parse(event.timestamp))));
    batch.push(...events);
    if (batch.length >= 900 || i === CONVERSATIONS - 1) {
      await store.append(projectId, parseIngestRequest({ events: batch }).events);
      batch = [];
    }
  }
  return lastActivity;
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.5)] ?? 0;

await withStore(async (store, query) => {
  const project = (await store.createProject({ name: 'bench' })).id;
  const key = (await store.createApiKey({ projectId: project, scope: 'ingest' })).key;
  const started = performance.now();
  const lastActivity = await fill(store, project);
  console.log(
    `${DIALECT}: ${CONVERSATIONS} conversations over 90 days (${lastActivity.filter((at) => at >= CUTOFF).length} last active within 30 days), filled in ${Math.round((performance.now() - started) / 1000)} s; ingest ${RATE} requests/s of ${BATCH} events; worker ${JSON.stringify(WORKER)}`,
  );
  await store.updateProjectSettings(project, { retentionDays: 30 });
  const collector = createSightlineApp({
    store,
    logger: createLogger({ level: 'silent' }),
    // Started by hand below (runNow); the first scheduled run would be in 11 days.
    retention: { ...WORKER, firstRunMs: 1e9 },
  });
  const rand = random(11);
  let next = CONVERSATIONS;
  let ingested = 0;
  /**
   * One ingest request of new conversations, due at `due` (performance.now() time); resolves to its
   * latency from then. Measured from when it was due, not from when it went out: the collector and its
   * SQLite store run on this thread, so while a batch's statement runs no request goes out at all, and
   * timing from the send would leave that wait out (coordinated omission).
   */
  async function ingestOnce(due: number): Promise<number> {
    const events: IngestEvent[] = [];
    while (events.length < BATCH) {
      events.push(
        ...conversationEvents(next++, { from: NOW, to: NOW + 1, customers: 2_000, turns: 1 }, rand),
      );
      ingested += 1;
    }
    const res = await collector.app.request('/v1/ingest', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    return performance.now() - due;
  }
  /** Ingests at RATE until `until` resolves and at least `minMs` passed; returns the latencies. */
  async function load(options: { minMs: number; until?: Promise<unknown> }): Promise<number[]> {
    const latencies: number[] = [];
    const pending: Promise<void>[] = [];
    let done = false;
    options.until?.then(() => {
      done = true;
    });
    const start = performance.now();
    for (let i = 0; ; i++) {
      const elapsed = performance.now() - start;
      if (elapsed >= options.minMs && (done || !options.until)) break;
      pending.push(ingestOnce(start + (i * 1000) / RATE).then((ms) => void latencies.push(ms)));
      const due = start + ((i + 1) * 1000) / RATE;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    }
    await Promise.all(pending);
    return latencies;
  }

  const before = await load({ minMs: BASELINE_MS });
  let expiryMs = 0;
  const expiry = (async () => {
    const t = performance.now();
    await collector.retention.runNow();
    // The worker's run has a batch budget; the next runs go on until caught up.
    while (!(await store.getRetentionStatus(project)).lastRun?.caughtUp) await collector.retention.runNow();
    expiryMs = performance.now() - t;
  })();
  const during = await load({ minMs: 1_000, until: expiry });
  await expiry;
  const after = await load({ minMs: BASELINE_MS });
  await collector.shutdown();

  const status = await store.getRetentionStatus(project);
  const without = [...before, ...after];
  const ratio = p95(during) / p95(without);
  const ratioWorse = p95(during) / Math.max(p95(before), p95(after));
  console.log(
    `expiry: ${status.lastRun?.removedTotal.conversations} conversations, ${status.lastRun?.removedTotal.messages} messages, ${status.lastRun?.removedTotal.steps} steps removed in ${(expiryMs / 1000).toFixed(1)} s`,
  );
  for (const [name, xs] of [
    ['without expiry (before)', before],
    ['during expiry', during],
    ['without expiry (after)', after],
    ['without expiry (before and after)', without],
  ] as const)
    console.log(
      `ingest ${name}: ${xs.length} requests, p50 ${p50(xs).toFixed(1)} ms, p95 ${p95(xs).toFixed(1)} ms`,
    );
  console.log(
    `p95 during / p95 without: ${ratio.toFixed(2)}x (target <= 2x); / p95 of the worse of before and after: ${ratioWorse.toFixed(2)}x`,
  );

  // The cutoff of the last run (each run's is later than the one before; the last one caught up).
  const cutoffIso = status.lastRun?.cutoff;
  const cutoff = cutoffIso ? Date.parse(cutoffIso) : CUTOFF;
  const inWindow = lastActivity.filter((at) => at >= cutoff).length;
  const old = await query(
    `select count(*) from conversations where project_id = '${project}' and last_activity_at < ${cutoff}`,
  );
  const oldHours = await query(
    `select count(*) from rollup_hourly where project_id = '${project}' and bucket < ${cutoff - (cutoff % DAY)}`,
  );
  const oldMessages = await query(
    `select count(*) from messages m join conversations c on c.project_id = m.project_id and c.id = m.conversation_id where m.project_id = '${project}' and c.last_activity_at < ${cutoff}`,
  );
  const left = await query(`select count(*) from conversations where project_id = '${project}'`);
  const oldest = await query(
    `select min(last_activity_at) from conversations where project_id = '${project}'`,
  );
  console.log(
    `cutoff of the last run ${cutoffIso} (${((cutoff - CUTOFF) / 1000).toFixed(0)} s after the bench's); left: ${left} conversations (expected ${inWindow} in the window + ${ingested} ingested = ${inWindow + ingested}); oldest last activity ${((NOW - oldest) / DAY).toFixed(1)} days ago; conversations before the cutoff: ${old}, their messages: ${oldMessages}, rollup hours before the cutoff's day: ${oldHours}`,
  );
  if (old !== 0 || oldHours !== 0 || left !== inWindow + ingested) process.exitCode = 1;
});
