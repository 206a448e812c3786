/**
 * The Chat page in Chromium against a server that mounts `@sightline/serve`'s agent routes next to
 * the collector as `sightline start` does (callers present a chat or admin key of the project): signed
 * in with the admin key the printed link carries, pick an agent, stream an answer, approve a tool call
 * that needs approval, and find the conversation again after a reload; signed in with a read key (the
 * read-only link), the page says chatting needs a chat or admin key. Any other console error fails.
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

/** A calculator whose multiplications need a person's approval. */
function calculatorAgent(): Agent {
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
    name: 'calculator',
    handoffDescription: 'Does arithmetic; multiplications need approval.',
    instructions: 'Use the calculate tool for arithmetic.',
    model: demoModel({ chunkSize: 4 }),
    tools: [calculate],
  });
}

let store: Store;
let agents: AgentsRouter;
let server: RunningServer;
let browser: Browser;
let page: Page;
let readKey: string;
let adminKey: string;

beforeAll(async () => {
  await ensureDashboardBuilt();
  await mkdir(SHOTS, { recursive: true });
  store = createStore({ database: ':memory:' });
  await store.migrate();
  const project = await store.createProject({ name: 'Chat test' });
  readKey = (await store.createApiKey({ projectId: project.id, scope: 'read' })).key;
  adminKey = (await store.createApiKey({ projectId: project.id, scope: 'admin' })).key;
  // As `sightline start` checks them: a chat or admin key of the project; a read key gets 403.
  const check = projectKeyChecker(store, { projectId: project.id, scopes: SCOPES.chat });
  const collector = createSightlineApp({
    store,
    logger: createLogger({ level: 'silent' }),
    dashboardDir: DIST_DIR,
  });
  agents = serveAgents({
    agents: [calculatorAgent()],
    tracker: false,
    getUser: async (request) => ((await check(request)) ? { id: 'tester' } : undefined),
  });
  const app = new Hono();
  app.route('/', agents);
  app.route('/', collector.app);
  server = await listen({ collector, app: app as never, port: 0, onClose: () => store.close() });
  browser = await launchChromium();
  page = await browser.newPage({ width: 1280, height: 860 });
  // The Dashboard link `sightline start` prints: the local owner's admin key.
  await page.goto(`${server.url}/#key=${adminKey}`);
  await page.locator('nav[aria-label="Sections"]').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await agents?.close();
  await server?.close();
});

afterEach(() => {
  expect(browser.problems).toEqual([]);
});

describe('chat in Chromium', () => {
  it('lists the served agents and streams an answer, pausing a tool call for approval', async () => {
    await page.getByRole('link', { name: 'Chat' }).click();
    await page.getByRole('row', { name: 'Agent calculator' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/chat\/calculator\?c=chat-/);
    const input = page.getByLabel('Message');
    await input.fill('what is 6 * 7');
    await input.press('Enter');
    const tool = page.locator('.chat-tool', { hasText: 'calculate' });
    await tool.getByText('needs your approval').waitFor();
    expect(await tool.locator('.json-view').textContent()).toContain('6 * 7');
    await shot('chat-approval');
    await tool.getByRole('button', { name: 'Approve' }).click();
    await tool.getByText('done').waitFor();
    await expect.poll(() => page.locator('.message-agent').last().textContent()).toContain('42');
    await shot('chat');
    // Served runs are tracked per user: the link names the tracked conversation, `tester:<chat id>`.
    const chatId = new URLSearchParams(page.url().split('?')[1]).get('c');
    const link = page.getByRole('link', { name: 'see it in Conversations' });
    expect(decodeURIComponent((await link.getAttribute('href')) ?? '')).toBe(
      `#/conversations/tester:${chatId}`,
    );

    // The tab keeps the conversation: a reload shows it again under the same address.
    const url = page.url();
    await page.reload();
    await page.locator('.chat-tool', { hasText: 'calculate' }).waitFor();
    expect(page.url()).toBe(url);
    expect(await page.locator('.message-human').first().textContent()).toContain('what is 6 * 7');
  });

  it('opens the Chat page from the printed Chat link, signed in with the admin key', async () => {
    await page.goto('about:blank');
    await page.goto(`${server.url}/#key=${adminKey}&route=%2Fchat`);
    await page.getByRole('row', { name: 'Agent calculator' }).waitFor();
    expect(page.url()).toBe(`${server.url}/#/chat`);
  });

  it('says chatting needs a chat or admin key when signed in with a read key', async () => {
    // The read-only link: the conversations are there, the agents are not (they have side effects).
    await page.goto('about:blank');
    await page.goto(`${server.url}/#key=${readKey}&route=%2Fchat`);
    const notice = page.getByRole('alert').filter({ hasText: 'Chat needs a chat or admin key' });
    await notice.waitFor();
    const text = await notice.textContent();
    expect(text).toContain('signed in with a read key');
    expect(text).toContain('this is a read key; this endpoint needs a chat or admin key');
    expect(text).toContain('admin key');
    expect(await page.getByRole('row', { name: 'Agent calculator' }).count()).toBe(0);
    await shot('chat-read-key');
    // A chat's own address says the same, with no message box to type into.
    await page.goto(`${server.url}/#/chat/calculator?c=chat-read-only`);
    await notice.waitFor();
    expect(await page.getByLabel('Message').count()).toBe(0);
    // The only console errors: Chromium logging the refused requests (GET /agents, GET /workflows).
    expect(browser.problems.length).toBeGreaterThan(0);
    for (const problem of browser.problems) expect(problem).toMatch(/status of 403 \(Forbidden\)/);
    browser.problems.length = 0;
  });
});

function shot(name: string) {
  return page.screenshot({ path: join(SHOTS, `${name}.png`) });
}
