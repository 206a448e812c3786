/**
 * Fills a store with a generated workload (default 1M conversations / 20M events over 30 days),
 * through the store's own append path: events validated as `/v1/ingest` validates them, in requests
 * of at most 1,000, and stored by `store.append` (the collector's batch writer) `--per-transaction`
 * events at a time (default 25,000: a transaction of 1,000, as the collector's write queue forms
 * under light load, commits and checkpoints 25 times as often for the same rows). Usage:
 *   node bench/ingest/generate.ts --db .bench-data/big.db [--conversations 1000000] [--turns 5] [--cache-mb 64] [--first 0]
 * --first N numbers the conversations from conv-N, to add new ones to a store made before.
 *   node bench/ingest/generate.ts --db postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3Dbench
 */

import { parseArgs } from 'node:util';
import { LIMITS, type ParsedEvent, parseIngestRequest } from '@sightline/core';
import { openStore } from '@sightline/store';
import { benchStoreOptions } from './bench-store.ts';
import { conversationEvents, random } from './workload.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: '.bench-data/big.db' },
    conversations: { type: 'string', default: '1000000' },
    turns: { type: 'string', default: '5' },
    customers: { type: 'string', default: '50000' },
    days: { type: 'string', default: '30' },
    'per-transaction': { type: 'string', default: '25000' },
    'cache-mb': { type: 'string' },
    first: { type: 'string', default: '0' },
  },
});

const total = Number(values.conversations);
const first = Number(values.first);
const perTransaction = Number(values['per-transaction']);
const days = Number(values.days);
const to = Date.now();
const options = {
  from: to - days * 86_400_000,
  to,
  customers: Number(values.customers),
  turns: Number(values.turns),
};
const store = await openStore(
  benchStoreOptions(values.db as string, { cacheMb: values['cache-mb'], durability: 'normal' }),
);
const project =
  (await store.listProjects())[0] ?? (await store.createProject({ name: 'bench', id: 'bench' }));
const { key } = await store.createApiKey({ projectId: project.id, scope: 'read', name: 'bench read' });
console.log(`project ${project.id}; read key ${key}`);
const rand = random(42);
const started = performance.now();
let events = 0;
let pending: ParsedEvent[] = [];
const flush = async () => {
  if (pending.length === 0) return;
  await store.append(project.id, pending);
  events += pending.length;
  pending = [];
};
let request: unknown[] = [];
for (let i = 0; i < total; i++) {
  const conversation = conversationEvents(first + i, options, rand);
  if (request.length + conversation.length > LIMITS.maxBatchEvents) {
    pending.push(...parseIngestRequest({ events: request }).events);
    request = [];
  }
  request.push(...conversation);
  if (pending.length >= perTransaction) await flush();
  if (i > 0 && i % 50_000 === 0) {
    const seconds = (performance.now() - started) / 1000;
    console.log(`${i} conversations, ${events} events, ${Math.round(events / seconds)} events/s`);
  }
}
if (request.length > 0) pending.push(...parseIngestRequest({ events: request }).events);
await flush();
const seconds = (performance.now() - started) / 1000;
console.log(
  `done: ${total} conversations, ${events} events in ${seconds.toFixed(0)} s (${Math.round(events / seconds)} events/s)`,
);
await store.close();
