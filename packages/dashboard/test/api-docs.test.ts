/**
 * The collector's API reference (`/docs`, Scalar) in Chromium, as a person offline sees it: none of
 * Scalar's cloud buttons (Ask AI, Generate MCP, Developer Tools, Configure, Share, Deploy, the hosted
 * API client), no request to another host, and "Test Request" still opens the local client.
 * Screenshots api-docs.png and api-docs-test-request.png.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger, createSightlineApp, listen, type RunningServer } from '@sightline/server';
import { createStore } from '@sightline/store';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium } from './chromium.ts';
import { PACKAGE_DIR } from './dashboard-build.ts';

const SHOTS = join(PACKAGE_DIR, 'test-results', 'screenshots');
const CLOUD_BUTTONS = /^(?:Ask AI|Generate MCP|Developer Tools|Configure|Share|Deploy|VS Code|Cursor)$/;

let server: RunningServer;
let browser: Browser;
let page: Page;
const elsewhere: string[] = [];

/** Visible buttons' and links' texts. */
const controls = (target: Page) =>
  target
    .locator('button:visible, a:visible')
    .evaluateAll((nodes) => nodes.map((node) => (node.textContent ?? '').replace(/\s+/g, ' ').trim()));

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  const store = createStore({ database: ':memory:' });
  await store.migrate();
  const collector = createSightlineApp({ store, logger: createLogger({ level: 'silent' }) });
  server = await listen({ collector, port: 0, onClose: () => store.close() });
  browser = await launchChromium();
  page = await browser.newPage({ width: 1280, height: 860 });
  const own = new URL(server.url).host;
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.host !== own) elsewhere.push(request.url());
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('API reference in Chromium', () => {
  it('shows the API with no cloud buttons and asks no other host for anything', async () => {
    // generous waits: the reference is a 4 MB script, slow to start on a loaded 2-core machine (no
    // 'networkidle': the page never reaches it with some Chromium builds)
    await page.goto(`${server.url}/docs`, { timeout: 60_000 });
    await page
      .getByText('Send a batch of events')
      .filter({ visible: true })
      .first()
      .waitFor({ timeout: 60_000 });
    // web fonts are what a page asks other hosts for first; wait until the page's fonts settle
    await page.evaluate(async () => {
      await document.fonts.ready;
    });
    await page.screenshot({ path: join(SHOTS, 'api-docs.png'), animations: 'disabled' });
    const texts = await controls(page);
    expect(texts).toContain('Introduction');
    expect(texts.filter((text) => CLOUD_BUTTONS.test(text))).toEqual([]);
    expect(await page.locator('a[href*="client.scalar.com"], a[href*="dashboard.scalar.com"]').count()).toBe(
      0,
    );
    expect(elsewhere).toEqual([]);
    expect(browser.problems).toEqual([]);
  }, 150_000);

  it('opens "Test Request" in the local client, without an "open in the hosted client" link', async () => {
    await page
      .getByRole('button', { name: /Test Request/ })
      .first()
      .click();
    await page.getByRole('button', { name: /Send/ }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(SHOTS, 'api-docs-test-request.png'), animations: 'disabled' });
    expect(await page.locator('a[href*="client.scalar.com"]').count()).toBe(0);
    expect((await controls(page)).filter((text) => CLOUD_BUTTONS.test(text))).toEqual([]);
    expect(elsewhere).toEqual([]);
    expect(browser.problems).toEqual([]);
  }, 60_000);
});
