/**
 * Test helper: builds the dashboard (`vite build`) when dist/index.html is missing or older than any
 * source file, so browser tests always run the current code. Test files running in parallel take a
 * lock (a directory) so only one of them builds.
 */
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { mkdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const DIST_DIR = join(PACKAGE_DIR, 'dist');

function newestSourceMs(): number {
  let newest = 0;
  const visit = (path: string) => {
    const info = statSync(path);
    if (info.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, info.mtimeMs);
  };
  for (const entry of ['src', 'index.html', 'vite.config.ts', 'package.json'])
    visit(join(PACKAGE_DIR, entry));
  return newest;
}

function builtMs(): number {
  try {
    return statSync(join(DIST_DIR, 'index.html')).mtimeMs;
  } catch {
    return 0;
  }
}

const LOCK = join(PACKAGE_DIR, '.build-lock');

async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock older than two minutes was left by a killed run.
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (attempt > 1200 || age > 120_000) await rmdir(LOCK).catch(() => {});
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    await rmdir(LOCK).catch(() => {});
  }
}

/** Builds unless dist is up to date; resolves to whether it built. */
export async function ensureDashboardBuilt(): Promise<boolean> {
  if (builtMs() > newestSourceMs()) return false;
  return withBuildLock(async () => {
    if (builtMs() > newestSourceMs()) return false;
    await build();
    return true;
  });
}

async function build(): Promise<void> {
  const vite = join(PACKAGE_DIR, '..', '..', 'node_modules', 'vite', 'bin', 'vite.js');
  await promisify(execFile)(process.execPath, [vite, 'build', '--logLevel', 'error'], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
