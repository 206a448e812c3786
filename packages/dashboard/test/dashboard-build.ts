/**
 * Test helper: builds the dashboard (`vite build`) when dist/index.html is missing or older than any
 * source file, so browser tests always run the current code.
 */
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

/** Builds unless dist is up to date; resolves to whether it built. */
export async function ensureDashboardBuilt(): Promise<boolean> {
  if (builtMs() > newestSourceMs()) return false;
  const vite = join(PACKAGE_DIR, '..', '..', 'node_modules', 'vite', 'bin', 'vite.js');
  await promisify(execFile)(process.execPath, [vite, 'build', '--logLevel', 'error'], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return true;
}
