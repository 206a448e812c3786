/**
 * Adds scores to a store filled by bench/ingest/generate.ts (SQLite or PostgreSQL), through the store's own
 * append path (so the score rollups are right): per conversation up to three score events, each a
 * little after its last activity: `helpfulness` (numeric 0..1, mostly a model's, on the agent's answer),
 * `thumbs` (boolean, a person's, on the agent's answer) and `category` (categorical, code or model, on
 * the conversation). Conversations are read in id order, `--batch` conversations at a time (default
 * 8,000), and each batch's score events are stored in one `store.append` transaction (24,000 events;
 * 2,000 conversations in transactions of 1,000 events took 686 s for 3M); prints events/s. Usage:
 *   node bench/ingest/add-scores.ts --db .bench-data/scores-1m.db [--per-conversation 3] [--limit 1000000]
 *   node bench/ingest/add-scores.ts --db 'postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3Dbench'
 */

import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { type IngestEvent, LIMITS, newId, type ParsedEvent, parseIngestRequest } from '@sightline/core';
import { openStore, postgresTypes } from '@sightline/store';
import pg from 'pg';
import { benchStoreOptions } from './bench-store.ts';
import { random } from './workload.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: '.bench-data/big.db' },
    'per-conversation': { type: 'string', default: '3' },
    limit: { type: 'string' },
    batch: { type: 'string', default: '8000' },
  },
});
const file = values.db as string;
const perConversation = Number(values['per-conversation']);
if (!(perConversation >= 1 && perConversation <= 3)) throw new Error('--per-conversation must be 1, 2 or 3');
const limit = values.limit === undefined ? Number.POSITIVE_INFINITY : Number(values.limit);
const batchSize = Number(values.batch);

const CATEGORIES = ['billing', 'orders', 'weather', 'notes', 'account'];
type Row = { id: string; last_activity_at: number; answer: string | null };

const postgres = file.startsWith('postgres');
const store = await openStore(benchStoreOptions(file, { durability: 'normal' }));
const project = (await store.listProjects())[0];
if (!project) throw new Error('the store has no project: run bench/ingest/generate.ts first');
const PAGE = `select c.id, c.last_activity_at,
     (select m.id from messages m where m.project_id = c.project_id and m.conversation_id = c.id
        and m.role = 'agent' order by m.timestamp desc limit 1) as answer
   from conversations c where c.project_id = $1 and c.id > $2 order by c.id limit $3`;
const pool = postgres ? new pg.Pool({ connectionString: file, max: 1, types: postgresTypes }) : null;
const sqlite = postgres ? null : new DatabaseSync(file, { readOnly: true });
const sqlitePage = sqlite?.prepare(PAGE.replace(/\$\d/g, '?'));
/** The next conversations after `after` in id order, each with its latest agent answer. */
async function readPage(after: string, n: number): Promise<Row[]> {
  if (pool) return (await pool.query<Row>(PAGE, [project?.id, after, n])).rows;
  return sqlitePage?.all(project?.id ?? '', after, n) as Row[];
}

/** The score events of one conversation (the first `perConversation` of helpfulness, thumbs, category). */
function scoreEvents(row: Row, rand: () => number): IngestEvent[] {
  const at = (offsetMs: number) => new Date(Number(row.last_activity_at) + offsetMs).toISOString();
  const onAnswer = row.answer === null ? {} : { messageId: row.answer };
  const base = { conversationId: row.id };
  const events: IngestEvent[] = [
    {
      id: newId(),
      type: 'score',
      timestamp: at(2_000),
      body: {
        ...base,
        ...onAnswer,
        name: 'helpfulness',
        value: Math.round(rand() * 10_000) / 10_000,
        source: rand() < 0.8 ? 'model' : 'human',
      },
    },
    {
      id: newId(),
      type: 'score',
      timestamp: at(5_000),
      body: { ...base, ...onAnswer, name: 'thumbs', value: rand() < 0.7, source: 'human' },
    },
    {
      id: newId(),
      type: 'score',
      timestamp: at(3_000),
      body: {
        ...base,
        name: 'category',
        value: CATEGORIES[Math.floor(rand() * CATEGORIES.length)] as string,
        source: rand() < 0.5 ? 'model' : 'code',
      },
    },
  ];
  return events.slice(0, perConversation);
}

const rand = random(7);
const started = performance.now();
let after = '';
let conversations = 0;
let events = 0;
let nextReport = 50_000;
while (conversations < limit) {
  const rows = await readPage(after, Math.min(batchSize, limit - conversations));
  if (rows.length === 0) break;
  after = (rows.at(-1) as Row).id;
  const batch = rows.flatMap((row) => scoreEvents(row, rand));
  // Validated in requests of at most 1,000 events, as /v1/ingest takes them; stored in one transaction.
  const parsed: ParsedEvent[] = [];
  for (let i = 0; i < batch.length; i += LIMITS.maxBatchEvents)
    parsed.push(...parseIngestRequest({ events: batch.slice(i, i + LIMITS.maxBatchEvents) }).events);
  await store.append(project.id, parsed);
  conversations += rows.length;
  events += batch.length;
  if (conversations >= nextReport) {
    nextReport += 50_000;
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${conversations} conversations, ${events} score events, ${Math.round(events / seconds)} events/s`,
    );
  }
}
const seconds = (performance.now() - started) / 1000;
console.log(
  `done: ${conversations} conversations, ${events} score events in ${seconds.toFixed(0)} s (${Math.round(events / seconds)} events/s)`,
);
sqlite?.close();
await pool?.end();
await store.close();
