/**
 * `sightline start` runs with V8's young generation capped and its old generation's growth fixed
 * (bin/collector-flags.js): it re-executes itself in place with the flags, keeping its pid, unless the
 * heap was tuned by hand.
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
    expect(COLLECTOR_NODE_FLAGS).toEqual(['--max-semi-space-size=8', '--heap-growing-percent=60']);
    expect(needsCollectorFlags([], undefined)).toBe(true);
    expect(needsCollectorFlags(['--inspect'], '--enable-source-maps')).toBe(true);
    expect(needsCollectorFlags(['--max-semi-space-size=8'], undefined)).toBe(false);
    expect(needsCollectorFlags([], '--max-semi-space-size=0')).toBe(false);
    expect(needsCollectorFlags([], ' --trace-gc  --max_semi_space_size=32')).toBe(false);
    expect(needsCollectorFlags(['--max-heap-size=512'], '')).toBe(false);
    expect(needsCollectorFlags(['--max-old-space-size=512'], '')).toBe(true);
    expect(needsCollectorFlags(['--heap-growing-percent=30'], undefined)).toBe(false);
    expect(needsCollectorFlags(['--heap_growing_percent=0'], undefined)).toBe(false);
  });

  it('re-executes start in place: the same pid, now running with the flags', async () => {
    const cli = await startCli({ cwd: dir, args: ['--no-agents'], env: { NODE_OPTIONS: '' } });
    try {
      const health = await fetch(`${cli.url}/healthz`);
      expect(health.status).toBe(200);
      for (const flag of COLLECTOR_NODE_FLAGS) expect(commandLine(cli.child.pid)).toContain(`${flag} `);
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
      expect(commandLine(cli.child.pid)).not.toContain('--heap-growing-percent');
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });
});
