/**
 * On a Node.js too old for Sightline's TypeScript sources, `sightline` (and so `npm start`) prints one
 * line naming the Node.js needed and how to get it, and exits 1, instead of ERR_UNKNOWN_FILE_EXTENSION.
 * Runs the real bin under an old Node when the machine has one (Debian's /usr/bin/node is 20), else
 * under this Node with process.versions.node set to 20.20.2 before the bin runs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../bin/node-version.js';
import { BIN } from './spawn-cli.ts';

/** A Node.js binary older than 22 on this machine, with its version, if there is one. */
function oldNode(): { path: string; version: string } | undefined {
  const candidates = new Set(['/usr/bin/node', '/usr/local/bin/node']);
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir) candidates.add(join(dir, 'node'));
  for (const path of candidates) {
    try {
      const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
      if (Number(version.split('.')[0]) < 22) return { path, version };
    } catch {
      // not there, or not runnable
    }
  }
  return undefined;
}

describe('the Node.js version check', () => {
  it('accepts Node 22.18+, 23.6+ and 24+, and names what to install otherwise', () => {
    for (const ok of ['22.18.0', '22.20.1', '23.6.0', '24.0.0', 'v24.11.1', '26.1.0']) {
      expect(nodeVersionProblem(ok), ok).toBeUndefined();
    }
    for (const old of ['20.20.2', '18.19.0', '22.17.1', '23.5.0', 'v21.7.3']) {
      const message = nodeVersionProblem(old);
      expect(message, old).toContain(`Node.js 22.18 or newer, found ${old}`);
      expect(message).toContain('nvm install 24');
      expect(message).toContain('scripts/use-node24.sh');
      expect(message).not.toContain('\n');
    }
  });

  it('makes `sightline start` on Node 20 print that one line and exit 1, before importing any .ts', () => {
    const old = oldNode();
    const version = old?.version ?? '20.20.2';
    const fake = `data:text/javascript,Object.defineProperty(process.versions,'node',{value:'${version}'})`;
    const [command, args] = old
      ? [old.path, [BIN, 'start', '--port', '0']]
      : [process.execPath, ['--import', fake, BIN, 'start', '--port', '0']];
    const home = mkdtempSync(join(tmpdir(), 'sightline-old-node-'));
    try {
      const run = spawnSync(command, args, {
        cwd: home,
        env: { ...process.env, SIGHTLINE_HOME: home },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`${nodeVersionProblem(version)}\n`);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
