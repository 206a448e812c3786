/**
 * The dashboard in a real browser (Debian's Chromium via playwright-core) against a real collector
 * on a fresh store: sign-in, filters, a conversation and its steps, charts, the live feed, tools,
 * customers, ingestion health, keyboard use and a narrow screen. Any console or page error fails.
 * Screenshots of each page go to test-results/screenshots/ for a person to look at.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { newId, parseIngestRequest } from '@sightline/core';
import { createLogger, createSightlineApp, listen, type RunningServer } from '@sightline/server';
import { createStore, type Store } from '@sightline/store';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium } from './chromium.ts';
import { DIST_DIR, ensureDashboardBuilt, PACKAGE_DIR } from './dashboard-build.ts';
import { bigConversation, sampleEvents } from './sample-events.ts';

const SHOTS = join(PACKAGE_DIR, 'test-results', 'screenshots');
const BIG_STEPS = 10_000;

let store: Store;
let server: RunningServer;
let browser: Browser;
let page: Page;
let readKey: string;
let ingestKey: string;
let secondReadKey: string;

async function seed(projectId: string, events: unknown[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    const parsed = parseIngestRequest({ events: events.slice(i, i + 1000) });
    expect(parsed.rejected).toEqual([]);
    await store.append(projectId, parsed.events);
  }
}

async function ingest(events: unknown[]): Promise<unknown> {
  const response = await fetch(`${server.url}/v1/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  return response.json();
}

const shot = (name: string, target: Page = page) => target.screenshot({ path: join(SHOTS, `${name}.png`) });
const rows = (target: Page = page) => target.locator('table.conversations-table tbody tr');

beforeAll(async () => {
  await ensureDashboardBuilt();
  await mkdir(SHOTS, { recursive: true });
  store = createStore({ database: ':memory:' });
  await store.migrate();
  const project = await store.createProject({ name: 'Browser test' });
  readKey = (await store.createApiKey({ projectId: project.id, scope: 'read' })).key;
  ingestKey = (await store.createApiKey({ projectId: project.id, scope: 'ingest' })).key;
  const second = await store.createProject({ name: 'Second project' });
  secondReadKey = (await store.createApiKey({ projectId: second.id, scope: 'read' })).key;
  const now = Date.now();
  await seed(project.id, [...sampleEvents(now), ...bigConversation(now, BIG_STEPS)]);
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

describe('dashboard in Chromium', () => {
  it('shows nothing without a read key, refuses an ingest key, signs in with a read key or a #key= link', async () => {
    await page.goto(server.url);
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
    expect(await page.locator('nav[aria-label="Sections"]').count()).toBe(0);
    await shot('sign-in');
    const field = page.getByLabel('Read or admin key');
    await field.fill(ingestKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('ingest key');
    await field.fill(readKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await rows().first().waitFor();
    expect(await page.locator('.project-switcher select').inputValue()).not.toBe('');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.goto('about:blank'); // a fresh load, as when following the link from a terminal
    await page.goto(`${server.url}/#key=${readKey}`);
    await rows().first().waitFor();
    expect(page.url()).not.toContain(readKey);
    expect(await page.locator('.project-switcher option').first().textContent()).toBe('Browser test');

    // A second project's key joins the switcher; each project shows only its own conversations.
    const switcher = page.getByLabel('Project');
    await switcher.selectOption({ label: '+ Add a project key…' });
    await page.getByRole('heading', { name: 'Add a project' }).waitFor();
    await page.getByLabel('Read or admin key').fill(secondReadKey);
    await page.getByRole('button', { name: 'Add project' }).click();
    await page.getByText('No conversations match').waitFor();
    expect(await switcher.locator('option:checked').textContent()).toBe('Second project');
    await switcher.selectOption({ label: 'Browser test' });
    await rows().first().waitFor();
    expect(await rows().count()).toBe(50);
  });

  it('lists conversations, filters them through the address, and pages with the cursor', async () => {
    await page.goto(`${server.url}/#/conversations`);
    await rows().first().waitFor();
    expect(await rows().count()).toBe(50);
    await shot('conversations-1280');
    await page.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(() => page.url()).toContain('cursor=');
    await expect.poll(() => rows().count()).toBe(6);
    await page.getByRole('button', { name: '← Previous' }).click();
    await expect.poll(() => rows().count()).toBe(50);

    await page.getByLabel('Errors').selectOption('true');
    await expect.poll(() => page.url()).toContain('hasError=true');
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().getAttribute('data-conversation-id')).toBe('conv-order-fail');

    await page.getByLabel('Errors').selectOption('');
    await page.getByLabel('Customer').fill('acme');
    await page.getByLabel('Customer').press('Enter');
    await expect.poll(() => page.url()).toContain('customerId=acme');
    await expect.poll(() => rows().count()).toBe(20); // 18 filler + weather + big
    await page.getByLabel('Metadata').fill('plan=pro');
    await page.getByLabel('Metadata').press('Enter');
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().getAttribute('data-conversation-id')).toBe('conv-weather');

    // The filtered view is a link: opening it elsewhere shows the same rows and filters.
    const shared = await browser.newPage({ width: 1280, height: 860 });
    await shared.goto(page.url());
    await rows(shared).first().waitFor();
    expect(await rows(shared).count()).toBe(1);
    expect(await shared.getByLabel('Customer').inputValue()).toBe('acme');
    await shared.close();

    await page.getByRole('button', { name: /Clear \d+ filter/ }).click();
    await page.getByLabel('Search').fill('Where is my order');
    await expect.poll(() => page.url()).toContain('search=');
    await expect.poll(() => rows().count()).toBe(1);
    await page.getByLabel('Feedback').selectOption('negative');
    await expect.poll(() => page.url()).toContain('feedback=negative');
    await expect.poll(() => rows().count()).toBe(1);
  });

  it('opens a conversation from the keyboard and expands its tool step inline and in the tree', async () => {
    await page.goto(`${server.url}/#/conversations?customerId=globex`);
    await rows().first().waitFor();
    await rows().first().focus();
    await page.keyboard.press('ArrowDown');
    const second = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { id: el.dataset.conversationId, outline: getComputedStyle(el).outlineStyle };
    });
    expect(second.outline).toBe('solid');
    expect(second.id).toBeTruthy();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Where is my order 42?' }).waitFor();
    expect(page.url()).toContain('/conversations/conv-order-fail');

    await page.getByRole('button', { name: /1 model call · 1 tool call · 1 failed/ }).click();
    await page.getByRole('button', { name: /lookup_order/ }).click();
    await page.getByText('orders-api timed out after 5000 ms').waitFor();
    expect(await page.locator('.json-view[data-label="Input"]').textContent()).toContain('ORD-42');
    await shot('conversation-transcript');

    await page.getByRole('button', { name: 'Show in step tree →' }).click();
    await expect.poll(() => page.url()).toContain('tab=steps');
    await page.locator('.step-detail h2', { hasText: 'lookup_order' }).waitFor();
    expect(await page.getByRole('treeitem').count()).toBe(3);
    await shot('conversation-step-tree');
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await expect.poll(() => page.locator('.step-bar').count()).toBe(3);
    await shot('conversation-timeline');
    await page.getByRole('tab', { name: 'Feedback & metadata' }).click();
    await page.getByText('“Useless”').waitFor();
  });

  it(`keeps a ${BIG_STEPS.toLocaleString('en')}-step conversation virtualized and navigable`, async () => {
    const started = Date.now();
    await page.goto(`${server.url}/#/conversations/conv-big?tab=steps`);
    await page.getByRole('treeitem').first().waitFor();
    const renderMs = Date.now() - started;
    const tree = page.getByRole('tree');
    expect(await tree.getAttribute('aria-label')).toBe(`${BIG_STEPS + 100} steps`);
    expect(await page.getByRole('treeitem').count()).toBeLessThan(80);
    await page.getByRole('treeitem').first().click();
    await page.keyboard.press('End');
    await page.locator('.step-detail h2', { hasText: 'batch_item_9999' }).waitFor();
    expect(await page.getByRole('treeitem').count()).toBeLessThan(80);
    await page.keyboard.press('Home');
    await page.locator('.step-detail h2', { hasText: 'batch-run-0' }).waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''))
      .toContain('batch-run-0');
    await page.keyboard.press('ArrowLeft'); // collapse the first run
    await expect.poll(() => tree.locator('[aria-expanded="false"]').count()).toBe(1);
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await expect.poll(() => page.locator('.step-bar').count()).toBeGreaterThan(10);
    await shot('conversation-10k-steps-timeline');
    expect(renderMs).toBeLessThan(10_000);
  });

  it('renders the overview charts over the chosen range', async () => {
    await page.goto(`${server.url}/#/overview?range=7d`);
    await page.locator('.chart-card .recharts-surface').first().waitFor();
    await expect.poll(() => page.locator('.chart-card .recharts-surface').count()).toBeGreaterThanOrEqual(7);
    await expect.poll(() => page.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    expect(await page.locator('.recharts-line-curve').count()).toBeGreaterThan(0);
    const conversations = page.locator('.stat-card', { hasText: 'Conversations' }).locator('.stat-value');
    expect(await conversations.textContent()).toBe('56');
    expect(await page.locator('.heatmap-cell[style*="background"]').count()).toBeGreaterThan(0);
    await shot('overview-1280');
    await page.getByLabel('Time range').selectOption('24h');
    await expect.poll(() => page.url()).toContain('range=24h');
  });

  it('shows a new conversation and its in-flight turn as events arrive', async () => {
    await page.goto(`${server.url}/#/live`);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    const ctx = { conversationId: 'conv-live-1', customerId: 'hooli', source: 'web' };
    const at = () => new Date().toISOString();
    await ingest([
      {
        id: newId(),
        type: 'message',
        timestamp: at(),
        body: { ...ctx, role: 'human', content: 'Is anyone there?' },
      },
    ]);
    const row = page.locator('tr[data-conversation-id="conv-live-1"]');
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('awaiting agent');
    expect(await row.textContent()).toContain('new');
    await ingest([
      {
        id: newId(),
        type: 'step',
        timestamp: at(),
        body: { ...ctx, stepId: 'live-step-1', type: 'tool', name: 'search_docs', startedAt: at() },
      },
    ]);
    await expect.poll(() => row.textContent()).toContain('running search_docs');
    await shot('live-in-flight');
    await ingest([
      {
        id: newId(),
        type: 'step',
        timestamp: at(),
        body: {
          ...ctx,
          stepId: 'live-step-1',
          type: 'tool',
          name: 'search_docs',
          endedAt: at(),
          durationMs: 40,
        },
      },
      {
        id: newId(),
        type: 'message',
        timestamp: at(),
        body: { ...ctx, role: 'agent', content: 'Yes, how can I help?' },
      },
    ]);
    await expect.poll(() => row.textContent()).toContain('answered');
    expect(await page.locator('.event-log-item').count()).toBe(4);
    await shot('live');
  });

  it('renders tools with failing calls linked to conversations, customers, and ingestion health', async () => {
    await page.goto(`${server.url}/#/tools`);
    // Over 10,000 tool names (the big conversation's): the 100 most called show, the rest on demand or by filter.
    await page.getByText(/Showing the 100 most called of 10,00\d tools\./).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(100);
    await page.getByLabel('Tool', { exact: true }).fill('lookup');
    await page.getByLabel('Tool', { exact: true }).press('Enter');
    const lookup = page.getByRole('row', { name: 'Tool lookup_order' });
    await lookup.waitFor();
    expect(await lookup.textContent()).toContain('100%');
    await lookup.click();
    await page.getByRole('tab', { name: 'Failed calls' }).click();
    const link = page.getByRole('link', { name: 'conv-order-fail' });
    await link.waitFor();
    await shot('tools');
    await link.click();
    await page.locator('.step-detail h2', { hasText: 'lookup_order' }).waitFor();

    await page.goto(`${server.url}/#/customers`);
    await page.getByRole('row', { name: 'Customer acme' }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(4);
    await shot('customers');
    await page.getByRole('row', { name: 'Customer globex' }).press('Enter');
    await expect.poll(() => page.url()).toContain('customerId=globex');

    const answer = (await ingest([
      {
        id: newId(),
        type: 'message',
        timestamp: new Date().toISOString(),
        body: { conversationId: 'bad', role: 'robot', content: 'x' },
      },
    ])) as { rejected: number };
    expect(answer.rejected).toBe(1);
    await ingest([
      {
        id: newId(),
        type: 'message',
        timestamp: new Date().toISOString(),
        body: { conversationId: 'conv-weather', role: 'system', content: 'nul \u0000 and \ud800' },
      },
    ]);
    await page.goto(`${server.url}/#/ingestion`);
    const changed = page.getByRole('region', { name: 'Changed on the way in' });
    await changed.getByRole('row', { name: /U\+0000 or lone surrogates replaced by U\+FFFD 1/ }).waitFor();
    await page.getByRole('cell', { name: 'events.0.body.role' }).waitFor();
    await page.getByRole('button', { name: /events\.0\.body\.role/ }).click();
    await page.locator('.json-view[data-label="Sample"]').getByText('"robot"').waitFor();
    await shot('ingestion');
  });

  it('stays readable at 390 px wide', async () => {
    const narrow = await browser.newPage({ width: 390, height: 844 });
    for (const [route, name, ready] of [
      ['/conversations', 'conversations-390', 'table.conversations-table tbody tr'],
      ['/conversations/conv-weather', 'conversation-390', '.message'],
      ['/overview', 'overview-390', '.recharts-surface'],
      ['/live', 'live-390', '.live-status'],
    ] as const) {
      await narrow.goto(`${server.url}/#${route}`);
      await narrow.locator(ready).first().waitFor();
      const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${route} scrolls sideways`).toBeLessThanOrEqual(0);
      await shot(name, narrow);
    }
    await narrow.close();
  });
});
