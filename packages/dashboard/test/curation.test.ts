/**
 * Managing conversations and customers in the dashboard (issue 14 item 1), in Chromium against a real
 * collector: with the admin key, mark and rename a conversation (the list shows and filters it), delete
 * it after a confirmation naming it (its receipt shown, the API answers 404 after), delete a customer
 * from the customers list, and see an erased conversation leave the live view; with a read key, no such
 * control is shown and the API answers 403. Screenshots in test-results/screenshots/curation-*.png.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type IngestEvent, newId, parseIngestRequest } from '@sightline/core';
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
let keys: { read: string; admin: string; ingest: string };
let projectId: string;

/** A question and its answer in a conversation of a customer, `minutes` ago. */
function chat(conversationId: string, customerId: string, question: string, minutes: number): IngestEvent[] {
  const at = Date.now() - minutes * 60_000;
  const body = { conversationId, customerId, source: 'web' };
  return [
    {
      id: newId(),
      type: 'message',
      timestamp: new Date(at).toISOString(),
      body: { ...body, role: 'human', content: question },
    },
    {
      id: newId(),
      type: 'step',
      timestamp: new Date(at + 100).toISOString(),
      body: {
        ...body,
        stepId: newId(),
        type: 'tool',
        name: 'lookup_order',
        startedAt: new Date(at + 100).toISOString(),
        durationMs: 80,
      },
    },
    {
      id: newId(),
      type: 'message',
      timestamp: new Date(at + 900).toISOString(),
      body: { ...body, role: 'agent', content: `Answer to: ${question}` },
    },
  ];
}

const api = (path: string, init: RequestInit & { key: string }) =>
  fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${init.key}` } });

/** A page signed in with `key` (a #key= link, as `sightline start` prints) at a width. */
async function signedIn(key: string, width = 1280): Promise<Page> {
  const page = await browser.newPage({ width, height: 860 });
  await page.goto(`${server.url}/#key=${key}`);
  await page.locator('table.conversations-table tbody tr').first().waitFor();
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `curation-${name}.png`) });

beforeAll(async () => {
  await ensureDashboardBuilt();
  await mkdir(SHOTS, { recursive: true });
  store = createStore({ database: ':memory:' });
  await store.migrate();
  projectId = (await store.createProject({ name: 'Curation' })).id;
  const key = async (scope: 'read' | 'admin' | 'ingest') =>
    (await store.createApiKey({ projectId, scope })).key;
  keys = { read: await key('read'), admin: await key('admin'), ingest: await key('ingest') };
  const events = [
    ...chat('order-42', 'ada', 'Where is my order 42?', 30),
    ...chat('refund-7', 'ada', 'I want a refund for order 7', 20),
    ...chat('bob-1', 'bob', 'Change my address', 15),
    ...chat('bob-2', 'bob', 'Cancel my subscription', 10),
  ];
  const parsed = parseIngestRequest({ events });
  expect(parsed.rejected).toEqual([]);
  await store.append(projectId, parsed.events);
  const collector = createSightlineApp({
    store,
    logger: createLogger({ level: 'silent' }),
    dashboardDir: DIST_DIR,
    // What `sightline start` erases beside the collector (served sessions), as the receipt counts it.
    onErase: async (erasure) => ({ sessions: erasure.conversationIds.length }),
  });
  server = await listen({ collector, port: 0, onClose: () => store.close() });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(async () => {
  for (const page of browser.context.pages()) await page.close();
  expect(browser.problems).toEqual([]);
});

describe('managing conversations in the dashboard', () => {
  it('marks and renames a conversation with the admin key; the list shows and filters it', async () => {
    const page = await signedIn(keys.admin);
    await page.goto(`${server.url}/#/conversations/order-42`);
    const mark = page.getByRole('button', { name: '☆ Mark' });
    await mark.click();
    await page.getByRole('button', { name: '★ Marked' }).waitFor();
    expect(await page.getByRole('button', { name: '★ Marked' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Rename' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename conversation' });
    await dialog.getByLabel('Name').fill('Late order for Ada');
    await shot(page, 'rename-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('★Late order for Ada');
    expect(await dialog.isVisible()).toBe(false);
    await shot(page, 'conversation-1280');

    await page.goto(`${server.url}/#/conversations?marked=true`);
    const rows = page.locator('table.conversations-table tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('★Late order for Ada');
    await page.goto(`${server.url}/#/conversations?marked=false`);
    await expect.poll(() => rows.count()).toBe(3);
    const stored = await (await api('/v1/conversations/order-42', { key: keys.read })).json();
    expect(stored.conversation).toMatchObject({ name: 'Late order for Ada', marked: true });
  });

  it('deletes a conversation after a confirmation naming it, and shows the receipt', async () => {
    const page = await signedIn(keys.admin);
    await page.goto(`${server.url}/#/conversations/refund-7`);
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this conversation?' });
    await dialog.waitFor();
    const text = await dialog.textContent();
    expect(text).toContain('“I want a refund for order 7” (refund-7) of customer ada');
    expect(text).toContain('Its 2 messages, 1 step and feedback');
    await shot(page, 'delete-dialog-1280');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await api('/v1/conversations/refund-7', { key: keys.read })).status).toBe(200);

    await page.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete conversation' }).click();
    const done = page.getByRole('status').filter({ hasText: 'deleted' });
    await done.waitFor();
    expect(await done.textContent()).toBe(
      'Conversation refund-7 deleted. Deleted 1 conversation: 2 messages, 1 step, 0 feedback; 1 served session.',
    );
    await shot(page, 'deleted-1280');
    expect((await api('/v1/conversations/refund-7', { key: keys.read })).status).toBe(404);
  });

  it('deletes a customer from the customers list after a confirmation', async () => {
    const page = await signedIn(keys.admin);
    await page.goto(`${server.url}/#/customers`);
    await page.getByRole('button', { name: 'Delete customer bob' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this customer?' });
    expect(await dialog.textContent()).toContain(
      'Customer bob and all 2 of their conversations (4 messages)',
    );
    await shot(page, 'delete-customer-dialog-1280');
    await dialog.getByRole('button', { name: 'Delete customer' }).click();
    await page.getByRole('status').filter({ hasText: 'Customer bob deleted.' }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Delete customer bob' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete customer ada' }).count()).toBe(1);
    await shot(page, 'customer-deleted-1280');
    const list = await (await api('/v1/conversations?customerId=bob', { key: keys.read })).json();
    expect(list.data).toEqual([]);
  });

  it('drops an erased conversation from the live view', async () => {
    const page = await signedIn(keys.admin);
    await page.goto(`${server.url}/#/live`);
    await page.getByText('Late order for Ada').first().waitFor();
    expect((await api('/v1/customers/ada', { method: 'DELETE', key: keys.admin })).status).toBe(200);
    await expect.poll(() => page.getByText('Late order for Ada').count()).toBe(0);
  });

  it('fits a phone: the controls wrap, nothing scrolls sideways', async () => {
    const ids = parseIngestRequest({ events: chat('phone-1', 'carol', 'Do you ship to Norway?', 5) });
    await store.append(projectId, ids.events);
    const page = await signedIn(keys.admin, 390);
    await page.goto(`${server.url}/#/conversations/phone-1`);
    await page.getByRole('button', { name: 'Delete' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const inView = async (name: string) => {
      const box = await page.getByRole('button', { name }).boundingBox();
      return box !== null && box.x >= 0 && box.x + box.width <= 390;
    };
    for (const name of ['☆ Mark', 'Rename', 'Delete']) expect(await inView(name)).toBe(true);
    await shot(page, 'conversation-390');
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete this conversation?' }).waitFor();
    await shot(page, 'delete-dialog-390');
    await page.goto(`${server.url}/#/customers`);
    await page.getByRole('button', { name: 'Delete customer carol' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await inView('Delete customer carol')).toBe(true);
    await shot(page, 'customers-390');
  });

  it('shows a read key no control to change or delete, and the API refuses it with 403', async () => {
    const page = await signedIn(keys.read);
    await page.goto(`${server.url}/#/conversations/phone-1`);
    await page.getByRole('button', { name: 'Refresh' }).waitFor();
    for (const name of ['☆ Mark', 'Rename', 'Delete'])
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    await shot(page, 'read-key-conversation-1280');
    await page.goto(`${server.url}/#/customers`);
    await page.getByRole('row', { name: 'Customer carol' }).waitFor();
    expect(await page.getByRole('button', { name: /^Delete customer/ }).count()).toBe(0);
    for (const [method, path] of [
      ['DELETE', '/v1/conversations/phone-1'],
      ['DELETE', '/v1/customers/carol'],
      ['PATCH', '/v1/conversations/phone-1'],
    ] as const) {
      const res = await api(path, { method, key: keys.read });
      expect(res.status).toBe(403);
      expect((await res.json()).error.message).toBe(
        'authorization: this is a read key; this endpoint needs an admin key',
      );
    }
  });
});
