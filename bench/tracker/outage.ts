/**
 * The tracker's promise under a collector outage, end to end with the real `sightline start`:
 * 1. the collector is stopped for 30 s while 50,000 events are tracked, then restarted: all arrive, none twice;
 * 2. the same with a disk spool when the tracking process itself restarts during the outage;
 * 3. throughput tracker -> server -> SQLite (events/s), as a ratio to raw better-sqlite3 inserts of the same rows.
 *   node bench/tracker/outage.ts [--outage-ms 30000] [--events 50000]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { newId, parseIngestRequest } from '@sightline/core';
import { openStore } from '@sightline/store';
import { createTracker } from '@sightline/tracker';
import BetterSqlite3 from 'better-sqlite3';
import { rawSqlite } from '../ingest/raw-insert.ts';

const { values } = parseArgs({
  options: {
    'outage-ms': { type: 'string', default: '30000' },
    events: { type: 'string', default: '50000' },
  },
});
const OUTAGE_MS = Number(values['outage-ms']);
const EVENTS = Number(values.events);
const BIN = new URL('../../packages/cli/bin/sightline.js', import.meta.url).pathname;
const CHILD = new URL('./outage-child.ts', import.meta.url).pathname;

async function startCollector(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', String(port)], {
    cwd: dir,
    env: { ...process.env, SIGHTLINE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready at')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`collector exited ${code}: ${out}`)));
  });
  return child;
}

async function stopCollector(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Every stored message's content, over all outage-* conversations, via the read API. */
async function storedMessages(endpoint: string, readKey: string): Promise<string[]> {
  const contents: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const res = await fetch(`${endpoint}/v1/conversations/outage-${i}`, {
      headers: { authorization: `Bearer ${readKey}` },
    });
    if (res.status === 404) continue;
    const detail = (await res.json()) as { messages: Array<{ content: string }> };
    contents.push(...detail.messages.map((m) => m.content));
  }
  return contents;
}

function verdict(label: string, contents: string[], expected: number): void {
  const unique = new Set(contents).size;
  const ok = contents.length === expected && unique === expected;
  console.log(
    `${label}: stored ${contents.length} of ${expected}, ${contents.length - unique} duplicates -> ${ok ? 'PASS' : 'FAIL'}`,
  );
}

async function inProcessOutage(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-outage-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  let collector = await startCollector(dir, port);
  const { endpoint, ingestKey, readKey } = JSON.parse(
    readFileSync(join(dir, '.sightline', 'credentials.json'), 'utf8'),
  );
  const tracker = createTracker({
    endpoint,
    apiKey: ingestKey,
    maxBufferEvents: EVENTS * 2,
    retryMaxDelayMs: 2_000,
    exitHooks: false,
  });
  await stopCollector(collector);
  const started = Date.now();
  const perTick = Math.ceil(EVENTS / (OUTAGE_MS / 50));
  for (let n = 0; n < EVENTS; n += perTick) {
    for (let j = n; j < Math.min(EVENTS, n + perTick); j++)
      tracker.conversation(`outage-${j % 1000}`).trackHumanMessage(`message ${j}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - started))));
  console.log(
    `collector down for ${Date.now() - started} ms while ${EVENTS} events were tracked; stats: ${JSON.stringify(tracker.stats())}`,
  );
  collector = await startCollector(dir, port);
  const flushed = Date.now();
  await tracker.flush({ timeoutMs: 120_000 });
  console.log(`flushed ${Date.now() - flushed} ms after the restart`);
  verdict('collector outage, tracker kept running', await storedMessages(endpoint, readKey), EVENTS);
  await tracker.shutdown();
  await stopCollector(collector);
  rmSync(dir, { recursive: true, force: true });
}

function runChild(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`tracking process exited ${code}`)),
    );
  });
}

async function spoolOutage(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-spool-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  let collector = await startCollector(dir, port);
  const { endpoint, ingestKey, readKey } = JSON.parse(
    readFileSync(join(dir, '.sightline', 'credentials.json'), 'utf8'),
  );
  const spool = join(dir, 'spool');
  await stopCollector(collector);
  const half = Math.floor(EVENTS / 2);
  const started = Date.now();
  const first = await runChild([endpoint, ingestKey, spool, '0', String(half), String(OUTAGE_MS / 2)]);
  console.log(`tracking process 1 exited during the outage: ${first.slice(0, 200)}`);
  const secondRun = runChild([
    endpoint,
    ingestKey,
    spool,
    String(half),
    String(EVENTS - half),
    String(OUTAGE_MS / 2),
  ]);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - started))));
  collector = await startCollector(dir, port);
  const second = await secondRun;
  console.log(`tracking process 2 (same spool) finished after the restart: ${second.slice(0, 200)}`);
  verdict(
    'collector outage + tracking process restart, with spool',
    await storedMessages(endpoint, readKey),
    EVENTS,
  );
  await stopCollector(collector);
  rmSync(dir, { recursive: true, force: true });
}

/** Throughput with the collector up: tracking calls to rows committed in SQLite, vs raw inserts of the same rows. */
async function throughput(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-e2e-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const collector = await startCollector(dir, port);
  const { endpoint, ingestKey } = JSON.parse(
    readFileSync(join(dir, '.sightline', 'credentials.json'), 'utf8'),
  );
  const total = EVENTS * 4;
  const tracker = createTracker({ endpoint, apiKey: ingestKey, maxBufferEvents: total, exitHooks: false });
  const started = performance.now();
  for (let n = 0; n < total; n++) {
    tracker.conversation(`tp-${n % 1000}`).trackHumanMessage(`message ${n}`);
    if (n % 5_000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await tracker.flush({ timeoutMs: 300_000 });
  const e2e = (total / (performance.now() - started)) * 1000;
  await tracker.shutdown();
  await stopCollector(collector);
  const store = await openStore({ database: join(dir, 'raw.db') });
  await store.close();
  const db = new BetterSqlite3(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const at = new Date().toISOString();
  const batches = [];
  for (let n = 0; n < total; n += 500) {
    const events = [];
    for (let j = n; j < Math.min(total, n + 500); j++)
      events.push({
        id: newId(),
        type: 'message',
        timestamp: at,
        body: { conversationId: `tp-${j % 1000}`, role: 'human', content: `message ${j}` },
      });
    batches.push(parseIngestRequest({ events }).events);
  }
  const rawStarted = performance.now();
  rawSqlite(db, 'p', batches);
  const raw = (total / (performance.now() - rawStarted)) * 1000;
  db.close();
  console.log(
    `end to end tracker -> HTTP -> SQLite: ${Math.round(e2e).toLocaleString()} events/s; raw better-sqlite3 inserts of the same rows: ${Math.round(raw).toLocaleString()} events/s; ratio ${((e2e / raw) * 100).toFixed(0)}%`,
  );
  rmSync(dir, { recursive: true, force: true });
}

await inProcessOutage();
await spoolOutage();
await throughput();
