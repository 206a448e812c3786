/**
 * Datasets and experiments in the dashboard (issue 15 item 4), in Chromium against a real collector:
 * with the admin key, a conversation goes into a new dataset from its page (then reads "Already in"),
 * and the list's filtered conversations into the same one; a read key sees neither control; an
 * experiment recorded through the API (`POST /v1/experiments`, `PUT` its items) is compared with the
 * source conversations: which items are marked changed, the answers side by side, the score changes
 * and their colour, "Changed only", and nothing scrolling sideways at 390 px. Last, an item is removed and
 * the dataset deleted, each after a confirmation naming what goes; a read key sees neither control.
 * Screenshots in test-results/screenshots/datasets-*.png.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type IngestEvent, newId, parseIngestRequest } from '@sightline/core';
import { createLogger, createSightlineApp, listen, type RunningServer } from '@sightline/server';
import { createStore, type Store } from '@sightline/store';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium } from './chromium.ts';
import { DIST_DIR, ensureDashboardBuilt, PACKAGE_DIR } from './dashboard-build.ts';
import { pageOverflow } from './page-reading.ts';

const SHOTS = join(PACKAGE_DIR, 'test-results', 'screenshots');
const V1 = 'v1:3f9a1c2b7d4e';
const V2 = 'v2:8c21d07e55aa';

let store: Store;
let server: RunningServer;
let browser: Browser;
let keys: { admin: string; read: string };

interface ConversationShape {
  id: string;
  customerId: string;
  version: string;
  question: string;
  answer: string;
  tools: string[];
  costUsd: number;
  runMs: number;
  minutes: number;
}

/** A one-turn conversation: question, a run with a model call and its tool calls, the answer. */
function conversation(shape: ConversationShape): IngestEvent[] {
  const at = Date.now() - shape.minutes * 60_000;
  const body = { conversationId: shape.id, customerId: shape.customerId, agentVersion: shape.version };
  const iso = (ms: number) => new Date(at + ms).toISOString();
  const runId = newId();
  const step = (extra: Record<string, unknown>, ms: number): IngestEvent => ({
    id: newId(),
    type: 'step',
    timestamp: iso(ms),
    body: { ...body, stepId: newId(), startedAt: iso(ms), ...extra } as never,
  });
  return [
    {
      id: newId(),
      type: 'message',
      timestamp: iso(0),
      body: { ...body, role: 'human', content: shape.question },
    },
    step({ stepId: runId, type: 'run', name: 'Support', durationMs: shape.runMs }, 1),
    step(
      {
        parentId: runId,
        type: 'llm',
        name: 'gpt-4.1-mini',
        durationMs: 300,
        usage: { model: 'gpt-4.1-mini', inputTokens: 900, outputTokens: 120, costUsd: shape.costUsd },
      },
      2,
    ),
    ...shape.tools.map((name, i) => step({ parentId: runId, type: 'tool', name, durationMs: 40 }, 3 + i)),
    {
      id: newId(),
      type: 'message',
      timestamp: iso(shape.runMs),
      body: { ...body, role: 'agent', content: shape.answer },
    },
  ];
}

const REFUND_BEFORE = 'Yes: refunds are possible within 30 days of delivery.';
const REFUND_AFTER =
  'Refunds are not possible for order 7, because it was delivered more than 30 days ago. '.repeat(6) +
  'See https://shop.example.com/help/refunds/policy-for-orders-delivered-more-than-thirty-days-ago';

/** Three source conversations (customer ada, version 1) and their replays (customer replay, version 2). */
const SOURCES: ConversationShape[] = [
  {
    id: 'refund-7',
    customerId: 'ada',
    version: V1,
    question: 'Can I get a refund for order 7?',
    answer: REFUND_BEFORE,
    tools: ['lookup_order'],
    costUsd: 0.004,
    runMs: 2400,
    minutes: 50,
  },
  {
    id: 'order-42',
    customerId: 'ada',
    version: V1,
    question: 'Where is my order 42?',
    answer: 'Order 42 ships tomorrow.',
    tools: ['lookup_order'],
    costUsd: 0.004,
    runMs: 2400,
    minutes: 40,
  },
  {
    id: 'hours',
    customerId: 'ada',
    version: V1,
    question: 'What are your opening hours?',
    answer: 'We are open 9 to 5.',
    tools: [],
    costUsd: 0.002,
    runMs: 1200,
    minutes: 30,
  },
];

/** The replays: refund-7's answer changed, order-42's tool calls changed, hours the same. */
const REPLAYS: Record<string, Partial<ConversationShape>> = {
  'refund-7': { answer: REFUND_AFTER, costUsd: 0.002 },
  'order-42': { tools: ['lookup_order', 'track_parcel'] },
  hours: {},
};

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `datasets-${name}.png`), fullPage: true });

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${keys.admin}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, `${method} ${path}: ${response.status}`).toBeLessThan(300);
  return (await response.json()) as T;
}

async function signedIn(key: string, width = 1280): Promise<Page> {
  const page = await browser.newPage({ width, height: 860 });
  await page.goto(`${server.url}/#key=${key}`);
  await page.locator('table.conversations-table tbody tr').first().waitFor();
  return page;
}

/** The item articles of the comparison page, and the one of a question. */
const items = (page: Page) => page.locator('article.comparison-item');
const itemOf = (page: Page, question: string) => items(page).filter({ hasText: question });

/** A figures row's cells (base, candidate, change) and the change cell's classes. */
async function figure(scope: Locator, label: string) {
  const row = scope.getByRole('row', { name: new RegExp(`^${label}\\b`) });
  await row.waitFor();
  const cells = (await row.locator('td').allInnerTexts()).map((t) => t.trim());
  return { cells, deltaClass: (await row.locator('td').last().getAttribute('class')) ?? '' };
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  await mkdir(SHOTS, { recursive: true });
  store = createStore({ database: ':memory:' });
  await store.migrate();
  const projectId = (await store.createProject({ name: 'Datasets' })).id;
  keys = {
    admin: (await store.createApiKey({ projectId, scope: 'admin' })).key,
    read: (await store.createApiKey({ projectId, scope: 'read' })).key,
  };
  const replays = SOURCES.map((source) => ({
    ...source,
    id: `replay-${source.id}`,
    customerId: 'replay',
    version: V2,
    minutes: source.minutes - 20,
    ...REPLAYS[source.id],
  }));
  const parsed = parseIngestRequest({ events: [...SOURCES, ...replays].flatMap(conversation) });
  expect(parsed.rejected).toEqual([]);
  await store.append(projectId, parsed.events);
  const collector = createSightlineApp({
    store,
    logger: createLogger({ level: 'silent' }),
    dashboardDir: DIST_DIR,
    retention: false,
  });
  server = await listen({ collector, port: 0, onClose: () => store.close() });
  browser = await launchChromium();
  // Conversation-level quality scores: refund-7 falls from 1 to 0, order-42 rises from 0.5 to 1.
  const quality = { 'refund-7': 1, 'replay-refund-7': 0, 'order-42': 0.5, 'replay-order-42': 1 };
  for (const [conversationId, value] of Object.entries(quality))
    await api('POST', '/v1/scores', {
      conversationId,
      name: 'quality',
      value,
      dataType: 'numeric',
      source: 'code',
    });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(async () => {
  for (const page of browser.context.pages()) await page.close();
  expect(browser.problems).toEqual([]);
});

describe('datasets and experiments in the dashboard', () => {
  it('adds a conversation to a new dataset from its page, then the filtered list to the same dataset', async () => {
    const page = await signedIn(keys.admin);
    await page.goto(`${server.url}/#/conversations/refund-7`);
    await page.getByRole('button', { name: 'Add to dataset' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add to dataset' });
    // No dataset yet: the dialog asks for a new one's name.
    expect(await dialog.getByRole('combobox', { name: 'Dataset' }).inputValue()).toBe('');
    await dialog.getByRole('textbox', { name: "New dataset's name" }).fill('refund questions');
    await dialog.getByRole('button', { name: 'Add' }).click();
    await dialog.getByRole('status').getByText('Added to refund questions.').waitFor();
    await shot(page, 'add-dialog');
    // Again: the dataset is now picked, and the conversation is already in it.
    const picked = dialog.getByRole('combobox', { name: 'Dataset' }).locator('option:checked');
    await expect.poll(() => picked.textContent()).toBe('refund questions (1 item)');
    await dialog.getByRole('button', { name: 'Add' }).click();
    await dialog.getByRole('status').getByText('Already in refund questions.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The list filtered to customer ada: the other two go in, refund-7 is already there.
    await page.goto(`${server.url}/#/conversations?customerId=ada`);
    await expect.poll(() => page.locator('table.conversations-table tbody tr').count()).toBe(3);
    await page.getByRole('button', { name: 'Add filtered to dataset' }).click();
    const filtered = page.getByRole('dialog', { name: 'Add filtered to dataset' });
    await filtered.getByText('Up to 100 of the conversations these filters find').waitFor();
    expect(await filtered.textContent()).toContain('All time · customerId ada.');
    await filtered.getByRole('button', { name: 'Add' }).click();
    await filtered
      .getByRole('status')
      .getByText('Added 2 conversations to refund questions; 1 already in it.')
      .waitFor();
    await filtered.getByRole('link', { name: 'Open refund questions' }).click();

    await page.getByRole('heading', { name: 'refund questions' }).waitFor();
    const itemRows = page.getByRole('table', { name: 'Items' }).locator('tbody tr');
    await expect.poll(() => itemRows.count()).toBe(3);
    expect((await itemRows.allInnerTexts()).join('\n')).toContain('Can I get a refund for order 7?');
    await page.getByRole('link', { name: '← Datasets' }).click();
    const row = page
      .getByRole('table', { name: 'Datasets' })
      .getByRole('row', { name: 'Dataset refund questions' });
    await row.waitFor();
    expect((await row.locator('td').allInnerTexts()).slice(1, 3)).toEqual(['3', '0']);
    await shot(page, 'list-1280');

    // A phone: the list's header keeps the control in view, its dialog fits, nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/#/conversations?customerId=ada`);
    await page.getByRole('button', { name: 'Add filtered to dataset' }).click();
    const again = page.getByRole('dialog', { name: 'Add filtered to dataset' });
    await again.getByRole('button', { name: 'Add' }).click();
    await again
      .getByRole('status')
      .getByText('Nothing added to refund questions: 3 already in it.')
      .waitFor();
    const box = await again.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
    await shot(page, 'add-filtered-390');
  });

  it('shows a read key no control to add to a dataset', async () => {
    const page = await signedIn(keys.read);
    await page.goto(`${server.url}/#/conversations/order-42`);
    await page.getByRole('heading', { name: 'Where is my order 42?' }).waitFor();
    expect(await page.getByRole('button', { name: 'Add to dataset' }).count()).toBe(0);
    await page.goto(`${server.url}/#/conversations?customerId=ada`);
    await page.locator('table.conversations-table tbody tr').first().waitFor();
    expect(await page.getByRole('button', { name: /to dataset/ }).count()).toBe(0);
  });

  it('compares an experiment with the source conversations, item by item', async () => {
    const detail = await api<{
      dataset: { id: string };
      items: { id: string; sourceConversationId: string }[];
    }>('GET', `/v1/datasets/${encodeURIComponent('refund questions')}`);
    const experiment = await api<{ id: string }>('POST', '/v1/experiments', {
      datasetId: detail.dataset.id,
      name: 'concise-v2',
      agent: 'support',
      agentVersion: V2,
    });
    for (const item of detail.items)
      await api('PUT', `/v1/experiments/${experiment.id}/items/${item.id}`, {
        conversationId: `replay-${item.sourceConversationId}`,
        status: 'completed',
      });

    const page = await signedIn(keys.admin);
    await page.getByRole('link', { name: /Datasets/ }).click();
    await page.getByRole('link', { name: 'refund questions' }).click();
    const picker = page.getByRole('form', { name: 'Compare experiments' });
    expect(await picker.getByRole('combobox', { name: 'Base' }).locator('option:checked').textContent()).toBe(
      'Source conversations',
    );
    expect(
      await picker.getByRole('combobox', { name: 'Candidate' }).locator('option:checked').textContent(),
    ).toBe(`concise-v2 · ${V2}`);
    await picker.getByRole('button', { name: 'Compare' }).click();

    await page.getByRole('heading', { name: 'concise-v2 vs the source conversations' }).waitFor();
    await page.getByText('refund questions · 3 items · 2 changed').waitFor();
    await expect.poll(() => items(page).count()).toBe(3);
    expect(page.url()).toContain(`/compare?candidate=${experiment.id}`);

    // Which items are marked changed, and how.
    const refund = itemOf(page, 'Can I get a refund for order 7?');
    const order = itemOf(page, 'Where is my order 42?');
    const hours = itemOf(page, 'What are your opening hours?');
    const tags = (item: Locator) => item.getByRole('list', { name: 'Changes' }).locator('li').allInnerTexts();
    expect(await tags(refund)).toEqual(['Answers changed']);
    expect(await tags(order)).toEqual(['Tool calls changed']);
    expect(await tags(hours)).toEqual(['Unchanged']);
    expect(await refund.getAttribute('class')).toContain('is-changed');
    expect(await hours.getAttribute('class')).not.toContain('is-changed');

    // The two answers side by side: the source's on the left, the candidate's (marked changed) on the right.
    const before = refund.getByRole('region', { name: 'Source answer' });
    const after = refund.getByRole('region', { name: 'concise-v2 answer' });
    expect(await before.textContent()).toContain(REFUND_BEFORE);
    expect(await after.textContent()).toContain(REFUND_AFTER.slice(0, 80));
    expect(await before.getByText('changed', { exact: true }).count()).toBe(0);
    // Both ran to their end: no side says it stopped.
    expect(
      await items(page)
        .getByText(/Stopped|stopped/)
        .count(),
    ).toBe(0);
    expect(await after.getByText('changed', { exact: true }).count()).toBe(1);
    const [left, right] = [await before.boundingBox(), await after.boundingBox()];
    expect(left && right && left.y === right.y && left.x + left.width <= right.x).toBe(true);
    const unchanged = hours.getByRole('region', { name: 'concise-v2 answer' });
    expect(await unchanged.textContent()).toContain('We are open 9 to 5.');
    expect(await unchanged.getByText('changed', { exact: true }).count()).toBe(0);

    // Scores per item with the change: refund-7's quality fell (red), order-42's rose (green).
    expect(await figure(refund, 'quality')).toEqual({
      cells: ['1', '0', '-1'],
      deltaClass: 'num delta delta-worse',
    });
    expect(await figure(order, 'quality')).toEqual({
      cells: ['0.50', '1', '+0.50'],
      deltaClass: 'num delta delta-better',
    });
    expect(await figure(refund, 'Cost')).toEqual({
      cells: ['$0.0040', '$0.0020', '-$0.0020'],
      deltaClass: 'num delta delta-better',
    });
    expect(
      await order.getByRole('region', { name: 'concise-v2 tool calls' }).locator('li').allInnerTexts(),
    ).toEqual(['lookup_order', 'track_parcel']);
    // Links to both conversations.
    expect(await refund.getByRole('link', { name: 'Source conversation →' }).getAttribute('href')).toBe(
      '#/conversations/refund-7',
    );
    expect(await refund.getByRole('link', { name: 'concise-v2 conversation →' }).getAttribute('href')).toBe(
      '#/conversations/replay-refund-7',
    );

    // The summary: mean quality 0.75 -> 0.50 (red), total cost down (green).
    const summary = page.getByRole('table', { name: 'Summary of both sides' });
    expect(await figure(summary, 'Mean quality')).toEqual({
      cells: ['0.75', '0.50', '-0.25'],
      deltaClass: 'num delta delta-worse',
    });
    expect(await figure(summary, 'Cost')).toEqual({
      cells: ['$0.0100', '$0.0080', '-$0.0020'],
      deltaClass: 'num delta delta-better',
    });
    expect(await figure(summary, 'Items')).toEqual({ cells: ['3', '3', ''], deltaClass: 'num delta' });
    await shot(page, 'compare-1280');

    // Changed only: the unchanged item goes, and the choice is in the address.
    await page.getByRole('checkbox', { name: 'Changed only' }).check();
    await expect.poll(() => items(page).count()).toBe(2);
    expect(await hours.count()).toBe(0);
    await page.getByText('Showing 2 of 3').waitFor();
    expect(page.url()).toContain('changed=1');
    await shot(page, 'compare-changed-only-1280');

    // A phone: nothing scrolls sideways, the long answer wraps, the two answers stack.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('checkbox', { name: 'Changed only' }).uncheck();
    await expect.poll(() => items(page).count()).toBe(3);
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
    const [top, bottom] = [await before.boundingBox(), await after.boundingBox()];
    expect(top && bottom && top.y + top.height <= bottom.y).toBe(true);
    expect(bottom && bottom.x + bottom.width <= 390).toBe(true);
    await shot(page, 'compare-390');
    await refund.screenshot({ path: join(SHOTS, 'datasets-compare-390-item.png') });
  });

  it('compares two experiments; a replay that stopped says where', async () => {
    const detail = await api<{
      dataset: { id: string };
      items: { id: string; sourceConversationId: string }[];
      experiments: { id: string; name: string }[];
    }>('GET', `/v1/datasets/${encodeURIComponent('refund questions')}`);
    const experiment = await api<{ id: string }>('POST', '/v1/experiments', {
      datasetId: detail.dataset.id,
      name: 'strict-v3',
      agentVersion: 'v3:0d1e2f3a4b5c',
    });
    // The same conversations as concise-v2, but the refund replay stopped waiting for an approval.
    for (const item of detail.items)
      await api('PUT', `/v1/experiments/${experiment.id}/items/${item.id}`, {
        conversationId: `replay-${item.sourceConversationId}`,
        status: item.sourceConversationId === 'refund-7' ? 'turn 1: awaiting_approval' : 'completed',
      });

    const page = await signedIn(keys.admin);
    await page.goto(`${server.url}/#/datasets/${detail.dataset.id}`);
    const picker = page.getByRole('form', { name: 'Compare experiments' });
    await picker.getByRole('combobox', { name: 'Base' }).selectOption({ label: `concise-v2 · ${V2}` });
    expect(
      await picker.getByRole('combobox', { name: 'Candidate' }).locator('option:checked').textContent(),
    ).toBe('strict-v3 · v3:0d1e2f3a4b5c');
    await picker.getByRole('button', { name: 'Compare' }).click();

    await page.getByRole('heading', { name: 'strict-v3 vs concise-v2' }).waitFor();
    await page.getByText('refund questions · 3 items · 0 changed').waitFor();
    const refund = itemOf(page, 'Can I get a refund for order 7?');
    expect(await refund.getByRole('list', { name: 'Changes' }).locator('li').allTextContents()).toEqual([
      'Candidate stopped',
    ]);
    await refund
      .getByRole('region', { name: 'strict-v3 answer' })
      .getByText('Stopped at turn 1: awaiting_approval')
      .waitFor();
    expect(
      await itemOf(page, 'Where is my order 42?').getByRole('list', { name: 'Changes' }).textContent(),
    ).toBe('Unchanged');
    // Same conversations on both sides: every figure the same.
    const deltas = await page.locator('.comparison-item td.delta').allTextContents();
    expect(deltas.length).toBeGreaterThan(0);
    expect(new Set(deltas)).toEqual(new Set(['same']));
    await page.getByRole('checkbox', { name: 'Changed only' }).check();
    await page.getByText('No item changed').waitFor();
    await shot(page, 'compare-experiments-1280');
  });

  it('removes an item and deletes the dataset after asking; a read key sees neither control', async () => {
    const reader = await signedIn(keys.read);
    await reader.goto(`${server.url}/#/datasets`);
    await reader.getByRole('link', { name: 'refund questions' }).click();
    await reader.getByRole('table', { name: 'Items' }).waitFor();
    expect(await reader.getByRole('button', { name: /^Remove|Delete dataset/ }).count()).toBe(0);

    const page = await signedIn(keys.admin);
    await page.goto(`${server.url}/#/datasets`);
    await page.getByRole('link', { name: 'refund questions' }).click();
    const itemRows = page.getByRole('table', { name: 'Items' }).locator('tbody tr');
    await expect.poll(() => itemRows.count()).toBe(3);
    await page.getByRole('button', { name: 'Remove “What are your opening hours?”' }).click();
    const ask = page.getByRole('dialog', { name: 'Remove this item?' });
    expect(await ask.textContent()).toContain(
      '“What are your opening hours?” leaves refund questions, with what its experiments made of it.',
    );
    // Cancel keeps it; confirming removes it, and the page reads 2 items.
    await ask.getByRole('button', { name: 'Cancel' }).click();
    expect(await itemRows.count()).toBe(3);
    await page.getByRole('button', { name: 'Remove “What are your opening hours?”' }).click();
    // Held back a moment, the request shows what the button is doing.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/v1/datasets/*/items/*', async (route) => {
      await held;
      await route.continue();
    });
    await ask.getByRole('button', { name: 'Remove item' }).click();
    await ask.getByRole('button', { name: 'Removing…' }).waitFor();
    expect(await ask.getByRole('button', { name: 'Removing…' }).isDisabled()).toBe(true);
    release();
    await expect.poll(() => itemRows.count()).toBe(2);
    await page.unroute('**/v1/datasets/*/items/*');
    expect((await itemRows.allInnerTexts()).join('\n')).not.toContain('opening hours');
    await page.getByText('2 items · 2 experiments').waitFor();

    await page.getByRole('button', { name: 'Delete dataset' }).click();
    const drop = page.getByRole('dialog', { name: 'Delete this dataset?' });
    expect(await drop.textContent()).toContain(
      'refund questions, its 2 items and 2 experiments are deleted.',
    );
    await shot(page, 'delete-dialog');
    await drop.getByRole('button', { name: 'Delete dataset' }).click();
    await page.getByRole('heading', { name: 'Datasets', exact: true }).waitFor();
    expect(page.url()).toMatch(/#\/datasets$/);
    expect(await page.getByRole('link', { name: 'refund questions' }).count()).toBe(0);
    // The conversations it was taken from stay.
    await api('GET', '/v1/conversations/refund-7');
  });
});
