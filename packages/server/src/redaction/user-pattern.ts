/**
 * A project's own pattern at work. JavaScript has no regex time-out, so the work is bounded instead:
 * a text longer than a window is matched window by window (each window's exec sees at most
 * WINDOW + OVERLAP characters, so a pattern's worst case is paid on a few KiB, never on 100,000
 * characters), and the time spent is measured after every window against the event's budget; over
 * it (twice in a row: a pause of the process is not the pattern's doing), the rule fails and the event
 * is not stored (fail closed). Patterns that repeat repeated groups or
 * use backreferences are refused when saved (pattern-check.ts), and each is probed there on
 * adversarial texts in a worker that is stopped when it runs long (pattern-probe.ts).
 */
import { PATTERN_FLAGS } from './pattern-check.ts';
import { RedactionRuleError, type RedactionRun } from './redaction-run.ts';

/** Characters one exec sees at most, besides the overlap. */
export const WINDOW = 4_096;
/** Characters shared by consecutive windows: a match up to this long is found whole across a boundary. */
export const OVERLAP = 256;

export interface UserPattern {
  readonly name: string;
  readonly regex: RegExp;
  readonly replacement: string;
}

/** Compiles a saved pattern (checked when it was saved). */
export function compileUserPattern(pattern: {
  name: string;
  pattern: string;
  replacement?: string | undefined;
}): UserPattern {
  return {
    name: pattern.name,
    regex: new RegExp(pattern.pattern, PATTERN_FLAGS),
    replacement: pattern.replacement ?? `[REDACTED:${pattern.name}]`,
  };
}

interface Found {
  start: number;
  end: number;
}

/**
 * Replaces the pattern's matches in `text`, charging the time to `run`; throws RedactionRuleError over
 * budget. Time is wall-clock, which a garbage collection or a busy machine can stretch, so a pass over
 * budget is tried once more before the rule fails: a slow pattern is slow every time, a pause is not.
 */
export function applyUserPattern(pattern: UserPattern, text: string, run: RedactionRun): string {
  const budget = run.budgetMs - run.userMs;
  let found = scan(pattern, text, budget);
  if (found.overMs !== null) found = scan(pattern, text, budget);
  if (found.overMs !== null) {
    run.userMs += found.overMs;
    throw new RedactionRuleError(
      pattern.name,
      `took over its budget of ${run.budgetMs} ms on this event; simplify the pattern`,
    );
  }
  run.userMs += found.ms;
  if (found.spans.length === 0) return text;
  run.counts[pattern.name] = (run.counts[pattern.name] ?? 0) + found.spans.length;
  let out = '';
  let copied = 0;
  for (const { start, end } of found.spans) {
    out += text.slice(copied, start) + pattern.replacement;
    copied = end;
  }
  return out + text.slice(copied);
}

/** The pattern's matches window by window; `overMs` is set when it ran past `budgetMs` (and it stopped). */
function scan(
  pattern: UserPattern,
  text: string,
  budgetMs: number,
): { spans: Found[]; ms: number; overMs: number | null } {
  const started = performance.now();
  const spans: Found[] = [];
  for (let offset = 0; ; offset += WINDOW) {
    const windowEnd = Math.min(text.length, offset + WINDOW + OVERLAP);
    const last = windowEnd === text.length;
    collect(
      pattern.regex,
      text.slice(offset, windowEnd),
      offset,
      last ? Number.POSITIVE_INFINITY : WINDOW,
      spans,
    );
    const ms = performance.now() - started;
    if (ms > budgetMs) return { spans, ms, overMs: ms };
    if (last) return { spans, ms, overMs: null };
  }
}

/** Adds the matches of one window starting before `limit` (later ones belong to the next window). */
function collect(regex: RegExp, chunk: string, offset: number, limit: number, found: Found[]): void {
  regex.lastIndex = 0;
  for (let match = regex.exec(chunk); match !== null; match = regex.exec(chunk)) {
    if (match[0].length === 0) {
      regex.lastIndex += 1;
      continue;
    }
    if (match.index >= limit) break;
    const start = offset + match.index;
    const end = start + match[0].length;
    const previous = found.at(-1);
    if (previous && start < previous.end) {
      previous.end = Math.max(previous.end, end); // the previous window's match, seen again or longer
      continue;
    }
    found.push({ start, end });
  }
}
