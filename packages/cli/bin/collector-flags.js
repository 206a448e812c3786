// The Node.js flags `sightline start` runs the collector with. Plain JavaScript, so that the `sightline`
// bin can apply them before it loads any TypeScript source.
//
// --max-semi-space-size=8: V8 grows its young generation while a process allocates steadily, up to 64 MB
// per semi-space (128 MB in all) on a 64-bit machine with memory to spare, and gives it back only once the
// process idles. A collector exporting 1M conversations did exactly that: its RSS rose from 140 MB to
// 249 MB. Capped at 8 MB per semi-space the same export peaked at 156 MB, with no measurable cost to
// ingest throughput (bench/ingest/README.md, Export). Smaller is not better: at 4 MB, objects still in
// use are promoted early and the old generation grows instead.
// --heap-growing-percent=60: after a full collection V8 lets the old generation grow to a multiple of what
// survived (its own factor, up to 4x); objects promoted from the capped young generation and dead soon
// after then pile up to that limit. On PostgreSQL, whose results arrive asynchronously (rows live across
// young collections), an export's old generation swung between ~45 and ~100 MB and a collector exporting
// 1M conversations peaked at 251-262 MB; with the factor fixed at 1.6, 167-168 MB. Ingest throughput
// measured alike (CPU +5-7 %); 30 % cost ~15 % more CPU.
// V8 reads both when the process starts only, so `sightline start` re-executes itself with them, in
// place (process.execve: the same pid, so supervisors and `kill` still see the server).
import { accessSync, constants } from 'node:fs';

/** The flags. */
export const COLLECTOR_NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=60'];

/**
 * Whether a process started with `execArgv` and `NODE_OPTIONS` still needs the flags: not when it has
 * them, nor when its heap was tuned by hand (`--max-semi-space-size`, `--max-heap-size`,
 * `--heap-growing-percent`; `--max-semi-space-size=0` for V8's defaults).
 */
export function needsCollectorFlags(execArgv, nodeOptions) {
  const given = [...execArgv, ...String(nodeOptions ?? '').split(/\s+/)];
  return !given.some((flag) =>
    /^--(max[-_](semi[-_]space|heap)[-_]size|heap[-_]growing[-_]percent)\b/.test(flag),
  );
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
