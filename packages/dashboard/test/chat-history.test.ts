/**
 * Chat history in a new tab (issue 13 item 11): a chat's messages are the server's, not one tab's. Chat
 * in one tab (an answer with a tool call, then a multiplication waiting for approval), open the same chat
 * address in a new tab, whose session storage is empty: it shows the earlier messages and the pending
 * approval, and approving there finishes the run. A tab opened while a run still streams shows the
 * question and follows the answer. Against `serveAgents()` mounted next to the collector; any console
 * error fails.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, tool } from '@openai/agents';
import { demoModel } from '@sightline/agents';
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
import { Hono } from 'hono';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Browser, launchChromium } from './chromium.ts';
import { DIST_DIR, ensureDashboardBuilt, PACKAGE_DIR } from './dashboard-build.ts';

const SHOTS = join(PACKAGE_DIR, 'test-results', 'screenshots');

/** A calculator whose multiplications need a person's approval; `latencyMs` per model call. */
function calculatorAgent(name: string, latencyMs = 0): Agent {
  const calculate = tool({
    name: 'calculate',
    description: 'Evaluate an arithmetic expression with + - * /.',
    parameters: z.object({ expression: z.string() }),
    needsApproval: async (_context, { expression }) => expression.includes('*'),
    execute: async ({ expression }) => {
      const [a, op, b] = expression.split(/\s*([*+])\s*/);
      return String(op === '*' ? Number(a) * Number(b) : Number(a) + Number(b));
    },
  });
  return new Agent({
    name,
    instructions: 'Use the calculate tool for arithmetic.',
    model: demoModel({ chunkSize: 4, latencyMs }),
    tools: [calculate],
  });
}

let store: Store;
let agents: AgentsRouter;
let server: RunningServer;
let browser: Browser;
let adminKey: string;

beforeAll(async () => {
  await ensureDashboardBuilt();
  await mkdir(SHOTS, { recursive: true });
  store = createStore({ database: ':memory:' });
  await store.migrate();
  const project = await store.createProject({ name: 'Chat history test' });
  adminKey = (await store.createApiKey({ projectId: project.id, scope: 'admin' })).key;
  // As `sightline start` checks them: a chat or admin key of the project.
  const check = projectKeyChecker(store, { projectId: project.id, scopes: SCOPES.chat });
  const collector = createSightlineApp({
    store,
    logger: createLogger({ level: 'silent' }),
    dashboardDir: DIST_DIR,
  });
  agents = serveAgents({
    agents: { calculator: calculatorAgent('calculator'), slow: calculatorAgent('slow', 2500) },
    tracker: false,
    getUser: async (request) => ((await check(request)) ? { id: 'tester' } : undefined),
  });
  const app = new Hono();
  app.route('/', agents);
  app.route('/', collector.app);
  server = await listen({ collector, app: app as never, port: 0, onClose: () => store.close() });
  browser = await launchChromium();
  const signIn = await browser.newPage({ width: 1280, height: 860 });
  // The Dashboard link `sightline start` prints: the local owner's admin key.
  await signIn.goto(`${server.url}/#key=${adminKey}`);
  await signIn.locator('nav[aria-label="Sections"]').waitFor();
  await signIn.close();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await agents?.close();
  await server?.close();
});

afterEach(() => {
  expect(browser.problems).toEqual([]);
});

/** A new tab (same browser, so signed in; its own, empty session storage) on the chat of `agent`. */
async function newChatTab(agent: string): Promise<Page> {
  const page = await browser.newPage({ width: 1280, height: 860 });
  await page.goto(`${server.url}/#/chat/${agent}`);
  await expect.poll(() => page.url()).toMatch(new RegExp(`#/chat/${agent}\\?c=chat-`));
  return page;
}

async function say(page: Page, text: string): Promise<void> {
  const input = page.getByLabel('Message');
  await input.fill(text);
  await input.press('Enter');
}

/** The same address in another new tab; resolves with the history the page was given. */
async function openInNewTab(url: string): Promise<{ page: Page; history: Record<string, unknown> }> {
  const page = await browser.newPage({ width: 1280, height: 860 });
  const answer = page.waitForResponse(
    (response) => /\/conversations\/[^/]+\/messages$/.test(response.url()),
    { timeout: 10_000 },
  );
  await page.goto(url);
  const history = (await (await answer).json()) as Record<string, unknown>;
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  return { page, history };
}

describe('chat history in a new tab', () => {
  it('shows the earlier messages and a pending approval, which it can approve', async () => {
    const first = await newChatTab('calculator');
    await say(first, 'what is 2 + 3');
    await first.locator('.chat-tool', { hasText: 'calculate' }).getByText('done').waitFor();
    await expect.poll(() => first.locator('.message-agent').last().textContent()).toContain('is 5');
    await say(first, 'what is 6 * 7');
    await first.getByText('needs your approval').waitFor();
    const url = first.url();

    const { page: second, history } = await openInNewTab(url);
    expect(history.pendingApproval).toMatchObject({ approvals: [{ toolName: 'calculate' }] });
    await second.getByText('needs your approval').waitFor();
    const humans = await second.locator('.message-human').allTextContents();
    expect(humans).toEqual([
      expect.stringContaining('what is 2 + 3'),
      expect.stringContaining('what is 6 * 7'),
    ]);
    const tools = second.locator('.chat-tool', { hasText: 'calculate' });
    expect(await tools.count()).toBe(2);
    expect(await tools.first().getAttribute('data-tool-state')).toBe('output-available');
    expect(await tools.first().locator('.json-view').allTextContents()).toEqual([
      expect.stringContaining('2 + 3'),
      expect.stringContaining('5'),
    ]);
    expect(await second.locator('.message-agent').first().textContent()).toContain('The answer is 5');
    const waiting = tools.last();
    expect(await waiting.locator('.json-view').textContent()).toContain('6 * 7');
    // The link to the tracked conversation comes with the history too.
    const link = second.getByRole('link', { name: 'see it in Conversations' });
    const chatId = new URL(url).hash.split('?c=')[1];
    expect(decodeURIComponent((await link.getAttribute('href')) ?? '')).toBe(
      `#/conversations/tester:${chatId}`,
    );
    await second.screenshot({ path: join(SHOTS, 'chat-history-new-tab.png') });

    await waiting.getByRole('button', { name: 'Approve' }).click();
    await waiting.getByText('done').waitFor();
    await expect.poll(() => second.locator('.message-agent').last().textContent()).toContain('is 42');

    // A third tab finds it answered: nothing left to approve.
    const { page: third, history: after } = await openInNewTab(url);
    expect(after.pendingApproval).toBeNull();
    await expect.poll(() => third.locator('.message-agent').last().textContent()).toContain('is 42');
    expect(await third.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await third.locator('.message-human').count()).toBe(2);
    for (const page of [first, second, third]) await page.close();
  });

  it('shows the question of a run still streaming and follows its answer', async () => {
    const first = await newChatTab('slow');
    await say(first, 'what is 2 + 2');
    // The tool ran; the model's answer is at least 2.5 s away.
    await first.locator('.chat-tool', { hasText: 'calculate' }).getByText('done').waitFor();
    const { page: second, history } = await openInNewTab(first.url());
    expect(history.activeRun).toMatchObject({ lastEventId: 0 });
    await second.locator('.message-human').first().waitFor();
    expect(await second.locator('.message-human').allTextContents()).toEqual([
      expect.stringContaining('what is 2 + 2'),
    ]);
    await expect
      .poll(() => second.locator('.message-agent').last().textContent(), { timeout: 15_000 })
      .toContain('is 4');
    expect(await second.locator('.message-agent').count()).toBe(1);
    expect(await second.locator('.chat-tool').count()).toBe(1);
    await first.close();
    await second.close();
  }, 30_000);
});
