/**
 * What a person reads on the dashboard, in Chromium against a real collector (issue 13, items 7, 8,
 * 10 and 12): chart axes that end just above their data, straight lines between buckets, evenly
 * spaced time labels, one money format, a heatmap with a legend that fits a phone; a conversations
 * table that fits 1280 px, durations that never read "1m 60s", "unpriced" apart from $0, a page label
 * that says what it knows; a labelled waterfall whose axis labels do not collide at 390 px; phones
 * without blank bands, sideways scrolling or hidden key columns; a sign-in link pasted into an open
 * tab; a sidebar reachable whole on a short window. Screenshots of every page at 1280 and 390 px go to
 * test-results/screenshots/page-*.png.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { MetricsResponse } from '@sightline/core';
import { parseIngestRequest } from '@sightline/core';
import { createLogger, createSightlineApp, listen, type RunningServer } from '@sightline/server';
import { createStore, type Store } from '@sightline/store';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium } from './chromium.ts';
import { DIST_DIR, ensureDashboardBuilt, PACKAGE_DIR } from './dashboard-build.ts';
import {
  gapUnderHeader,
  inView,
  labelDecimals,
  labelValue,
  overlapping,
  pageOverflow,
  tableOverflows,
  xLabels,
  yLabels,
} from './page-reading.ts';
import { readabilityEvents } from './readability-events.ts';

const SHOTS = join(PACKAGE_DIR, 'test-results', 'screenshots');
const WIDTHS = [1280, 390] as const;
/** How a cost reads everywhere: cents, four decimals below a cent, <$0.0001, or "unpriced". */
const COST = /^(\$\d[\d,]*\.\d{2}|\$0\.\d{4}|<\$0\.0001|unpriced)$/;

let store: Store;
let server: RunningServer;
let browser: Browser;
let readKey: string;

beforeAll(async () => {
  await ensureDashboardBuilt();
  await mkdir(SHOTS, { recursive: true });
  store = createStore({ database: ':memory:' });
  await store.migrate();
  const project = await store.createProject({ name: 'Reading test' });
  readKey = (await store.createApiKey({ projectId: project.id, scope: 'read' })).key;
  const parsed = parseIngestRequest({ events: readabilityEvents(Date.now()) });
  expect(parsed.rejected).toEqual([]);
  await store.append(project.id, parsed.events);
  const collector = createSightlineApp({
    store,
    logger: createLogger({ level: 'silent' }),
    dashboardDir: DIST_DIR,
  });
  server = await listen({ collector, port: 0, onClose: () => store.close() });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(() => {
  expect(browser.problems).toEqual([]);
});

/** A signed-in page at a width (the key is taken from a #key= link, as `sightline start` prints). */
async function openAt(width: number): Promise<Page> {
  const page = await browser.newPage({ width, height: width > 800 ? 860 : 844 });
  await page.goto(`${server.url}/#key=${readKey}`);
  await page.locator('nav[aria-label="Sections"]').waitFor();
  return page;
}

const shot = (page: Page, name: string, fullPage = false) =>
  page.screenshot({ path: join(SHOTS, `page-${name}-${page.viewportSize()?.width}.png`), fullPage });

describe('the overview reads right (item 7)', () => {
  it('ends each value axis just above its data, draws straight lines, spaces time labels evenly', async () => {
    for (const width of WIDTHS) {
      const page = await openAt(width);
      const answer = page.waitForResponse((response) => response.url().includes('/v1/metrics'));
      await page.goto(`${server.url}/#/overview?range=7d`);
      const metrics = (await (await answer).json()) as MetricsResponse;
      await page.locator('.recharts-surface').first().waitFor();
      await expect
        .poll(() => page.locator('.chart-card .recharts-surface').count())
        .toBeGreaterThanOrEqual(8);
      const card = (title: string) =>
        page.locator('.chart-card', { has: page.getByRole('heading', { name: title }) });
      const max = (value: (p: MetricsResponse['series'][number]) => number | null) =>
        Math.max(...metrics.series.map((p) => value(p) ?? 0));
      const checks: Array<[string, 'left' | 'right', number]> = [
        [
          'Error rate',
          'left',
          max((p) => (p.toolCalls + p.llmCalls ? p.errors / (p.toolCalls + p.llmCalls) : 0)),
        ],
        ['Conversations and messages', 'left', max((p) => p.messages)],
        ['Distinct customers', 'left', max((p) => p.customers)],
        ['Agent response latency', 'left', max((p) => p.responseLatencyP95Ms)],
        ['Tokens and cost', 'left', max((p) => p.inputTokens + p.outputTokens)],
        ['Tokens and cost', 'right', max((p) => p.costUsd)],
        ['Feedback', 'left', max((p) => p.feedback.positive + p.feedback.neutral + p.feedback.negative)],
      ];
      for (const [title, side, dataMax] of checks) {
        const labels = await yLabels(card(title), side);
        const top = labelValue(labels.at(-1)!.text);
        expect(top, `${title} (${side}) axis top vs data ${dataMax}`).toBeGreaterThanOrEqual(dataMax);
        expect(top, `${title} (${side}) axis top vs data ${dataMax}`).toBeLessThanOrEqual(2 * dataMax);
        // One precision per axis ("0%, 1%, 2%", "$0.00, $0.50"), never "0 ms, 3.50 s, 10.5 s".
        expect(new Set(labels.map((label) => labelDecimals(label.text))).size, `${title} labels`).toBe(1);
      }
      // A rate's axis never runs past 100% (the check above also keeps it within 2x of the highest bucket).
      // The sample's highest bucket depends on where the buckets fall relative to now: a few percent over a
      // day, 1 in 2 in an hour holding one failed turn (an LLM call and a failed tool call), so its value
      // is not pinned here.
      const errorTop = labelValue((await yLabels(card('Error rate'), 'left')).at(-1)!.text);
      expect(errorTop).toBeLessThanOrEqual(1);
      for (const label of await yLabels(card('Tokens and cost'), 'right')) expect(label.text).toMatch(COST);
      expect(
        await page.locator('.stat-card', { hasText: 'Cost' }).locator('.stat-value').textContent(),
      ).toMatch(COST);

      // Straight segments between buckets: a line cannot pass above or below the counts it joins.
      const curves = await page
        .locator('.recharts-line-curve, .recharts-area-curve')
        .evaluateAll((paths) => paths.map((path) => path.getAttribute('d') ?? ''));
      expect(curves.length).toBeGreaterThan(5);
      for (const d of curves) expect(d).not.toMatch(/[CcSsQq]/);

      // Time labels: evenly spaced, none touching another.
      for (const title of ['Conversations and messages', 'Distinct customers', 'Tokens and cost']) {
        const labels = await xLabels(card(title));
        expect(labels.length, title).toBeGreaterThanOrEqual(3);
        const centers = labels.map((label) => (label.left + label.right) / 2);
        const gaps = centers.slice(1).map((center, i) => center - centers[i]!);
        for (const gap of gaps) expect(Math.abs(gap - gaps[0]!), `${title}: ${gaps}`).toBeLessThan(1.5);
        for (let i = 1; i < labels.length; i++)
          expect(overlapping(labels[i - 1]!, labels[i]!), title).toBe(false);
      }

      // The heatmap says what its shades mean, and fits its card.
      const heatmap = card('Peak hours');
      await expect
        .poll(() => heatmap.locator('.heatmap-legend').textContent())
        .toMatch(/^Legend: 0.*\d conversations? per hour/);
      const frame = await heatmap.boundingBox();
      const lastCell = await heatmap.locator('tbody tr').first().locator('td').last().boundingBox();
      expect(lastCell!.x + lastCell!.width).toBeLessThanOrEqual(frame!.x + frame!.width);
      expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
      await shot(page, 'overview', true);
      await page.close();
    }
  });
});

describe('the conversations table reads right (item 8)', () => {
  it('fits 1280 px with errors and feedback in view, one duration and cost format, an honest page label', async () => {
    const page = await openAt(1280);
    await page.goto(`${server.url}/#/conversations`);
    const rows = page.locator('table.conversations-table tbody tr');
    await rows.first().waitFor();
    expect(await tableOverflows(page)).toEqual([0]);
    for (const column of ['Errors', 'Feedback', 'Cost', 'Duration'])
      expect(await inView(page.getByRole('columnheader', { name: column })), column).toBe(true);
    expect(await inView(rows.filter({ hasText: 'A very long conversation name' }).locator('td').last())).toBe(
      true,
    );

    const cell = (id: string, column: number) =>
      page.locator(`tr[data-conversation-id="${id}"] td`).nth(column);
    const header = await page.locator('table.conversations-table thead th').allTextContents();
    const durationColumn = header.indexOf('Duration');
    const costColumn = header.indexOf('Cost');
    expect(await cell('conv-two-minutes', durationColumn).textContent()).toBe('2m 0s');
    const durations = await rows.evaluateAll(
      (trs, i) => trs.map((tr) => tr.children[i]?.textContent ?? ''),
      durationColumn,
    );
    for (const text of durations) expect(text).not.toMatch(/\b60s\b|\b60m\b|60\.0 s/);
    const costs = await rows.evaluateAll(
      (trs, i) => trs.map((tr) => tr.children[i]?.textContent ?? ''),
      costColumn,
    );
    for (const text of costs) expect(text).toMatch(COST);

    await expect.poll(() => page.locator('.pager-label').textContent()).toBe('1–50 of more than 50');
    await page.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(() => page.locator('.pager-label').textContent()).toBe('51–100 of more than 100');
    await page.goto(`${server.url}/#/conversations?customerId=contoso`);
    await expect.poll(() => page.locator('.pager-label').textContent()).toMatch(/^1–\d+ of \d+$/);
    const [shownRange, total] = ((await page.locator('.pager-label').textContent()) ?? '').split(' of ');
    expect(shownRange).toBe(`1–${total}`);
    expect(await rows.count()).toBe(Number(total));

    // A model the collector has no price for reads "unpriced", not $0.
    await page.goto(`${server.url}/#/conversations/conv-unpriced?tab=steps`);
    const cost = page.locator('.stat-card', { hasText: 'Cost' });
    await expect.poll(() => cost.locator('.stat-value').textContent()).toBe('unpriced');
    expect(await cost.locator('.stat-detail').textContent()).toBe('1 model call without a price');
    await expect.poll(() => page.getByRole('treeitem', { name: /plan/ }).textContent()).toContain('unpriced');
    await page.close();
  });
});

describe('the timeline and phones read right (item 10)', () => {
  it('labels every waterfall bar with its duration, and its axis labels never collide', async () => {
    for (const width of WIDTHS) {
      const page = await openAt(width);
      await page.goto(`${server.url}/#/conversations/conv-timeline?tab=timeline`);
      await expect.poll(() => page.locator('.step-bar').count()).toBe(4);
      const labels = await page.locator('.step-bar-label').allTextContents();
      expect(labels).toEqual(['3.20 s', '1.20 s', '1.60 s', '250 ms']);
      const list = (await page.locator('.step-list').boundingBox())!;
      for (const label of await page.locator('.step-bar-label').all()) {
        const box = (await label.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(list.x);
        expect(box.x + box.width).toBeLessThanOrEqual(list.x + list.width);
      }
      const ticks = await page.locator('.timeline-tick').evaluateAll((spans) =>
        spans.map((span) => {
          const box = span.getBoundingClientRect();
          return {
            text: span.textContent ?? '',
            left: box.left,
            right: box.right,
            top: box.top,
            bottom: box.bottom,
          };
        }),
      );
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < ticks.length; i++)
        expect(overlapping(ticks[i - 1]!, ticks[i]!), JSON.stringify(ticks)).toBe(false);
      // "0 s" sits where the first bar starts.
      const firstBar = (await page.locator('.step-bar').first().boundingBox())!;
      expect(Math.abs(ticks[0]!.left - firstBar.x)).toBeLessThan(2);
      await shot(page, 'conversation-timeline');
      await page.getByRole('tab', { name: 'Step tree' }).click();
      await page.getByRole('treeitem').first().waitFor();
      await shot(page, 'conversation-step-tree');
      await page.getByRole('tab', { name: 'Transcript' }).click();
      await page.locator('.message').first().waitFor();
      await shot(page, 'conversation-transcript');
      await page.close();
    }
  });

  it('on a phone and at 1280 px: no blank band under the header, no sideways scrolling, key columns in view', async () => {
    for (const width of WIDTHS) await readsWithoutScrolling(width);
  });

  async function readsWithoutScrolling(width: number): Promise<void> {
    const page = await openAt(width);
    const pages: Array<[string, string, string[]]> = [
      ['/conversations', 'table.conversations-table tbody tr', ['Conversation', 'Errors', 'Feedback']],
      [
        '/tools/search_kb',
        'table.tool-calls-table tbody tr',
        ['Tool', 'Calls', 'Error rate', 'p95', 'Conversation', 'Duration', 'Result'],
      ],
      ['/customers', 'tbody tr', ['Customer', 'Conversations', 'Errors', 'Cost']],
      ['/ingestion', '.stat-card', []],
      ['/live', '.live-status', []],
      ['/chat', 'main .page h1', []],
      ['/overview', '.heatmap', []],
    ];
    for (const [route, ready, columns] of pages) {
      await page.goto(`${server.url}/#${route}`);
      await page.locator(ready).first().waitFor();
      expect(
        await gapUnderHeader(page),
        `${route} at ${width} px: band under the header`,
      ).toBeLessThanOrEqual(1);
      expect(await pageOverflow(page), `${route} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
      for (const overflow of await tableOverflows(page))
        expect(overflow, `${route} at ${width} px: a table scrolls`).toBeLessThanOrEqual(0);
      for (const column of columns)
        expect(
          await inView(page.getByRole('columnheader', { name: column, exact: true }).first()),
          `${route} at ${width} px: ${column}`,
        ).toBe(true);
    }
    await page.close();
  }

  it('on a short laptop window the whole sidebar can be reached, on its own panel', async () => {
    const page = await browser.newPage({ width: 1280, height: 420 });
    await page.goto(`${server.url}/#key=${readKey}`);
    await page.locator('nav[aria-label="Sections"]').waitFor();
    await page.goto(`${server.url}/#/conversations`);
    await page.locator('table.conversations-table tbody tr').first().waitFor();
    const footer = page.locator('.sidebar-footer');
    await footer.scrollIntoViewIfNeeded();
    const [sidebar, last] = [await page.locator('.sidebar').boundingBox(), await footer.boundingBox()];
    expect(last && last.y + last.height, 'the sidebar footer is on screen').toBeLessThanOrEqual(420);
    expect(last && sidebar && last.y + last.height, 'inside the sidebar panel').toBeLessThanOrEqual(
      (sidebar?.y ?? 0) + (sidebar?.height ?? 0),
    );
    await page.close();
  });

  it('writes a screenshot of every page at 1280 and 390 px', async () => {
    for (const width of WIDTHS) {
      const page = await openAt(width);
      for (const [route, name, ready] of [
        ['/conversations', 'conversations', 'table.conversations-table tbody tr'],
        ['/tools/search_kb', 'tools', 'table.tool-calls-table tbody tr'],
        ['/customers', 'customers', 'tbody tr'],
        ['/ingestion', 'ingestion', '.stat-card'],
        ['/live', 'live', '.live-status'],
        ['/chat', 'chat', 'main .page h1'],
      ] as const) {
        await page.goto(`${server.url}/#${route}`);
        await page.locator(ready).first().waitFor();
        await shot(page, name);
      }
      await page.close();
    }
  });
});

describe('a sign-in link pasted into an open tab (item 12)', () => {
  it('signs in at once, without a reload, and takes the key out of the address', async () => {
    for (const width of WIDTHS) {
      const page = await browser.newPage({ width, height: 844 });
      await page.goto(server.url);
      await page.evaluate(() => localStorage.clear()); // signed out: the other tests signed this browser in
      await page.reload();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await shot(page, 'sign-in');
      await page.evaluate(() => {
        (window as unknown as { sameDocument: boolean }).sameDocument = true;
      });
      // As when the link is pasted into the address bar of this tab: only the hash changes.
      await page.evaluate((key) => {
        window.location.hash = `#key=${key}`;
      }, readKey);
      await page.locator('table.conversations-table tbody tr').first().waitFor();
      expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
        true,
      );
      expect(page.url()).not.toContain(readKey);
      await page.close();
    }
  });
});
