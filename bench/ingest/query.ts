/**
 * Query benchmark on a generated store (bench/ingest/generate.ts): the first page of the
 * conversation list, filtered lists, one conversation, the 30-day overview and customers, each
 * through the HTTP app in-process (routing, validation, JSON included). Prints p50/p95. The score
 * filters find matches once bench/ingest/add-scores.ts has run (before it, they scan the whole list);
 * --only <regex> runs the cases whose label matches; --cache-mb N sizes SQLite's page cache (default the store's).
 *   node bench/ingest/query.ts --db .bench-data/big.db [--runs 40]
 *   node bench/ingest/query.ts --db 'postgres://…?options=-c%20search_path%3Dbench'
 */

import { parseArgs } from 'node:util';
import { createLogger, createSightlineApp } from '@sightline/server';
import { openStore } from '@sightline/store';
import { benchStoreOptions } from './bench-store.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: '.bench-data/big.db' },
    runs: { type: 'string', default: '40' },
    only: { type: 'string' },
    'cache-mb': { type: 'string' },
  },
});
const RUNS = Number(values.runs);
const store = await openStore(benchStoreOptions(values.db as string, { cacheMb: values['cache-mb'] }));
const project = (await store.listProjects())[0];
if (!project) throw new Error('the store has no project: run bench/ingest/generate.ts first');
const { key } = await store.createApiKey({ projectId: project.id, scope: 'read', name: 'query bench' });
const collector = createSightlineApp({ store, logger: createLogger({ level: 'silent' }) });
const headers = { authorization: `Bearer ${key}` };

async function time(path: string): Promise<number> {
  const started = performance.now();
  const res = await collector.app.request(path, { headers });
  await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  return performance.now() - started;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
const first = await (await collector.app.request('/v1/conversations?limit=1', { headers })).json();
const someId = first.data[0]?.id as string;
const customer = first.data[0]?.customerId as string;
const cases: Array<[string, string, number | null]> = [
  ['conversations, first page (50)', '/v1/conversations?limit=50', 50],
  ['conversations, page 2 (cursor)', `/v1/conversations?limit=50&cursor=CURSOR`, null],
  [
    'conversations, one customer',
    `/v1/conversations?limit=50&customerId=${encodeURIComponent(customer)}`,
    null,
  ],
  ['conversations, has error', '/v1/conversations?limit=50&hasError=true', null],
  ['conversations, negative feedback', '/v1/conversations?limit=50&feedback=negative', null],
  ['conversations, text search "password"', '/v1/conversations?limit=50&search=password', null],
  ['conversations, last 24 h', `/v1/conversations?limit=50&from=${iso(now - 86_400_000)}`, null],
  ['scores: helpfulness (any)', '/v1/conversations?limit=50&scoreName=helpfulness', 50],
  ['scores: helpfulness >= 0.9', '/v1/conversations?limit=50&scoreName=helpfulness&scoreMin=0.9', 50],
  [
    'scores: helpfulness >= 0.999 (rare)',
    '/v1/conversations?limit=50&scoreName=helpfulness&scoreMin=0.999',
    50,
  ],
  // Between the two: the list reads the matches from the scores while fewer than fewScores (12,000 on
  // 1M conversations) helpfulness scores are in range, else it walks the conversations (score-filters.ts).
  [
    'scores: helpfulness >= 0.995 (0.5 %)',
    '/v1/conversations?limit=50&scoreName=helpfulness&scoreMin=0.995',
    50,
  ],
  ['scores: helpfulness >= 0.99 (1 %)', '/v1/conversations?limit=50&scoreName=helpfulness&scoreMin=0.99', 50],
  [
    'scores: helpfulness >= 0.985 (1.5 %)',
    '/v1/conversations?limit=50&scoreName=helpfulness&scoreMin=0.985',
    50,
  ],
  ['scores: helpfulness >= 0.97 (3 %)', '/v1/conversations?limit=50&scoreName=helpfulness&scoreMin=0.97', 50],
  ['scores: thumbs false', '/v1/conversations?limit=50&scoreName=thumbs&scoreValue=false', 50],
  [
    'scores: category billing, model',
    '/v1/conversations?limit=50&scoreName=category&scoreValue=billing&scoreSource=model',
    50,
  ],
  ['one conversation (detail)', `/v1/conversations/${encodeURIComponent(someId)}`, null],
  [
    'overview, 30 days by day',
    `/v1/metrics?from=${iso(now - 30 * 86_400_000)}&to=${iso(now)}&bucket=day`,
    300,
  ],
  [
    'overview, 7 days by hour',
    `/v1/metrics?from=${iso(now - 7 * 86_400_000)}&to=${iso(now)}&bucket=hour`,
    300,
  ],
  ['customers, first page', '/v1/customers?limit=50', null],
  ['customers, last 7 days', `/v1/customers?limit=50&from=${iso(now - 7 * 86_400_000)}`, null],
];
const page = await (await collector.app.request('/v1/conversations?limit=50', { headers })).json();
console.log(
  `store: ${store.dialect} ${values.db?.replace(/\/\/[^@]*@/, '//***@')}; ${RUNS} runs each (after 2 warm-up runs)`,
);
for (const [label, rawPath, target] of cases) {
  if (values.only !== undefined && !new RegExp(values.only).test(label)) continue;
  const path = rawPath.replace('CURSOR', encodeURIComponent(page.nextCursor ?? ''));
  for (let i = 0; i < 2; i++) await time(path);
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await time(path));
  const p50 = percentile(samples, 0.5);
  const p95 = percentile(samples, 0.95);
  const verdict =
    target === null
      ? ''
      : p95 <= target
        ? ` (target p95 <= ${target} ms: met)`
        : ` (target p95 <= ${target} ms: NOT met)`;
  console.log(
    `${label.padEnd(40)} p50 ${p50.toFixed(1).padStart(7)} ms   p95 ${p95.toFixed(1).padStart(7)} ms${verdict}`,
  );
}
await store.close();
