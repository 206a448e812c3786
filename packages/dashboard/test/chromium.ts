/**
 * Test helper: a local Chromium (see find-chromium.ts: env var, system, Playwright cache, else the one
 * shipped inside an npm package; never a download) driven by playwright-core, in a fresh profile, with
 * every console error and page error collected so a test can fail on them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { type ChromiumChoice, findChromium } from './find-chromium.ts';

let choice: Promise<ChromiumChoice> | undefined;

/** The Chromium this test process drives (found once). */
export function chromiumChoice(): Promise<ChromiumChoice> {
  choice ??= findChromium();
  return choice;
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** The launch error's first line, with what to install when Chromium's shared libraries are missing. */
function launchHint(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const missing = /error while loading shared libraries: (\S+)/.exec(message)?.[1];
  const first = message.split('\n')[0] ?? message;
  return missing
    ? `${missing} is missing (on Debian/Ubuntu: apt-get install libnss3 libnspr4 libexpat1)`
    : first;
}

export interface Browser {
  context: BrowserContext;
  /** Console errors and uncaught page errors seen so far, across pages. */
  problems: string[];
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh `--user-data-dir` that is removed on close. */
export async function launchChromium(): Promise<Browser> {
  const { path, source } = await chromiumChoice();
  const profile = await mkdtemp(join(tmpdir(), 'sightline-chromium-'));
  const context = await chromium
    .launchPersistentContext(profile, {
      executablePath: path,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 860 },
    })
    .catch(async (error: unknown) => {
      await rm(profile, { recursive: true, force: true });
      throw new Error(`could not start Chromium ${path} (${source}): ${launchHint(error)}`, { cause: error });
    });
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  };
  for (const page of context.pages()) watch(page);
  context.on('page', watch);
  return {
    context,
    problems,
    async newPage(viewport) {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      return page;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
