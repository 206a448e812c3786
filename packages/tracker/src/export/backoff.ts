/** Retry timing of the exporter: exponential backoff with jitter, and the server's Retry-After. */

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Delay before retry number `attempt` (1-based): exponential from `baseDelayMs`, capped at
 * `maxDelayMs`, with "equal jitter" (half fixed, half random) so many clients do not retry in step.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exponential = options.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(options.maxDelayMs, exponential);
  return capped / 2 + random() * (capped / 2);
}

/** Longest Retry-After the tracker honours (a server asking for more gets this). */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** Parses a Retry-After header (delta seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.min(MAX_RETRY_AFTER_MS, Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, date - now));
}

/** The delay before the next attempt: the server's Retry-After when given (plus up to 10% jitter), else backoff. */
export function nextRetryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return retryAfterMs + random() * retryAfterMs * 0.1;
  return backoffDelay(attempt, options, random);
}

/** The wait before a retry: unref'd (it never keeps the process alive), and `wake()` ends it early. */
export class Sleeper {
  private current: { timer: NodeJS.Timeout; resolve: () => void } | null = null;

  /** Resolves after `ms`, or at `wake()`. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.current = null;
        resolve();
      }, ms);
      timer.unref();
      this.current = { timer, resolve };
    });
  }

  /** Ends the current sleep now (on stop). */
  wake(): void {
    if (!this.current) return;
    clearTimeout(this.current.timer);
    this.current.resolve();
    this.current = null;
  }
}
