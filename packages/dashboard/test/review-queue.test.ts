/**
 * The review queue in the dashboard (issue 15 item 5), in Chromium against a real collector: of four
 * conversations (negative feedback, a tool error, a run blocked by a guardrail, a clean one) the Review
 * page lists exactly the first three with why each is there; a reviewer with the admin key opens the
 * first, gives a thumb and a note, marks it reviewed and is taken to the next, until the queue is empty
 * (the count going down, the clean one never shown); the `review` scores are stored; nothing scrolls
 * sideways at 390 px; a read key sees the queue without the button. Screenshots in test-results/screenshots/review-queue-*.png.
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
let adminKey: string;
let readKey: string;

interface TurnShape {
  id: string;
  question: string;
  minutes: number;
  /** The run's steps under it (tool, guardrail), and whether the run failed with this message. */
  steps?: Array<Record<string, unknown>>;
  runError?: string;
  answer?: string;
  feedback?: 'negative' | 'positive';
}

/** A turn: question, a run with its steps, the answer (unless blocked) and customer feedback. */
function turn(shape: TurnShape): IngestEvent[] {
  const at = Date.now() - shape.minutes * 60_000;
  const body = { conversationId: shape.id, customerId: 'ada' };
  const iso = (ms: number) => new Date(at + ms).toISOString();
  const runId = `${shape.id}-run`;
  const event = (type: string, extra: Record<string, unknown>, ms: number) =>
    ({ id: newId(), type, timestamp: iso(ms), body: { ...body, ...extra } }) as IngestEvent;
  const events = [
    event('message', { role: 'human', content: shape.question }, 0),
    event(
      'step',
      {
        stepId: runId,
        type: 'run',
        name: 'Support',
        startedAt: iso(1),
        durationMs: 900,
        ...(shape.runError ? { error: { message: shape.runError } } : {}),
      },
      1,
    ),
    ...(shape.steps ?? []).map((step, i) =>
      event(
        'step',
        { stepId: newId(), parentId: runId, startedAt: iso(2 + i), durationMs: 40, ...step },
        2 + i,
      ),
    ),
  ];
  if (shape.answer)
    events.push(
      event('message', { role: 'agent', messageId: `${shape.id}-answer`, content: shape.answer }, 900),
    );
  if (shape.feedback)
    events.push(event('feedback', { sentiment: shape.feedback, comment: 'Not helpful' }, 950));
  return events;
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `review-queue-${name}.png`), fullPage: true });

const items = (page: Page) => page.getByRole('list', { name: 'Review queue' }).locator('> li');

beforeAll(async () => {
  await ensureDashboardBuilt();
  await mkdir(SHOTS, { recursive: true });
  store = createStore({ database: ':memory:' });
  await store.migrate();
  const projectId = (await store.createProject({ name: 'Review' })).id;
  adminKey = (await store.createApiKey({ projectId, scope: 'admin' })).key;
  readKey = (await store.createApiKey({ projectId, scope: 'read' })).key;
  const events = [
    ...turn({
      id: 'refund-wrong',
      question: 'Can I get a refund for order 7?',
      minutes: 40,
      answer: 'Refunds are not possible.',
      feedback: 'negative',
    }),
    ...turn({
      id: 'order-timeout',
      question: 'Where is my order 42?',
      minutes: 30,
      steps: [{ type: 'tool', name: 'lookup_order', error: { message: 'order service timed out' } }],
      answer: 'I could not look up your order right now.',
    }),
    ...turn({
      id: 'off-topic',
      question: 'Write my history homework',
      minutes: 20,
      steps: [
        {
          type: 'guardrail',
          name: 'topic_guard',
          output: { triggered: true },
          metadata: { triggered: true },
        },
      ],
      runError: 'Input guardrail triggered: {"reason":"not about our shop"}',
    }),
    ...turn({
      id: 'all-good',
      question: 'What are your opening hours?',
      minutes: 10,
      answer: 'We are open 9 to 5.',
      feedback: 'positive',
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

describe('the review queue in the dashboard', () => {
  it('lists the three flagged conversations with their reasons; nothing sideways at 390 px', async () => {
    const page = await browser.newPage({ width: 390, height: 844 });
    await page.goto(`${server.url}/#key=${adminKey}`);
    await page.locator('table.conversations-table tbody tr').first().waitFor();
    await page.goto(`${server.url}/#/review`);
    await expect.poll(() => items(page).count()).toBe(3);
    await page.getByText('3 conversations to review').waitFor();
    const expected = [
      ['Write my history homework', 'Blocked by topic_guard'],
      ['Where is my order 42?', 'Error in lookup_order'],
      ['Can I get a refund for order 7?', 'Negative feedback'],
    ];
    for (const [i, [title, reason]] of expected.entries()) {
      const item = items(page).nth(i);
      await item.getByText(reason as string, { exact: true }).waitFor();
      const text = await item.textContent();
      expect(text).toContain(title);
      // The blocked run's error is the block: not named again as an error.
      if (i === 0) expect(text).not.toContain('Error in');
    }
    expect(await page.getByText('What are your opening hours?').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'list-390');
    await page.getByRole('link', { name: 'Write my history homework' }).click();
    await page.getByRole('button', { name: 'Mark reviewed' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'conversation-390');
  });

  it('shows a read key the queue but no Mark reviewed', async () => {
    const page = await browser.newPage({ width: 1280, height: 860 });
    await page.goto(`${server.url}/#key=${readKey}`);
    await page.locator('table.conversations-table tbody tr').first().waitFor();
    await page.goto(`${server.url}/#/review/order-timeout`);
    await page.getByText('An admin key marks conversations reviewed.').waitFor();
    expect(await page.getByRole('button', { name: 'Mark reviewed' }).count()).toBe(0);
  });

  it('works through the queue: score, mark reviewed, next, until it is empty', async () => {
    const page = await browser.newPage({ width: 1280, height: 860 });
    await page.goto(`${server.url}/#key=${adminKey}`);
    await page.locator('table.conversations-table tbody tr').first().waitFor();
    await page.getByRole('link', { name: /Review/ }).click();
    await page.getByText('3 conversations to review').waitFor();
    await shot(page, 'list-1280');
    await page.getByRole('link', { name: 'Write my history homework' }).click();

    const bar = page.getByRole('region', { name: 'Review' });
    const markAndExpect = async (next: string | null) => {
      await bar.getByRole('button', { name: 'Mark reviewed' }).click();
      if (next) await expect.poll(() => page.url()).toContain(`#/review/${next}`);
      else await expect.poll(() => page.url()).toMatch(/#\/review$/);
    };
    await bar.getByText('Blocked by topic_guard').waitFor();
    await page.getByText('not about our shop').first().waitFor();
    await shot(page, 'blocked-1280');
    await markAndExpect('order-timeout');

    await bar.getByText('Error in lookup_order').waitFor();
    await markAndExpect('refund-wrong');
    // The queue's count went down: back to the list, one left, then on to it.
    await bar.getByRole('link', { name: '← Review queue' }).click();
    await page.getByText('1 conversation to review').waitFor();
    expect(await items(page).count()).toBe(1);
    await page.getByRole('link', { name: 'Can I get a refund for order 7?' }).click();

    await bar.getByText('Negative feedback', { exact: true }).waitFor();
    const answer = page.locator('article.message-agent').filter({ hasText: 'Refunds are not possible.' });
    await answer.getByRole('button', { name: 'Thumb down' }).click();
    await answer.getByRole('button', { name: 'Add a note' }).click();
    await answer.getByRole('textbox', { name: 'Note' }).fill('Refunds are possible within 30 days.');
    await answer.getByRole('button', { name: 'Save note' }).click();
    await answer.getByText('“Refunds are possible within 30 days.”').waitFor();
    await shot(page, 'scored-1280');
    await markAndExpect(null);

    await page.getByText('The review queue is empty').waitFor();
    expect(await items(page).count()).toBe(0);
    await shot(page, 'empty-1280');

    const scores = async (id: string) =>
      (
        (await (
          await fetch(`${server.url}/v1/conversations/${id}`, {
            headers: { authorization: `Bearer ${adminKey}` },
          })
        ).json()) as {
          scores: Array<{ name: string; value: unknown; source: string; comment: string | null }>;
        }
      ).scores.map((s) => [s.name, s.value, s.source, s.comment]);
    expect(await scores('off-topic')).toEqual([['review', 'done', 'human', null]]);
    expect(await scores('order-timeout')).toEqual([['review', 'done', 'human', null]]);
    expect(await scores('refund-wrong')).toEqual([
      ['thumbs', false, 'human', 'Refunds are possible within 30 days.'],
      ['review', 'done', 'human', null],
    ]);
    expect(await scores('all-good')).toEqual([]);
  });
});
