/**
 * Retention on the Settings page in Chromium: an admin key sets the project's days (a bad number is
 * refused beside its field), keeps a customer for other days and removes it again, and reads what the
 * last expiry run removed; a read key reads the same, with no control.
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

const SHOTS = join(PACKAGE_DIR, 'test-results', 'screenshots');
const DAY = 86_400_000;

let store: Store;
let server: RunningServer;
let browser: Browser;
let page: Page;
let projectId: string;
let adminKey: string;
let readKey: string;

beforeAll(async () => {
  await ensureDashboardBuilt();
  await mkdir(SHOTS, { recursive: true });
  store = createStore({ database: ':memory:' });
  await store.migrate();
  projectId = (await store.createProject({ name: 'Retention test' })).id;
  adminKey = (await store.createApiKey({ projectId, scope: 'admin' })).key;
  readKey = (await store.createApiKey({ projectId, scope: 'read' })).key;
  const message = (conversationId: string, daysAgo: number) => ({
    id: newId(),
    type: 'message',
    timestamp: new Date(Date.now() - daysAgo * DAY).toISOString(),
    body: { conversationId, customerId: 'cust-a', role: 'human', content: 'hello' },
  });
  const { events } = parseIngestRequest({ events: [message('old-chat', 45), message('new-chat', 2)] });
  await store.append(projectId, events);
  const collector = createSightlineApp({
    store,
    logger: createLogger({ level: 'silent' }),
    dashboardDir: DIST_DIR,
    retention: false,
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

async function openSettings(key: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${server.url}/#key=${key}`);
  await page.locator('nav[aria-label="Sections"]').waitFor();
  await page.goto(`${server.url}/#/settings`);
  await page.getByRole('heading', { name: 'Retention' }).waitFor();
}

const retention = () => page.getByRole('region', { name: 'Retention' });

describe('retention settings in Chromium', () => {
  it('an admin key sets the days and a customer override; the last run shows what went', {
    timeout: 60_000,
  }, async () => {
    await openSettings(adminKey);
    await retention().getByText('Conversations are kept until they are deleted.').waitFor();
    expect(await retention().getByText('No expiry has run yet.').isVisible()).toBe(true);

    await page.getByLabel('Days to keep (empty: forever)').fill('0');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await retention().getByText('must be at least 1 day').waitFor({ timeout: 10_000 });
    expect(await store.getProjectSettings(projectId)).toEqual({});
    expect(browser.problems.splice(0)).toEqual([
      'console.error: Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);

    await page.getByLabel('Days to keep (empty: forever)').fill('30');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await retention()
      .getByText('Conversations are kept 30 days after their last activity.')
      .waitFor({ timeout: 10_000 });
    expect(await store.getProjectSettings(projectId)).toEqual({ retentionDays: 30 });

    await page.getByLabel('Customer id').fill('cust-vip');
    await page.getByLabel('Days to keep this customer').fill('90');
    await page.getByRole('button', { name: 'Keep this customer' }).click();
    const table = page.getByRole('table', { name: 'Customers kept for other days' });
    await table.getByRole('cell', { name: 'cust-vip', exact: true }).waitFor({ timeout: 10_000 });
    expect(await table.getByRole('row').nth(1).textContent()).toContain('90');
    expect((await store.getRetentionStatus(projectId)).customers).toMatchObject([
      { customerId: 'cust-vip', days: 90 },
    ]);

    await store.expireData(projectId);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.reload();
    await retention()
      .getByText(/^Last run .*: removed 1 conversation \(1 messages, 0 steps, 0 feedback, 0 scores\)\.$/)
      .waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(SHOTS, 'settings-retention.png') });

    await page.getByRole('button', { name: 'Remove the override of cust-vip' }).click();
    await retention()
      .getByText("None: every customer follows the project's retention.")
      .waitFor({ timeout: 10_000 });
    expect((await store.getRetentionStatus(projectId)).customers).toEqual([]);
  });

  it('a read key reads retention without controls', async () => {
    await store.setCustomerRetention(projectId, 'cust-long', 365);
    await openSettings(readKey);
    await retention().getByText('Conversations are kept 30 days after their last activity.').waitFor();
    expect(await page.getByRole('table', { name: 'Customers kept for other days' }).textContent()).toContain(
      'cust-long365',
    );
    expect(await retention().getByText('Only an admin key can change retention.').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save retention' }).count()).toBe(0);
    expect(await page.getByLabel('Customer id').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Remove the override/ }).count()).toBe(0);
  });

  it('fits a phone: nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openSettings(adminKey);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 860 });
  });
});
