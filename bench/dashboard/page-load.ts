/**
 * Dashboard page load on a large store, in Debian's Chromium (playwright-core): time from navigation
 * to the conversations table's first rows, and to the overview charts rendered, against the targets
 * (<= 1 s and <= 2 s) and against the same API calls made directly (the anchor: what the page adds
 * on top of the collector). Prints each /v1 call the page made with its time.
 *   npm run build -w @sightline/dashboard
 *   node bench/dashboard/page-load.ts --db .bench-data/big.db [--runs 5]
 * The store is opened in place; a read key named "dashboard page-load bench" is added to its first project.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dashboardDist } from '@sightline/dashboard';
import { createLogger, createSightlineApp, listen } from '@sightline/server';
import { openStore } from '@sightline/store';
import { chromium, type Page } from 'playwright-core';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: '.bench-data/big.db' },
    runs: { type: 'string', default: '5' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const RUNS = Number(values.runs);
const TARGET_ROWS_MS = 1_000;
const TARGET_CHARTS_MS = 2_000;

const dist = fileURLToPath(dashboardDist);
if (!existsSync(join(dist, 'index.html')))
  throw new Error('build the dashboard first: npm run build -w @sightline/dashboard');

const opened = performance.now();
const store = await openStore({ database: values.db as string });
const project = (await store.listProjects())[0];
if (!project) throw new Error('the store has no project: run bench/ingest/generate.ts first');
const { key } = await store.createApiKey({
  projectId: project.id,
  scope: 'read',
  name: 'dashboard page-load bench',
});
const collector = createSightlineApp({
  store,
  logger: createLogger({ level: 'silent' }),
  dashboardDir: dist,
});
const server = await listen({ collector, port: 0 });
const first = await (
  await fetch(`${server.url}/v1/conversations?limit=1`, { headers: { authorization: `Bearer ${key}` } })
).json();
console.log(
  `store: ${values.db} (project ${project.id}), opened in ${Math.round(performance.now() - opened)} ms; latest conversation ${first.data[0]?.id}`,
);

const profile = await mkdtemp(join(tmpdir(), 'sightline-bench-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: values.chromium as string,
  headless: true,
  viewport: { width: 1280, height: 860 },
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
  ],
});
const problems: string[] = [];

/** Loads a route in a fresh tab, waits for `ready`, returns the wall time and the /v1 calls made. */
async function load(url: string, ready: (page: Page) => Promise<unknown>) {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  const calls: Array<{ path: string; ms: number }> = [];
  page.on('requestfinished', (request) => {
    const path = new URL(request.url()).pathname;
    if (!path.startsWith('/v1/') || path === '/v1/live') return;
    const t = request.timing();
    calls.push({
      path: `${path}${new URL(request.url()).search.slice(0, 60)}`,
      ms: t.responseEnd - t.requestStart,
    });
  });
  const started = performance.now();
  await page.goto(url);
  await ready(page);
  const ms = performance.now() - started;
  await page.close();
  return { ms, calls };
}

const rowsVisible = (page: Page) =>
  page.locator('table.conversations-table tbody tr').first().waitFor({ state: 'visible', timeout: 60_000 });
const chartsRendered = async (page: Page) => {
  await page.locator('.heatmap').waitFor({ timeout: 60_000 });
  await page.waitForFunction(
    () => document.querySelectorAll('.chart-card .recharts-surface').length >= 7,
    null,
    {
      timeout: 60_000,
    },
  );
};

async function api(path: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const fmt = (ms: number) => `${Math.round(ms)} ms`.padStart(8);
const verdict = (ms: number, target: number) =>
  ms <= target ? `target <= ${target} ms: met` : `target <= ${target} ms: NOT met`;

// First visit: the `#key=` link `sightline start` prints (sign-in check, then the list), cold cache.
const firstVisit = await load(`${server.url}/#key=${key}`, rowsVisible);
console.log(
  `\nfirst visit via #key= link (cold cache): rows visible in ${fmt(firstVisit.ms)}  (${verdict(firstVisit.ms, TARGET_ROWS_MS)})`,
);
for (const call of firstVisit.calls) console.log(`  ${fmt(call.ms)}  GET ${call.path}`);

const now = Date.now();
const weekAgo = new Date(now - 7 * 86_400_000).toISOString();
const rows: number[] = [];
const charts: number[] = [];
const rowsApi: number[] = [];
const chartsApi: number[] = [];
let lastRows = firstVisit;
let lastCharts = firstVisit;
for (let i = 0; i < RUNS; i++) {
  lastRows = await load(`${server.url}/#/conversations`, rowsVisible);
  rows.push(lastRows.ms);
  lastCharts = await load(`${server.url}/#/overview`, chartsRendered);
  charts.push(lastCharts.ms);
  rowsApi.push(await api('/v1/conversations?limit=50'));
  chartsApi.push(await api(`/v1/metrics?from=${weekAgo}&to=${new Date().toISOString()}&bucket=day`));
}

const report = (
  label: string,
  samples: number[],
  anchor: number[],
  target: number,
  last: typeof firstVisit,
) => {
  const m = median(samples);
  const a = median(anchor);
  console.log(
    `\n${label}: median ${fmt(m)} (min ${Math.round(Math.min(...samples))}, max ${Math.round(Math.max(...samples))}) over ${samples.length} loads  (${verdict(m, target)})`,
  );
  console.log(`  anchor, the API call alone: median ${fmt(a)}  -> page / API = ${(m / a).toFixed(2)}x`);
  for (const call of last.calls) console.log(`  ${fmt(call.ms)}  GET ${call.path}  (last load)`);
};
report('conversations page, navigation -> first rows visible', rows, rowsApi, TARGET_ROWS_MS, lastRows);
report(
  'overview page (7 days), navigation -> charts rendered',
  charts,
  chartsApi,
  TARGET_CHARTS_MS,
  lastCharts,
);
if (problems.length > 0) console.log(`\nbrowser errors:\n${problems.join('\n')}`);

await context.close();
await rm(profile, { recursive: true, force: true });
await server.close();
await store.close();
