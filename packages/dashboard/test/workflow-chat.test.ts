/**
 * Workflows on the Chat page in Chromium, against a server that mounts `@sightline/serve`'s workflow
 * routes next to the collector: start a run with parameters, answer its questions by typing, by
 * clicking a suggestion, by picking one choice and several, give a secret, and read the result; a
 * stream that drops mid-run is resumed with Last-Event-ID; a reload continues the run; Stop cancels
 * it; a failing workflow says why. Any browser console error fails the test.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defineWorkflow, serveWorkflows, type WorkflowsRouter } from '@sightline/serve';
import { createLogger, createSightlineApp, listen, type RunningServer } from '@sightline/server';
import { createStore, type Store } from '@sightline/store';
import { Hono } from 'hono';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Browser, launchChromium } from './chromium.ts';
import { DIST_DIR, ensureDashboardBuilt, PACKAGE_DIR } from './dashboard-build.ts';

const SHOTS = join(PACKAGE_DIR, 'test-results', 'screenshots');

/** Signs a customer up: says hello, asks (with suggestions), chooses one and several, takes a secret. */
const onboarding = defineWorkflow({
  name: 'onboarding',
  description: 'Sets up a new customer: name, team, plan, add-ons and an API secret.',
  params: z.object({ company: z.string().min(2).default('Acme') }),
  run: async (io, params) => {
    io.say(`Welcome! Let's set up ${params.company}.`);
    const name = await io.ask({ prompt: 'What is your name?', suggestions: ['Ada', 'Grace'] });
    const team = await io.ask({ prompt: 'Which team are you on?', suggestions: ['Support', 'Sales'] });
    const plan = await io.choose({ prompt: 'Which plan?', choices: ['Free', 'Pro', 'Enterprise'] });
    const addons = await io.choose({
      prompt: 'Which add-ons?',
      choices: ['SSO', 'Audit log', 'Priority support'],
      single: false,
    });
    const secret = await io.ask({ prompt: 'Choose an API secret', password: true });
    io.say(`Thanks, ${name}. Creating the account…`);
    return `${name} (${team}) on ${plan} with ${addons.join(' + ') || 'no add-ons'}; secret of ${secret.length} characters`;
  },
});

/** Fails after its first question. */
const broken = defineWorkflow({
  name: 'broken',
  description: 'Asks one thing, then fails.',
  run: async (io) => {
    await io.ask({ prompt: 'Ready?', suggestions: ['Yes'] });
    throw new Error('the billing service is down');
  },
});

let store: Store;
let workflows: WorkflowsRouter;
let server: RunningServer;
let browser: Browser;
let page: Page;
let readKey: string;
/** When set, the first event stream of a run is cut right after its first question. */
let dropFirstStream = false;
const lastEventIds: string[] = [];
/** What the server's onError was told of failing workflows. */
const failures: string[] = [];

/** Serves a run's event stream but ends it after the first `ask` frame, as a dropped connection would. */
function cutAfterFirstAsk(response: Response): Response {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let seen = '';
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) return controller.close();
      controller.enqueue(value);
      seen += decoder.decode(value, { stream: true });
      if (seen.includes('event: ask')) {
        controller.close();
        await reader.cancel();
      }
    },
    cancel: () => reader.cancel(),
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  await mkdir(SHOTS, { recursive: true });
  store = createStore({ database: ':memory:' });
  await store.migrate();
  const project = await store.createProject({ name: 'Workflow test' });
  readKey = (await store.createApiKey({ projectId: project.id, scope: 'read' })).key;
  const collector = createSightlineApp({
    store,
    logger: createLogger({ level: 'silent' }),
    dashboardDir: DIST_DIR,
  });
  workflows = serveWorkflows({
    workflows: [onboarding, broken],
    tracker: false,
    onError: (error, run) => failures.push(`${run.workflow}: ${(error as Error).message}`),
    getUser: (request) =>
      request.headers.get('authorization') === `Bearer ${readKey}` ? { id: 'tester' } : undefined,
  });
  const app = new Hono();
  app.use('/workflows/runs/:id/events', async (c, next) => {
    const lastEventId = c.req.header('last-event-id');
    if (lastEventId) lastEventIds.push(lastEventId);
    await next();
    if (dropFirstStream && !lastEventId && c.res.ok) {
      dropFirstStream = false;
      c.res = cutAfterFirstAsk(c.res);
    }
  });
  app.route('/', workflows);
  app.route('/', collector.app);
  server = await listen({ collector, app: app as never, port: 0, onClose: () => store.close() });
  browser = await launchChromium();
  page = await browser.newPage({ width: 1280, height: 860 });
  await page.goto(`${server.url}/#key=${readKey}`);
  await page.locator('nav[aria-label="Sections"]').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await workflows?.close();
  await server?.close();
});

afterEach(() => {
  expect(browser.problems).toEqual([]);
});

/** The question whose prompt is `prompt`. */
function question(prompt: string): Locator {
  return page.locator('.wf-question', { hasText: prompt });
}

async function startOnboarding(company?: string): Promise<void> {
  await page.goto(`${server.url}/#/chat/workflows/onboarding`);
  const field = page.getByLabel('company');
  await eventually(() => field.inputValue()).toBe('Acme');
  if (company) await field.fill(company);
  await page.getByRole('button', { name: 'Start' }).click();
  await eventually(() => page.url()).toMatch(/#\/chat\/workflows\/onboarding\?run=/);
}

describe('workflows on the Chat page in Chromium', () => {
  it('lists the workflows, runs one answering by typing, suggestion, choices and a secret', async () => {
    await page.getByRole('link', { name: 'Chat' }).click();
    const row = page.getByRole('row', { name: 'Workflow onboarding' });
    await row.waitFor();
    // No agent routes are mounted: only workflows are offered.
    expect(await page.getByRole('heading', { name: 'Agents' }).count()).toBe(0);
    expect(await row.textContent()).toContain('company');
    await shot('workflow-list');
    await row.focus();
    await page.keyboard.press('Enter');
    await eventually(() => page.url()).toMatch(/#\/chat\/workflows\/onboarding$/);
    await page.getByLabel('company').fill('Initech');
    await shot('workflow-start');
    await page.getByRole('button', { name: 'Start' }).click();

    await page.getByText("Welcome! Let's set up Initech.").waitFor();
    const name = question('What is your name?');
    await name.waitFor();
    // The new question takes the focus: typing answers it.
    await eventually(() => name.locator('input').evaluate((el) => el === document.activeElement)).toBe(true);
    await shot('workflow-ask');
    await page.keyboard.type('Linus');
    await page.keyboard.press('Enter');
    await eventually(() => name.getAttribute('data-state')).toBe('answered');
    expect(await name.locator('input').isDisabled()).toBe(true);
    expect(await name.locator('input').inputValue()).toBe('Linus');
    expect(await name.getByRole('button', { name: 'Ada' }).isDisabled()).toBe(true);

    const team = question('Which team are you on?');
    await team.getByRole('button', { name: 'Support' }).click();
    await eventually(() => team.getAttribute('data-state')).toBe('answered');
    expect(await team.getByRole('button', { name: 'Support' }).getAttribute('aria-pressed')).toBe('true');

    const plan = question('Which plan?');
    await plan.getByRole('button', { name: 'Pro' }).click();
    await eventually(() => plan.getAttribute('data-state')).toBe('answered');
    expect(await plan.getByRole('button', { name: 'Free' }).isDisabled()).toBe(true);

    const addons = question('Which add-ons?');
    await addons.getByLabel('SSO').check();
    await addons.getByLabel('Audit log').check();
    await shot('workflow-choose');
    await addons.getByRole('button', { name: /Submit/ }).click();
    await eventually(() => addons.getAttribute('data-state')).toBe('answered');
    expect(await addons.getByLabel('Priority support').isDisabled()).toBe(true);

    const secret = question('Choose an API secret');
    expect(await secret.locator('input').getAttribute('type')).toBe('password');
    await secret.locator('input').fill('hunter22');
    await secret.getByRole('button', { name: 'Send' }).click();

    const result = page.getByRole('article', { name: 'Result' });
    await result.waitFor();
    expect(await result.textContent()).toContain(
      'Linus (Support) on Pro with SSO + Audit log; secret of 8 characters',
    );
    await page.getByText('Thanks, Linus. Creating the account…').waitFor();
    expect(await page.locator('.wf-status').textContent()).toBe('Completed.');
    expect(await page.getByRole('button', { name: 'Stop' }).count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toContain('hunter22');
    expect(await secret.locator('input').inputValue()).toBe('');
    await shot('workflow-completed');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('workflow-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.setViewportSize({ width: 390, height: 844 });
    await result.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot('workflow-390');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('resumes after the stream drops, and after a reload, without repeating anything', async () => {
    dropFirstStream = true;
    lastEventIds.length = 0;
    await startOnboarding();
    const name = question('What is your name?');
    await name.waitFor();
    // The first stream ended right after this question; the page reconnects after it.
    await eventually(() => lastEventIds.length).toBeGreaterThan(0);
    expect(Number(lastEventIds[0])).toBeGreaterThanOrEqual(3);
    await name.getByRole('button', { name: 'Grace' }).click();
    await eventually(() => name.getAttribute('data-state')).toBe('answered');
    await question('Which team are you on?').getByRole('button', { name: 'Sales' }).click();
    await question('Which plan?').waitFor();
    expect(await page.getByText("Welcome! Let's set up Acme.").count()).toBe(1);
    expect(await page.locator('.wf-question').count()).toBe(3);

    // A reload shows the conversation from this tab and follows the run from where it was.
    const url = page.url();
    const before = lastEventIds.length;
    await page.reload();
    await question('Which plan?').getByRole('button', { name: 'Enterprise' }).click();
    expect(page.url()).toBe(url);
    expect(lastEventIds.length).toBeGreaterThan(before);
    expect(await question('What is your name?').locator('input').inputValue()).toBe('Grace');
    await question('Which add-ons?')
      .getByRole('button', { name: /Submit/ })
      .click();
    await question('Choose an API secret').locator('input').fill('s3cret');
    await question('Choose an API secret').locator('input').press('Enter');
    const result = page.getByRole('article', { name: 'Result' });
    await result.waitFor();
    expect(await result.textContent()).toContain('Grace (Sales) on Enterprise with no add-ons');
    expect(await page.locator('.wf-question').count()).toBe(5);
  });

  it('stops a run with Stop, and shows why a workflow failed', async () => {
    await startOnboarding();
    const name = question('What is your name?');
    await name.waitFor();
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByText('cancelled by the user').waitFor();
    await eventually(() => name.getAttribute('data-state')).toBe('closed');
    expect(await name.locator('input').isDisabled()).toBe(true);
    expect(await page.locator('.wf-status').textContent()).toBe('Stopped.');
    await shot('workflow-stopped');
    await page.getByRole('button', { name: 'Run again' }).click();
    await eventually(() => page.url()).toMatch(/#\/chat\/workflows\/onboarding$/);

    await page.goto(`${server.url}/#/chat/workflows/broken`);
    await page.getByRole('button', { name: 'Start' }).click();
    await question('Ready?').getByRole('button', { name: 'Yes' }).click();
    const failure = page.locator('.wf-log [role="alert"]');
    await failure.waitFor();
    // The person is told it failed (internals stay on the server, which reported the cause).
    expect(await failure.textContent()).toContain('The workflow failed (internal)');
    expect(await failure.textContent()).not.toContain('billing');
    expect(failures).toEqual(['broken: the billing service is down']);
    expect(await page.locator('.wf-status').textContent()).toBe('Failed.');
  });

  it('names the parameter the server refused', async () => {
    await page.goto(`${server.url}/#/chat/workflows/onboarding`);
    await page.getByLabel('company').fill('A');
    await page.getByRole('button', { name: 'Start' }).click();
    const banner = page.getByRole('alert');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('params.company');
    // The browser reports the refused request itself; that is the expected 400, nothing else.
    expect(browser.problems).toHaveLength(1);
    expect(browser.problems[0]).toContain('400');
    browser.problems.length = 0;
  });
});

/** Polls `read` until the expectation holds (10 s: browser tests share two busy cores). */
function eventually<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 10_000 });
}

function shot(name: string) {
  return page.screenshot({ path: join(SHOTS, `${name}.png`) });
}
