/**
 * `sightline start` runs with V8's young generation capped (bin/collector-flags.js): it re-executes itself
 * in place with the flag, keeping its pid, unless the young generation was sized by hand.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COLLECTOR_NODE_FLAGS, needsCollectorFlags } from '../bin/collector-flags.js';
import { startCli } from './spawn-cli.ts';

/** The command line a process runs now, as `ps` shows it. */
function commandLine(pid: number | undefined): string {
  return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim();
}

describe('the collector flags of sightline start', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sightline-flags-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('are needed unless the young generation or the heap was sized by hand', () => {
    expect(COLLECTOR_NODE_FLAGS).toEqual(['--max-semi-space-size=8']);
    expect(needsCollectorFlags([], undefined)).toBe(true);
    expect(needsCollectorFlags(['--inspect'], '--enable-source-maps')).toBe(true);
    expect(needsCollectorFlags(['--max-semi-space-size=8'], undefined)).toBe(false);
    expect(needsCollectorFlags([], '--max-semi-space-size=0')).toBe(false);
    expect(needsCollectorFlags([], ' --trace-gc  --max_semi_space_size=32')).toBe(false);
    expect(needsCollectorFlags(['--max-heap-size=512'], '')).toBe(false);
    expect(needsCollectorFlags(['--max-old-space-size=512'], '')).toBe(true);
  });

  it('re-executes start in place: the same pid, now running with the flag', async () => {
    const cli = await startCli({ cwd: dir, args: ['--no-agents'], env: { NODE_OPTIONS: '' } });
    try {
      const health = await fetch(`${cli.url}/healthz`);
      expect(health.status).toBe(200);
      expect(commandLine(cli.child.pid)).toContain(`${COLLECTOR_NODE_FLAGS[0]} `);
      expect(commandLine(cli.child.pid)).toContain('sightline.js start --port 0 --no-agents');
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it('leaves a process whose young generation was sized by hand as it is', async () => {
    const cli = await startCli({
      cwd: dir,
      args: ['--no-agents'],
      env: { NODE_OPTIONS: '--max-semi-space-size=0' },
    });
    try {
      expect(commandLine(cli.child.pid)).not.toContain('--max-semi-space-size');
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });
});
