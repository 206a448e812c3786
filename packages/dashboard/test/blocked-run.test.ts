/**
 * A run an input guardrail blocks, recorded as it really is (issue 13, item 9): an agent served by
 * `@sightline/serve`, traced by `@sightline/agents` into a real collector through `@sightline/tracker`.
 * The dashboard must show the run as blocked (not "Agent (in progress)" forever), with the guardrail's
 * reason in view and a title that says so (not the raw id), and the Tools page must not list serve's
 * `run_failed` record as a tool. An answer an output guardrail blocked reads as blocked, not as a reply.
 * Screenshots at 1280 and 390 px; the Chat page listing the agents too.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, type InputGuardrail, type OutputGuardrail } from '@openai/agents';
import { demoModel, instrumentAgents, uninstrumentAgents } from '@sightline/agents';
import { type AgentsRouter, serveAgents } from '@sightline/serve';
import { createLogger, createSightlineApp, listen, type RunningServer } from '@sightline/server';
import { createStore, type Store } from '@sightline/store';
import { createTracker, type Tracker } from '@sightline/tracker';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium } from './chromium.ts';
import { DIST_DIR, ensureDashboardBuilt, PACKAGE_DIR } from './dashboard-build.ts';
import { gapUnderHeader, pageOverflow } from './page-reading.ts';

const SHOTS = join(PACKAGE_DIR, 'test-results', 'screenshots');
const REASON = 'the message contains a password; notes must not hold secrets';
const LEAK = 'the answer quotes another user';

/** Blocks every answer after the model gave it (the model's text is recorded, but was not the result). */
const noLeak: OutputGuardrail = {
  name: 'no_leak',
  execute: async () => ({ tripwireTriggered: true, outputInfo: { reason: LEAK } }),
};

/** As in examples/notes-api: refuses a message holding a password, before the model sees it. */
const noSecrets: InputGuardrail = {
  name: 'no_secrets',
  runInParallel: false,
  execute: async ({ input }) => {
    const found = /\bpassword\s*(?:is|:|=)\s*\S+/i.test(
      typeof input === 'string' ? input : JSON.stringify(input),
    );
    return { tripwireTriggered: found, outputInfo: { reason: found ? REASON : 'clean' } };
  },
};

let store: Store;
let agents: AgentsRouter;
let tracker: Tracker;
let server: RunningServer;
let browser: Browser;
let readKey: string;
let conversationId: string;
let leakedId: string;

async function runAgent(agent: string, input: string): Promise<string> {
  const refused = await fetch(`${server.url}/agents/${agent}/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${readKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ input }),
  });
  expect(refused.status).toBe(400);
  return ((await refused.json()) as { trackedConversationId: string }).trackedConversationId;
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  await mkdir(SHOTS, { recursive: true });
  store = createStore({ database: ':memory:' });
  await store.migrate();
  const project = await store.createProject({ name: 'Blocked run test' });
  readKey = (await store.createApiKey({ projectId: project.id, scope: 'read' })).key;
  const ingestKey = (await store.createApiKey({ projectId: project.id, scope: 'ingest' })).key;
  const collector = createSightlineApp({
    store,
    logger: createLogger({ level: 'silent' }),
    dashboardDir: DIST_DIR,
  });
  // The collector's address is known once it listens: the tracker sends there through this fetch.
  const endpoint = 'http://collector.invalid';
  tracker = createTracker({
    endpoint,
    apiKey: ingestKey,
    exitHooks: false,
    fetch: (input, init) => fetch(String(input).replace(endpoint, server.url), init),
  });
  instrumentAgents(tracker);
  agents = serveAgents({
    agents: [
      new Agent({
        name: 'notes',
        instructions: 'Keep notes for the user.',
        model: demoModel(),
        inputGuardrails: [noSecrets],
      }),
      new Agent({ name: 'leaky', instructions: 'Answer.', model: demoModel(), outputGuardrails: [noLeak] }),
    ],
    tracker,
    getUser: (request) =>
      request.headers.get('authorization') === `Bearer ${readKey}` ? { id: 'alice' } : undefined,
  });
  const app = new Hono();
  app.route('/', agents);
  app.route('/', collector.app);
  server = await listen({ collector, app: app as never, port: 0, onClose: () => store.close() });

  conversationId = await runAgent('notes', 'Add a note: my password is hunter2');
  leakedId = await runAgent('leaky', 'what is 2 + 2');
  await tracker.flush({ timeoutMs: 5000 });
  expect(await store.getConversation(project.id, conversationId)).not.toBeNull();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await uninstrumentAgents();
  await tracker?.shutdown({ timeoutMs: 1000 });
  await agents?.close();
  await server?.close();
});

afterEach(() => {
  expect(browser.problems).toEqual([]);
});

describe('a run blocked by a guardrail', () => {
  it('reads as blocked, with the reason, under a title that says so; run_failed is not a tool', async () => {
    for (const width of [1280, 390]) {
      const page = await browser.newPage({ width, height: width > 800 ? 860 : 844 });
      await page.goto(`${server.url}/#key=${readKey}`);
      const row = page.locator(`tr[data-conversation-id="${conversationId}"]`);
      await row.waitFor();
      // The list's title says there is no message (the id stays below it), not the raw id as a title.
      expect(await row.locator('.row-link').textContent()).toBe('No messages');
      await row.click();

      await page.getByRole('heading', { name: 'Blocked by guardrail no_secrets' }).waitFor();
      const turn = page.locator('.message.turn-blocked');
      await turn.waitFor();
      expect(await turn.locator('.message-role').textContent()).toBe('Blocked by a guardrail');
      expect(await turn.getByRole('note').textContent()).toContain(REASON);
      expect(await page.getByText('in progress').count()).toBe(0);
      expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SHOTS, `page-conversation-blocked-${width}.png`) });
      // The guardrail step itself reads "blocked", not "ok".
      await page.getByRole('tab', { name: 'Step tree' }).click();
      await page.getByRole('treeitem', { name: /no_secrets/ }).click();
      expect(await page.locator('.step-detail-head .status').textContent()).toBe('blocked');

      await page.goto(`${server.url}/#/tools`);
      await page.getByRole('heading', { name: 'Tools' }).waitFor();
      await page.getByText('No tool calls in this range').waitFor();
      expect(await page.getByRole('row', { name: 'Tool run_failed' }).count()).toBe(0);
      expect(await gapUnderHeader(page)).toBeLessThanOrEqual(1);

      await page.goto(`${server.url}/#/chat`);
      await page.getByRole('row', { name: 'Agent notes' }).waitFor();
      expect(await gapUnderHeader(page)).toBeLessThanOrEqual(1);
      await page.screenshot({ path: join(SHOTS, `page-chat-agents-${width}.png`) });
      await page.close();
    }
  });

  it('shows an answer an output guardrail blocked as blocked, not as a reply the person got', async () => {
    const page = await browser.newPage({ width: 1280, height: 860 });
    await page.goto(`${server.url}/#key=${readKey}`);
    await page.locator('nav[aria-label="Sections"]').waitFor();
    await page.goto(`${server.url}/#/conversations/${encodeURIComponent(leakedId)}`);
    const answer = page.locator('.message-agent');
    await answer.waitFor();
    expect(await answer.locator('.message-role').textContent()).toBe('Agent (blocked)');
    expect(await answer.locator('.message-body').textContent()).toContain('2 + 2 = 4');
    const note = await answer.getByRole('note').textContent();
    expect(note).toContain(`The guardrail no_leak blocked this answer: ${LEAK}`);
    expect(note).toContain('not returned');
    await page.screenshot({ path: join(SHOTS, 'page-conversation-output-blocked-1280.png') });
    await page.close();
  });
});
