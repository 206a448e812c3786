// The Node.js flags `sightline start` runs the collector with. Plain JavaScript, so that the `sightline`
// bin can apply them before it loads any TypeScript source.
//
// V8 grows its young generation while a process allocates steadily, up to 64 MB per semi-space (128 MB
// in all) on a 64-bit machine with memory to spare, and gives it back only once the process idles. A
// collector exporting 1M conversations did exactly that: its RSS rose from 140 MB to 249 MB (322 MB with
// the list's page cache warm). Capped at 8 MB per semi-space the same export peaked at 156 MB (230 MB
// warm), with no measurable cost to ingest throughput (bench/ingest/README.md, Export). Smaller is not
// better: at 4 MB, objects still in use are promoted early and the old generation grows instead.
// V8 reads the cap when the process starts only, so `sightline start` re-executes itself with it, in
// place (process.execve: the same pid, so supervisors and `kill` still see the server).
import { accessSync, constants } from 'node:fs';

/** The flags. */
export const COLLECTOR_NODE_FLAGS = ['--max-semi-space-size=8'];

/**
 * Whether a process started with `execArgv` and `NODE_OPTIONS` still needs the flags: not when it has
 * them, nor when its young generation was sized by hand (`--max-semi-space-size`, `--max-heap-size`,
 * `--max-semi-space-size=0` for V8's default).
 */
export function needsCollectorFlags(execArgv, nodeOptions) {
  const given = [...execArgv, ...String(nodeOptions ?? '').split(/\s+/)];
  return !given.some((flag) => /^--max[-_](semi[-_]space|heap)[-_]size\b/.test(flag));
}

/**
 * Re-executes this process with the collector flags when it needs them and the platform can (not on
 * Windows, nor in a worker, nor where this Node binary may not be executed); otherwise returns and the
 * process goes on as it is. Call it before anything is printed or opened: nothing of this process
 * image survives but its standard input, output and error.
 */
export function execWithCollectorFlags() {
  if (!needsCollectorFlags(process.execArgv, process.env.NODE_OPTIONS)) return;
  if (typeof process.execve !== 'function' || process.platform === 'win32') return;
  try {
    // Node 24 aborts the process when execve(2) fails, so only a Node binary this process may run.
    accessSync(process.execPath, constants.X_OK);
  } catch {
    return;
  }
  const args = [...COLLECTOR_NODE_FLAGS, ...process.execArgv, ...process.argv.slice(1)];
  process.execve(process.execPath, [process.execPath, ...args], process.env);
}
