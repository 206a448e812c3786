/**
 * Store-level check (no HTTP): store.append per batch vs the raw better-sqlite3 anchor, same rows.
 *   node bench/ingest/store-vs-raw.ts [--events 100000] [--batch 500]
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type IngestEvent, parseIngestRequest } from '@sightline/core';
import { openStore } from '@sightline/store';
import BetterSqlite3 from 'better-sqlite3';
import { rawSqlite } from './raw-insert.ts';
import { conversationEvents, random } from './workload.ts';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '100000' }, batch: { type: 'string', default: '500' } },
});
const TOTAL = Number(values.events);
const BATCH = Number(values.batch);
const rand = random(7);
const now = Date.now();
const events: IngestEvent[] = [];
for (let i = 0; events.length < TOTAL; i++)
  events.push(
    ...conversationEvents(i, { from: now - 7 * 86_400_000, to: now, customers: 2_000, turns: 5 }, rand),
  );
events.length = TOTAL;
const batches = [];
for (let i = 0; i < TOTAL; i += BATCH) batches.push(events.slice(i, i + BATCH));
let started = performance.now();
const parsed = batches.map((batch) => parseIngestRequest({ events: batch }).events);
const parseMs = performance.now() - started;
const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-'));
const store = await openStore({ database: join(dir, 'store.db') });
const project = await store.createProject({ name: 'bench' });
started = performance.now();
for (const batch of parsed) await store.append(project.id, batch);
const storeMs = performance.now() - started;
await store.close();
const anchor = await openStore({ database: join(dir, 'raw.db') });
await anchor.close();
const db = new BetterSqlite3(join(dir, 'raw.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
started = performance.now();
rawSqlite(db, 'bench', parsed);
const rawMs = performance.now() - started;
db.close();
rmSync(dir, { recursive: true, force: true });
const rate = (ms: number) => `${Math.round((TOTAL / ms) * 1000).toLocaleString()} events/s`;
console.log(
  `validate ${rate(parseMs)} | store.append ${rate(storeMs)} | raw ${rate(rawMs)} | store/raw ${((rawMs / storeMs) * 100).toFixed(0)}%`,
);
