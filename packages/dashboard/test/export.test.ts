/**
 * Running an export from the conversations page in Chromium: the Export control downloads every
 * conversation matching the filters in the address (not only the page shown), as CSV, as JSONL whose
 * lines post back to `/v1/ingest` of another project, and as OpenAI chat JSONL.
 */
import { readFile } from 'node:fs/promises';
import { parseIngestRequest } from '@sightline/core';
import { createLogger, createSightlineApp, listen, type RunningServer } from '@sightline/server';
import { createStore, type Store } from '@sightline/store';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium } from './chromium.ts';
import { DIST_DIR, ensureDashboardBuilt } from './dashboard-build.ts';
import { sampleEvents } from './sample-events.ts';

let store: Store;
let server: RunningServer;
let browser: Browser;
let page: Page;
let readKey: string;
let otherIngestKey: string;
let otherReadKey: string;

const api = async <T>(path: string, key: string, init: RequestInit = {}): Promise<T> => {
  const res = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  });
  expect(res.status, path).toBeLessThan(300);
  return (await res.json()) as T;
};

/** Every conversation id the list API gives for a query. */
async function listed(query: string, key = readKey): Promise<string[]> {
  const ids: string[] = [];
  let cursor = '';
  do {
    const page = await api<{ data: Array<{ id: string }>; nextCursor: string | null }>(
      `/v1/conversations?limit=200&${query}${cursor ? `&cursor=${cursor}` : ''}`,
      key,
    );
    ids.push(...page.data.map((c) => c.id));
    cursor = page.nextCursor ?? '';
  } while (cursor);
  return ids.sort();
}

/** Chooses a format, clicks Export and returns the downloaded file's name and text. */
async function runExport(format: string): Promise<{ name: string; text: string }> {
  await page.getByLabel('Export format').selectOption(format);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export' }).click(),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  store = createStore({ database: ':memory:' });
  await store.migrate();
  const project = await store.createProject({ name: 'Export test' });
  readKey = (await store.createApiKey({ projectId: project.id, scope: 'read' })).key;
  const other = await store.createProject({ name: 'Import target' });
  otherIngestKey = (await store.createApiKey({ projectId: other.id, scope: 'ingest' })).key;
  otherReadKey = (await store.createApiKey({ projectId: other.id, scope: 'read' })).key;
  const events = sampleEvents(Date.now());
  for (let i = 0; i < events.length; i += 1000) {
    const parsed = parseIngestRequest({ events: events.slice(i, i + 1000) });
    expect(parsed.rejected).toEqual([]);
    await store.append(project.id, parsed.events);
  }
  const collector = createSightlineApp({
    store,
    logger: createLogger({ level: 'silent' }),
    dashboardDir: DIST_DIR,
  });
  server = await listen({ collector, port: 0, onClose: () => store.close() });
  browser = await launchChromium();
  page = await browser.newPage({ width: 1280, height: 860 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(() => {
  expect(browser.problems).toEqual([]);
});

describe('export from the conversations page', () => {
  it('downloads the filtered list as CSV, every matching row and not only the page shown', async () => {
    await page.goto(`${server.url}/#key=${readKey}`);
    await page.locator('table.conversations-table tbody tr').first().waitFor();
    const all = await listed('');
    expect(all.length).toBeGreaterThan(50);
    const everything = await runExport('csv');
    expect(everything.name).toMatch(/^conversations-\d{4}-\d\d-\d\d\.csv$/);
    const rows = everything.text.trimEnd().split('\r\n');
    expect(rows[0]).toMatch(/^id,started_at,last_activity_at,/);
    expect(
      rows
        .slice(1)
        .map((row) => row.split(',')[0])
        .sort(),
    ).toEqual(all);

    await page.goto(`${server.url}/#/conversations?customerId=globex&hasError=true`);
    await page.getByRole('button', { name: 'Refresh' }).waitFor();
    await page.locator('table.conversations-table tbody tr').first().waitFor();
    const filtered = await runExport('csv');
    const ids = filtered.text
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((row) => row.split(',')[0]);
    expect(ids.sort()).toEqual(await listed('customerId=globex&hasError=true'));
    expect(ids).toContain('conv-order-fail');
    expect(ids.length).toBeLessThan(all.length);
  });

  it('downloads JSONL that posts back to /v1/ingest of another project, and OpenAI chat JSONL', async () => {
    await page.goto(`${server.url}/#/conversations?customerId=acme`);
    await page.locator('table.conversations-table tbody tr').first().waitFor();
    const jsonl = await runExport('jsonl');
    expect(jsonl.name).toMatch(/\.jsonl$/);
    for (const line of jsonl.text.trimEnd().split('\n')) {
      await api('/v1/ingest', otherIngestKey, { method: 'POST', body: line });
    }
    const acme = await listed('customerId=acme');
    expect(await listed('', otherReadKey)).toEqual(acme);
    const detail = await api<unknown>('/v1/conversations/conv-weather', readKey);
    expect(await api<unknown>('/v1/conversations/conv-weather', otherReadKey)).toEqual(detail);

    const chat = await runExport('openai-chat');
    expect(chat.name).toMatch(/\.openai-chat\.jsonl$/);
    const lines = chat.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.messages[0].role).toBe('user');
      expect(line.messages.some((m: { role: string }) => m.role === 'assistant')).toBe(true);
    }
  });
});
