/**
 * A thumb given in the Chat page lands on the answer it was given on (issue 15 item 1), in Chromium: a
 * served agent tracked into the real collector (`instrumentAgents` + a real tracker, as `sightline start`
 * wires it) answers twice; a thumb down and a note on the FIRST answer in the chat are sent as the
 * `thumbs` score of that tracked message, and the transcript shows them under that answer (pressed, the
 * note quoted), not under the other one; the chat opened again from the server's history shows that
 * thumb and takes one on the other answer. Screenshots chat-thumbs-*.png. Any console error fails.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent } from '@openai/agents';
import { demoModel, instrumentAgents, uninstrumentAgents } from '@sightline/agents';
import type { ConversationDetail } from '@sightline/core';
import { type AgentsRouter, serveAgents } from '@sightline/serve';
import {
  createLogger,
  createSightlineApp,
  listen,
  projectKeyChecker,
  type RunningServer,
  SCOPES,
} from '@sightline/server';
import { createStore, type Store } from '@sightline/store';
import { createTracker, type Tracker } from '@sightline/tracker';
import { Hono } from 'hono';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium } from './chromium.ts';
import { DIST_DIR, ensureDashboardBuilt, PACKAGE_DIR } from './dashboard-build.ts';

const SHOTS = join(PACKAGE_DIR, 'test-results', 'screenshots');

let store: Store;
let agents: AgentsRouter;
let tracker: Tracker;
let server: RunningServer;
let browser: Browser;
let page: Page;
let adminKey: string;

beforeAll(async () => {
  await ensureDashboardBuilt();
  await mkdir(SHOTS, { recursive: true });
  store = createStore({ database: ':memory:' });
  await store.migrate();
  const project = await store.createProject({ name: 'Chat thumbs' });
  adminKey = (await store.createApiKey({ projectId: project.id, scope: 'admin' })).key;
  const ingestKey = (await store.createApiKey({ projectId: project.id, scope: 'ingest' })).key;
  const check = projectKeyChecker(store, { projectId: project.id, scopes: SCOPES.chat });
  const collector = createSightlineApp({
    store,
    logger: createLogger({ level: 'silent' }),
    dashboardDir: DIST_DIR,
  });
  const app = new Hono();
  server = await listen({ collector, app: app as never, port: 0, onClose: () => store.close() });
  tracker = createTracker({ endpoint: server.url, apiKey: ingestKey, exitHooks: false, flushIntervalMs: 50 });
  instrumentAgents(tracker);
  agents = serveAgents({
    agents: [new Agent({ name: 'helper', instructions: 'Help.', model: demoModel({ chunkSize: 4 }) })],
    tracker,
    getUser: async (request) => ((await check(request)) ? { id: 'tester' } : undefined),
  });
  app.route('/', agents);
  app.route('/', collector.app);
  browser = await launchChromium();
  page = await browser.newPage({ width: 1280, height: 860 });
  await page.goto(`${server.url}/#key=${adminKey}`);
  await page.locator('nav[aria-label="Sections"]').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await agents?.close();
  await uninstrumentAgents();
  await tracker?.shutdown();
  await server?.close();
});

afterEach(() => {
  expect(browser.problems).toEqual([]);
});

async function detail(id: string): Promise<ConversationDetail> {
  const response = await fetch(`${server.url}/v1/conversations/${encodeURIComponent(id)}`, {
    headers: { authorization: `Bearer ${adminKey}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ConversationDetail;
}

describe('chat thumbs in Chromium', () => {
  it('a thumb and a note given in the chat show under the same answer in the transcript', async () => {
    await page.goto(`${server.url}/#/chat`);
    await page.getByRole('row', { name: 'Agent helper' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/chat\/helper\?c=chat-/);
    const chatId = new URLSearchParams(page.url().split('?')[1]).get('c');
    const input = page.getByLabel('Message');
    for (const [index, question] of ['first question', 'second question'].entries()) {
      await input.fill(question);
      await input.press('Enter');
      await expect.poll(() => page.locator('article.message-agent').count()).toBe(index + 1);
      await page
        .locator('article.message-agent')
        .nth(index)
        .getByRole('button', { name: 'Thumb up' })
        .waitFor();
    }
    const answers = page.locator('article.message-agent');
    const firstText = (await answers.first().locator('.message-body').first().textContent()) ?? '';
    const first = answers.first();
    await first.getByRole('button', { name: 'Thumb down' }).click();
    await first.getByRole('button', { name: 'Add a note' }).click();
    await first.getByRole('textbox', { name: 'Note' }).fill('Missed the point of the first question.');
    await first.getByRole('button', { name: 'Save note' }).click();
    await first.getByText('“Missed the point of the first question.”').waitFor();
    await page.screenshot({ path: join(SHOTS, 'chat-thumbs-chat.png') });

    // The score is the tracked first answer's: its messageId is that message's id in the collector.
    const trackedId = `tester:${chatId}`;
    await tracker.flush();
    await expect.poll(async () => (await detail(trackedId)).scores.length).toBe(1);
    const stored = await detail(trackedId);
    const tracked = stored.messages.filter((message) => message.role === 'agent');
    expect(tracked).toHaveLength(2);
    expect(stored.scores[0]).toMatchObject({
      name: 'thumbs',
      value: false,
      source: 'human',
      messageId: tracked[0]?.id,
      comment: 'Missed the point of the first question.',
    });
    expect(firstText.length).toBeGreaterThan(0);
    expect(tracked[0]?.content).toContain(firstText.trim().slice(0, 20));

    // The transcript shows it under that answer, pressed with its note; the second answer has none.
    await page.goto(`${server.url}/#/conversations/${encodeURIComponent(trackedId)}`);
    const transcriptAnswers = page.locator('article.message-agent');
    await expect.poll(() => transcriptAnswers.count()).toBe(2);
    const scored = transcriptAnswers.first();
    await scored.getByText('“Missed the point of the first question.”').waitFor();
    expect(await scored.getByRole('button', { name: 'Thumb down' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    const other = transcriptAnswers.nth(1);
    expect(await other.getByRole('button', { name: 'Thumb down' }).getAttribute('aria-pressed')).toBe(
      'false',
    );
    expect(await other.getByRole('button', { name: 'Thumb up' }).getAttribute('aria-pressed')).toBe('false');
    await page.screenshot({ path: join(SHOTS, 'chat-thumbs-transcript.png') });

    // The chat opened again (history from the server, this browser's memory of thumbs gone): both
    // answers take thumbs, the first shows the one stored in the collector, and a thumb on the second
    // lands on the second tracked answer.
    await page.evaluate(() => {
      for (const key of Object.keys(localStorage))
        if (key.startsWith('sightline.chat-thumbs:')) localStorage.removeItem(key);
    });
    await page.goto(`${server.url}/#/chat/helper?c=${chatId}`);
    const reloaded = page.locator('article.message-agent');
    await expect.poll(() => reloaded.count()).toBe(2);
    await reloaded.nth(1).getByRole('button', { name: 'Thumb up' }).waitFor();
    expect(
      await reloaded.first().getByRole('button', { name: 'Thumb down' }).getAttribute('aria-pressed'),
    ).toBe('true');
    await reloaded.first().getByText('“Missed the point of the first question.”').waitFor();
    await reloaded.nth(1).getByRole('button', { name: 'Thumb up' }).click();
    await expect
      .poll(() => reloaded.nth(1).getByRole('button', { name: 'Thumb up' }).getAttribute('aria-pressed'))
      .toBe('true');
    await page.screenshot({ path: join(SHOTS, 'chat-thumbs-reloaded.png') });
    await expect.poll(async () => (await detail(trackedId)).scores.length).toBe(2);
    const second = (await detail(trackedId)).scores.find((score) => score.messageId === tracked[1]?.id);
    expect(second).toMatchObject({ name: 'thumbs', value: true, source: 'human' });
  });
});
