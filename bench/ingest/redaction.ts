/**
 * Redaction benchmark: events/s through POST /v1/ingest (HTTP -> redaction -> write queue -> store)
 * with redaction off (the anchor), with every built-in detector on, and with the detectors plus three
 * project patterns, same run, same machine; and the false-positive rates of the detectors on clean
 * chat text (the rates the acceptance test bounds).
 *   node bench/ingest/redaction.ts [--events 100000] [--batch 500] [--concurrency 8] [--dialect sqlite|postgres] [--rounds 3]
 * Messages are chat text from the redaction corpus (one in five carries a planted secret); the
 * workload is otherwise bench/ingest/workload.ts (messages, llm and tool steps). Modes alternate per
 * round and the medians are reported, since one run on a shared machine can be off by a third.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import {
  type IngestEvent,
  type ProjectSettings,
  type ProjectSettingsInput,
  parseIngestRequest,
  REDACTION_DETECTORS,
} from '@sightline/core';
import { createLogger, createSightlineApp, listen } from '@sightline/server';
import { openStore, postgresTypes, type Store } from '@sightline/store';
import pg from 'pg';
import { Redactor } from '../../packages/server/src/redaction/redactor.ts';
import {
  cleanMessage,
  falsePositives,
  makeSecret,
  messageWith,
  seededRandom,
} from '../../packages/server/src/redaction/test-corpus.ts';
import { conversationEvents, random } from './workload.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '8' },
    dialect: { type: 'string', default: 'sqlite' },
    rounds: { type: 'string', default: '3' },
  },
});
const TOTAL = Number(values.events);
const BATCH = Number(values.batch);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Math.max(1, Number(values.rounds));
const DIALECT = values.dialect === 'postgres' ? 'postgres' : 'sqlite';
const PG_URL = process.env.SIGHTLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const MODES: Record<string, ProjectSettingsInput['redaction']> = {
  off: null,
  detectors: { detectors: [...REDACTION_DETECTORS] },
  'detectors + 3 patterns': {
    detectors: [...REDACTION_DETECTORS],
    patterns: [
      { name: 'order', pattern: 'ORD-\\d{4}-\\d{6}' },
      { name: 'ticket', pattern: '\\bticket #?\\d{5,}' },
      { name: 'internal_host', pattern: '[a-z0-9-]+\\.internal\\.example\\.com' },
    ],
  },
};
type Mode = 'off' | 'detectors' | 'detectors + 3 patterns';

function bodies(): string[] {
  const rand = random(7);
  const text = seededRandom(11);
  const now = Date.now();
  const options = { from: now - 3_600_000, to: now, customers: 2_000, turns: 5 };
  const events: IngestEvent[] = [];
  for (let i = 0; events.length < TOTAL; i++) events.push(...conversationEvents(i, options, rand));
  events.length = TOTAL;
  for (const event of events) {
    if (event.type !== 'message') continue;
    const body = event.body as { content: string };
    const kind = REDACTION_DETECTORS[Math.floor(text() * REDACTION_DETECTORS.length)] ?? 'email';
    body.content = text() < 0.2 ? messageWith(text, makeSecret(text, kind)) : cleanMessage(text);
  }
  const out: string[] = [];
  for (let i = 0; i < events.length; i += BATCH)
    out.push(JSON.stringify({ events: events.slice(i, i + BATCH) }));
  return out;
}

async function run(store: Store, mode: Mode, payloads: string[]): Promise<number> {
  const project = await store.createProject({ name: `bench ${mode}` });
  const { key } = await store.createApiKey({ projectId: project.id, scope: 'ingest' });
  const redaction = MODES[mode];
  if (redaction) await store.updateProjectSettings(project.id, { redaction });
  const collector = createSightlineApp({ store, logger: createLogger({ level: 'silent' }) });
  const server = await listen({ collector, port: 0 });
  const result = await new Promise<{ ms: number; failures: number }>((resolve, reject) => {
    const worker = new Worker(new URL('./http-client.ts', import.meta.url), {
      workerData: { url: server.url, key, bodies: payloads, concurrency: CONCURRENCY },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await server.close();
  if (result.failures > 0) throw new Error(`${result.failures} requests failed`);
  return (TOTAL / result.ms) * 1000;
}

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  if (DIALECT === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-'));
    try {
      const store = await openStore({ database: join(dir, 'bench.db') });
      try {
        return await fn(store);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const schema = `bench_redaction_${Date.now()}`;
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
    return await fn(store);
  } finally {
    await store.close();
    await pool.end();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const payloads = bodies();
console.log(
  `${TOTAL} events in batches of ${BATCH}, ${CONCURRENCY} connections, ${DIALECT}, ${ROUNDS} round(s)`,
);
const rates: Record<Mode, number[]> = { off: [], detectors: [], 'detectors + 3 patterns': [] };
for (let round = 0; round < ROUNDS; round += 1) {
  const order = (Object.keys(MODES) as Mode[]).slice();
  if (round % 2 === 1) order.reverse();
  for (const mode of order) {
    const rate = await withStore((store) => run(store, mode, payloads));
    rates[mode].push(rate);
    console.log(`  round ${round + 1} ${mode}: ${Math.round(rate)} events/s`);
  }
}
const anchor = median(rates.off);
for (const mode of Object.keys(MODES) as Mode[]) {
  const rate = median(rates[mode]);
  console.log(
    `${mode.padEnd(24)} ${String(Math.round(rate)).padStart(7)} events/s  ${(rate / anchor).toFixed(2)}x of off`,
  );
}

/** Events/s through Redactor.prepare alone (no HTTP, no store): the CPU redaction adds, best of 3. */
async function redactionOnly(mode: Mode): Promise<number> {
  const batches = payloads.map((body) => parseIngestRequest(JSON.parse(body)).events);
  const settings = { redaction: MODES[mode] ?? null } as ProjectSettings;
  const redactor = new Redactor({
    store: {
      getProjectSettings: async () => settings,
      addIngestCounts: async () => undefined,
      recordRejections: async () => undefined,
    },
    logger: createLogger({ level: 'silent' }),
  });
  let best = 0;
  for (let i = 0; i < 3; i += 1) {
    const t0 = performance.now();
    for (const batch of batches) await redactor.prepare('bench', batch);
    best = Math.max(best, (TOTAL / (performance.now() - t0)) * 1000);
  }
  return best;
}
for (const mode of Object.keys(MODES) as Mode[]) {
  const rate = await redactionOnly(mode);
  console.log(
    `redaction alone, ${mode.padEnd(24)} ${String(Math.round(rate)).padStart(9)} events/s (${(1e6 / rate).toFixed(1)} µs per event)`,
  );
}

const started = performance.now();
const clean = falsePositives(10_000);
const hard = falsePositives(10_000, { hard: true });
const ms = performance.now() - started;
console.log(
  `false positives: ${clean.changed.length} of 10,000 clean messages (${((clean.changed.length / 10_000) * 100).toFixed(2)}%); ` +
    `${hard.changed.length} of 10,000 with one near miss in six (${((hard.changed.length / 10_000) * 100).toFixed(2)}%: ${JSON.stringify(hard.counts)}); ` +
    `${Math.round(20_000 / (ms / 1000))} messages/s through every detector`,
);
