/**
 * Redaction settings in Chromium: an admin key turns detectors on and adds a pattern on the Settings
 * page (a bad pattern is refused with the collector's reason next to it), events sent afterwards are
 * stored redacted, and the ingestion page counts the redactions per rule in words; a read key sees
 * the rules read-only and the retention line.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { newId } from '@sightline/core';
import { createLogger, createSightlineApp, listen, type RunningServer } from '@sightline/server';
import { createStore, type Store } from '@sightline/store';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium } from './chromium.ts';
import { DIST_DIR, ensureDashboardBuilt, PACKAGE_DIR } from './dashboard-build.ts';

const SHOTS = join(PACKAGE_DIR, 'test-results', 'screenshots');

let store: Store;
let server: RunningServer;
let browser: Browser;
let page: Page;
let projectId: string;
let adminKey: string;
let readKey: string;
let ingestKey: string;

beforeAll(async () => {
  await ensureDashboardBuilt();
  await mkdir(SHOTS, { recursive: true });
  store = createStore({ database: ':memory:' });
  await store.migrate();
  const project = await store.createProject({ name: 'Redaction test' });
  projectId = project.id;
  adminKey = (await store.createApiKey({ projectId, scope: 'admin' })).key;
  readKey = (await store.createApiKey({ projectId, scope: 'read' })).key;
  ingestKey = (await store.createApiKey({ projectId, scope: 'ingest' })).key;
  await store.updateProjectSettings(projectId, { retentionDays: 30 });
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

async function signIn(key: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${server.url}/#key=${key}`);
  await page.locator('nav[aria-label="Sections"]').waitFor();
  await page.goto(`${server.url}/#/settings`);
  await page.getByRole('heading', { name: 'Redaction' }).waitFor();
}

describe('redaction settings in Chromium', () => {
  it('an admin key sets rules; a bad pattern is refused beside its field; later events are stored redacted', {
    timeout: 60_000,
  }, async () => {
    await signIn(adminKey);
    expect(
      await page.getByText('Conversations are kept 30 days after their last activity.').isVisible(),
    ).toBe(true);
    await page.getByLabel(/E-mail addresses/).check();
    await page.getByLabel(/Card numbers/).check();
    await page.getByRole('button', { name: 'Add pattern' }).click();
    await page.getByLabel('Name', { exact: true }).fill('order_id');
    await page.getByLabel('Pattern', { exact: true }).fill('(ORD-\\d+)+');
    await page.getByRole('button', { name: 'Save redaction rules' }).click();
    await page.getByText(/repeats a group that itself repeats/).waitFor({ timeout: 10_000 });
    expect(await page.getByText('Not saved: see the fields marked above.').isVisible()).toBe(true);
    expect(await store.getProjectSettings(projectId)).toEqual({ retentionDays: 30 });
    // The refused save is the one error the browser may log.
    expect(browser.problems.splice(0)).toEqual([
      'console.error: Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);

    await page.getByLabel('Pattern', { exact: true }).fill('ORD-\\d{6}');
    await page.getByRole('button', { name: 'Save redaction rules' }).click();
    await page.getByText('Saved; in force on this collector now.').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(SHOTS, 'settings-redaction.png') });
    expect(await store.getProjectSettings(projectId)).toEqual({
      retentionDays: 30,
      redaction: { detectors: ['email', 'card'], patterns: [{ name: 'order_id', pattern: 'ORD-\\d{6}' }] },
    });

    const response = await fetch(`${server.url}/v1/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        events: [
          {
            id: newId(),
            type: 'message',
            timestamp: new Date().toISOString(),
            body: {
              conversationId: 'redacted-chat',
              role: 'human',
              content: 'I am jane@example.com, card 4111 1111 1111 1111, order ORD-123456',
            },
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const detail = await store.getConversation(projectId, 'redacted-chat');
    expect(detail?.messages[0]?.content).toBe(
      'I am [REDACTED:email], card [REDACTED:card], order [REDACTED:order_id]',
    );

    await page.goto(`${server.url}/#/ingestion`);
    const changed = page.getByRole('region', { name: 'Changed on the way in' });
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return changed.textContent();
      })
      .toContain('Redacted by pattern “order_id”');
    const text = await changed.textContent();
    expect(text).toContain('Redacted: e-mail addresses');
    expect(text).toContain('Redacted: card numbers');
    await page.screenshot({ path: join(SHOTS, 'ingestion-redactions.png') });
  });

  it('a read key sees the rules read-only', async () => {
    await signIn(readKey);
    expect(await page.getByLabel(/E-mail addresses/).isChecked()).toBe(true);
    expect(await page.getByLabel(/E-mail addresses/).isDisabled()).toBe(true);
    expect(await page.getByLabel('Pattern', { exact: true }).inputValue()).toBe('ORD-\\d{6}');
    expect(await page.getByRole('button', { name: 'Save redaction rules' }).count()).toBe(0);
    expect(await page.getByText('Only an admin key can change these rules.').isVisible()).toBe(true);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'settings-redaction-390.png'), fullPage: true });
  });
});
