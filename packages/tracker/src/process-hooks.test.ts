import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCollector, startFakeCollector } from './testing/fake-collector.ts';
import { createTracker } from './tracker.ts';

const script = fileURLToPath(new URL('./testing/fixtures/exit-script.ts', import.meta.url));

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
}

function runChild(env: Record<string, string>): Promise<ChildResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, SIGHTLINE_LOG_LEVEL: 'silent', ...env },
      stdio: 'ignore',
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal, ms: Date.now() - started }));
  });
}

let collector: FakeCollector;
let dir: string;

beforeEach(async () => {
  collector = await startFakeCollector();
  dir = await mkdtemp(join(tmpdir(), 'sl-exit-'));
});

afterEach(async () => {
  await collector.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('process lifecycle', () => {
  it('flushes on beforeExit when the program just ends, and the process still exits on its own', async () => {
    const result = await runChild({
      SL_ENDPOINT: collector.url,
      SL_MODE: 'natural',
      SL_CONVERSATION: 'natural',
    });
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(collector.eventsOf('natural').map((event) => event.body.content)).toEqual(['m0', 'm1', 'm2']);
  });

  it('with the collector down, exits within the shutdown bound and spools for the next process', async () => {
    await collector.stop();
    const spool = join(dir, 'spool');
    const result = await runChild({
      SL_ENDPOINT: collector.url,
      SL_MODE: 'natural',
      SL_SPOOL: spool,
      SL_SHUTDOWN_MS: '300',
    });
    expect(result.code).toBe(0);
    expect(result.ms).toBeLessThan(5000);
    expect((await readdir(spool)).length).toBe(1);

    const exited = await runChild({
      SL_ENDPOINT: collector.url,
      SL_MODE: 'exit',
      SL_SPOOL: spool,
      SL_COUNT: '2',
    });
    expect(exited.code).toBe(0);
    expect((await readdir(spool)).length).toBe(2);

    await collector.start();
    const tracker = createTracker({ endpoint: collector.url, spoolDir: spool, onError: () => undefined });
    const summary = await tracker.flush({ timeoutMs: 5000 });
    await tracker.shutdown();
    expect(summary).toMatchObject({ sent: 5, pending: 0 });
    expect(
      collector
        .eventsOf('child')
        .map((event) => event.body.content)
        .sort(),
    ).toEqual(['m0', 'm0', 'm1', 'm1', 'm2']);
    expect(await readdir(spool)).toEqual([]);
  });

  it('with handleSignals, flushes on SIGTERM and still dies of the signal', async () => {
    const result = await runChild({
      SL_ENDPOINT: collector.url,
      SL_MODE: 'sigterm',
      SL_CONVERSATION: 'signal',
    });
    expect(result.signal).toBe('SIGTERM');
    expect(collector.eventsOf('signal')).toHaveLength(3);
  });
});
