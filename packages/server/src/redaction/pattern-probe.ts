/**
 * Probes a project's patterns when they are saved: each runs, in a worker thread, over texts made to
 * trip a backtracking engine (long runs of the characters the pattern names, and of common ones, each
 * a window long and ending in a character that breaks the match). A pattern whose run takes longer
 * than `limitMs` (or whose worker is still busy then, and is terminated) is refused. This catches
 * ambiguous alternations such as `(a|a)*b` that the static check (pattern-check.ts) cannot see.
 */
import { Worker } from 'node:worker_threads';
import { OVERLAP, WINDOW } from './user-pattern.ts';

/** The worker: times each pattern over each probe text and posts the slowest time per pattern. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { patterns, flags, length } = workerData;
const common = ['a', 'A', '0', '1', ' ', '-', '.', '_', '@', '/', 'é', '\\n'];
for (const source of patterns) {
  const regex = new RegExp(source, flags);
  const named = [...new Set(source.replace(/\\\\./g, '').match(/[\\x21-\\x7e]/g) || [])].slice(0, 24);
  const chars = [...new Set([...common, ...named])];
  let slowest = 0;
  const texts = [];
  for (const c of chars) {
    texts.push(c.repeat(length), c.repeat(length - 1) + '\\u0001');
  }
  for (let i = 0; i + 1 < chars.length; i += 1) texts.push((chars[i] + chars[i + 1]).repeat(length / 2) + '\\u0001');
  for (const text of texts) {
    const started = performance.now();
    regex.lastIndex = 0;
    let guard = 0;
    for (let m = regex.exec(text); m !== null && guard < 100000; m = regex.exec(text), guard += 1) {
      if (m[0].length === 0) regex.lastIndex += 1;
    }
    slowest = Math.max(slowest, performance.now() - started);
  }
  parentPort.postMessage({ source, slowest });
}
`;

/** For each pattern that ran too long on a probe, a message saying so (keyed by its index). */
export async function probePatterns(
  sources: readonly string[],
  options: { flags: string; limitMs?: number },
): Promise<Map<number, string>> {
  const limitMs = options.limitMs ?? 100;
  const problems = new Map<number, string>();
  if (sources.length === 0) return problems;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { patterns: sources, flags: options.flags, length: WINDOW + OVERLAP },
  });
  const tooSlow = (ms: number) =>
    `takes too long on some texts (over ${Math.round(ms)} ms on ${WINDOW + OVERLAP} characters, the most one pass sees); make it less ambiguous`;
  let done = 0;
  // Each pattern gets its own time: the worker is stopped when one of them runs past its limit.
  const deadline = limitMs * 10;
  await new Promise<void>((resolve) => {
    let timer = setTimeout(stop, deadline);
    function stop(): void {
      problems.set(done, tooSlow(deadline));
      void worker.terminate();
      resolve();
    }
    worker.on('message', (result: { slowest: number }) => {
      if (result.slowest > limitMs) problems.set(done, tooSlow(result.slowest));
      done += 1;
      clearTimeout(timer);
      if (done === sources.length) {
        void worker.terminate();
        resolve();
      } else {
        timer = setTimeout(stop, deadline);
      }
    });
    worker.on('error', (error) => {
      problems.set(done, `could not be tried: ${error.message}`);
      clearTimeout(timer);
      resolve();
    });
  });
  return problems;
}
