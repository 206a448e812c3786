/**
 * Scoring and agent versions in the dashboard (issue 15), in Chromium against a real collector: with the
 * admin key, a thumb and a note on a message of the transcript are sent as a `thumbs` score and read
 * back pressed after a reload; the Versions page compares two agent versions side by side (runs, run
 * latency p50/p95, cost per run, tool error rate, the thumbs' share) and nothing scrolls sideways at
 * 390 px. Screenshots in test-results/screenshots/scoring-*.png.
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
const V1 = 'v1:3f9a1c2b7d4e';
const V2 = 'v2:8c21d07e55aa';

let store: Store;
let server: RunningServer;
let browser: Browser;
let keys: { admin: string };
let projectId: string;

interface RunShape {
  conversationId: string;
  version: string;
  minutes: number;
  runMs: number;
  costUsd: number;
  toolError: boolean;
}

/** A run of an agent version: question, run step with an llm and a tool step under it, answer. */
function run(shape: RunShape): IngestEvent[] {
  const at = Date.now() - shape.minutes * 60_000;
  const body = { conversationId: shape.conversationId, customerId: 'ada', agentVersion: shape.version };
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
      body: { ...body, role: 'human', content: 'Where is my order 42?' },
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
    step(
      {
        parentId: runId,
        type: 'tool',
        name: 'lookup_order',
        durationMs: 80,
        ...(shape.toolError ? { error: { message: 'order service timed out' } } : {}),
      },
      3,
    ),
    {
      id: newId(),
      type: 'message',
      timestamp: iso(shape.runMs),
      body: {
        ...body,
        role: 'agent',
        messageId: `${shape.conversationId}-answer`,
        content: 'Order 42 ships tomorrow.',
      },
    },
  ];
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `scoring-${name}.png`), fullPage: true });

async function signedIn(width = 1280): Promise<Page> {
  const page = await browser.newPage({ width, height: 860 });
  await page.goto(`${server.url}/#key=${keys.admin}`);
  await page.locator('table.conversations-table tbody tr').first().waitFor();
  return page;
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  await mkdir(SHOTS, { recursive: true });
  store = createStore({ database: ':memory:' });
  await store.migrate();
  projectId = (await store.createProject({ name: 'Scoring' })).id;
  keys = { admin: (await store.createApiKey({ projectId, scope: 'admin' })).key };
  const events = [
    ...run({
      conversationId: 'v1-a',
      version: V1,
      minutes: 50,
      runMs: 2400,
      costUsd: 0.012,
      toolError: true,
    }),
    ...run({
      conversationId: 'v1-b',
      version: V1,
      minutes: 40,
      runMs: 3600,
      costUsd: 0.014,
      toolError: false,
    }),
    ...run({
      conversationId: 'v2-a',
      version: V2,
      minutes: 30,
      runMs: 1200,
      costUsd: 0.004,
      toolError: false,
    }),
    ...run({
      conversationId: 'v2-b',
      version: V2,
      minutes: 20,
      runMs: 1800,
      costUsd: 0.006,
      toolError: false,
    }),
  ];
  const parsed = parseIngestRequest({ events });
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
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(async () => {
  for (const page of browser.context.pages()) await page.close();
  expect(browser.problems).toEqual([]);
});

describe('scores and agent versions in the dashboard', () => {
  it('a thumb and a note on a transcript message are kept: pressed and shown after a reload', async () => {
    const page = await signedIn();
    await page.goto(`${server.url}/#/conversations/v2-a`);
    const answer = page.locator('article.message-agent').filter({ hasText: 'Order 42 ships tomorrow.' });
    await answer.getByRole('button', { name: 'Thumb down' }).click();
    await answer.getByRole('button', { name: 'Add a note' }).click();
    await answer.getByRole('textbox', { name: 'Note' }).fill('It shipped yesterday, the answer is wrong.');
    await answer.getByRole('button', { name: 'Save note' }).click();
    await answer.getByText('“It shipped yesterday, the answer is wrong.”').waitFor();
    // A changed thumb replaces the score (same scoreId), note kept.
    await answer.getByRole('button', { name: 'Thumb up' }).click();
    await page.waitForTimeout(200);
    await answer.getByRole('button', { name: 'Thumb down' }).click();
    await expect
      .poll(() => answer.getByRole('button', { name: 'Thumb down' }).getAttribute('aria-pressed'))
      .toBe('true');

    await page.reload();
    const again = page.locator('article.message-agent').filter({ hasText: 'Order 42 ships tomorrow.' });
    await again.getByText('“It shipped yesterday, the answer is wrong.”').waitFor();
    expect(await again.getByRole('button', { name: 'Thumb down' }).getAttribute('aria-pressed')).toBe('true');
    expect(await again.getByRole('button', { name: 'Thumb up' }).getAttribute('aria-pressed')).toBe('false');
    await shot(page, 'transcript');

    const detail = (await (
      await fetch(`${server.url}/v1/conversations/v2-a`, {
        headers: { authorization: `Bearer ${keys.admin}` },
      })
    ).json()) as {
      scores: { name: string; value: unknown; source: string; comment: string; messageId: string }[];
    };
    expect(detail.scores).toEqual([
      expect.objectContaining({
        name: 'thumbs',
        value: false,
        source: 'human',
        messageId: 'v2-a-answer',
        comment: 'It shipped yesterday, the answer is wrong.',
      }),
    ]);
  });

  it('compares two agent versions side by side, readable at 390 px', async () => {
    // One more thumb, up, on a v1 answer, so both versions have thumbs to compare.
    const scored = await fetch(`${server.url}/v1/scores`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: 'v1-a', messageId: 'v1-a-answer', name: 'thumbs', value: true }),
    });
    expect(scored.status).toBe(201);
    for (const width of [1280, 390]) {
      const page = await signedIn(width);
      await page.goto(`${server.url}/#/versions?a=${encodeURIComponent(V1)}&b=${encodeURIComponent(V2)}`);
      const table = page.getByRole('table', { name: 'Agent versions compared' });
      await table.waitFor();
      const cells = async (label: string) =>
        (
          await table
            .getByRole('row', { name: new RegExp(`^${label}`) })
            .locator('td')
            .allInnerTexts()
        ).map((t) => t.trim());
      expect(await table.locator('thead th').allInnerTexts()).toEqual(['Measure', V1, V2]);
      expect(await cells('Runs')).toEqual(['2', '2']);
      expect(await cells('Cost per run')).toEqual(['$0.0130', '$0.0050']);
      expect(await cells('Tool error rate')).toEqual(['50%', '0%']);
      expect(await cells('thumbs \\(human\\)')).toEqual(['100% yes · 1 given', '0% yes · 1 given']);
      const p50 = await cells('Run latency p50');
      expect(p50.every((t) => /^\d+(\.\d+)? s$|^\d+ ms$/.test(t))).toBe(true);
      expect(await page.getByRole('link', { name: /Versions/ }).count()).toBeGreaterThan(0);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await shot(page, `versions-${width}`);
      await page.close();
    }
  });
});
