import { LIMITS } from '@sightline/core';
import type { ErrorHandler } from './error-reporter.ts';
import type { BeforeSend } from './event-encoder.ts';

/** How to build a tracker. Every field is optional; see the README for the defaults. */
export interface TrackerOptions {
  /** Ingest key; default SIGHTLINE_API_KEY, else the `ingestKey` of the nearest .sightline/credentials.json. */
  apiKey?: string;
  /** Collector URL; default SIGHTLINE_ENDPOINT, else the credentials file's `endpoint`, else http://127.0.0.1:4400. */
  endpoint?: string;
  /** Default environment of conversations; default SIGHTLINE_ENVIRONMENT, else from NODE_ENV. */
  environment?: string;
  /** false: every call is a cheap no-op and nothing is sent. Default true (SIGHTLINE_ENABLED=false disables). */
  enabled?: boolean;
  /** Events per request (default 500, at most 1000). */
  batchSize?: number;
  /** Longest wait before buffered events are sent (default 1000 ms). */
  flushIntervalMs?: number;
  /** Most events held in memory (default 20 000); beyond, new events are dropped and counted. */
  maxBufferEvents?: number;
  /** Most bytes held in memory (default 32 MiB); beyond, payloads are truncated, then events dropped. */
  maxBufferBytes?: number;
  /** Largest request body (default 4 MiB, at most core's 5 MiB). */
  maxBatchBytes?: number;
  /** Directory of the disk spool: events the collector could not take survive a restart. */
  spoolDir?: string;
  /** Most bytes in the spool (default 256 MiB). */
  maxSpoolBytes?: number;
  /** Redacts or drops each event (return null) before it is sent. Runs in the background. */
  beforeSend?: BeforeSend;
  /** The fetch to send with (default: global fetch). */
  fetch?: typeof fetch;
  /** Receives every problem; default one rate-limited line on stderr. Never throws into your code. */
  onError?: ErrorHandler;
  /** Timeout of one ingest request (default 10 000 ms). */
  requestTimeoutMs?: number;
  /** First retry delay (default 500 ms); doubles per failure, with jitter. */
  retryBaseDelayMs?: number;
  /** Longest retry delay (default 30 000 ms). */
  retryMaxDelayMs?: number;
  /** Bound of the flush run at process exit or on a signal (default 5000 ms). */
  shutdownTimeoutMs?: number;
  /** Flush on `beforeExit` and spool on `exit` (default true). */
  exitHooks?: boolean;
  /** Also flush on SIGTERM/SIGINT, then re-raise the signal (default false). */
  handleSignals?: boolean;
}

export interface ResolvedTrackerOptions {
  environment: string;
  enabled: boolean;
  batchSize: number;
  flushIntervalMs: number;
  maxBufferEvents: number;
  maxBufferBytes: number;
  maxBatchBytes: number;
  spoolDir: string | undefined;
  maxSpoolBytes: number;
  requestTimeoutMs: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  shutdownTimeoutMs: number;
  exitHooks: boolean;
  handleSignals: boolean;
}

const MiB = 1024 * 1024;

/** Fills in defaults and clamps numbers to sane ranges (a bad number falls back to the default). */
export function resolveTrackerOptions(
  options: TrackerOptions,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedTrackerOptions {
  const environment =
    options.environment ??
    (env.SIGHTLINE_ENVIRONMENT || (env.NODE_ENV === 'production' ? 'production' : 'development'));
  return {
    environment,
    enabled: options.enabled ?? env.SIGHTLINE_ENABLED?.toLowerCase() !== 'false',
    batchSize: integer(options.batchSize, 500, 1, LIMITS.maxBatchEvents),
    flushIntervalMs: integer(options.flushIntervalMs, 1000, 1, 3_600_000),
    maxBufferEvents: integer(options.maxBufferEvents, 20_000, 1, 10_000_000),
    maxBufferBytes: integer(options.maxBufferBytes, 32 * MiB, 1024, 4096 * MiB),
    maxBatchBytes: integer(options.maxBatchBytes, 4 * MiB, 1024, LIMITS.maxBatchBytes),
    spoolDir: options.spoolDir,
    maxSpoolBytes: integer(options.maxSpoolBytes, 256 * MiB, 1024, Number.MAX_SAFE_INTEGER),
    requestTimeoutMs: integer(options.requestTimeoutMs, 10_000, 1, 600_000),
    retryBaseDelayMs: integer(options.retryBaseDelayMs, 500, 1, 600_000),
    retryMaxDelayMs: integer(options.retryMaxDelayMs, 30_000, 1, 3_600_000),
    shutdownTimeoutMs: integer(options.shutdownTimeoutMs, 5000, 0, 600_000),
    exitHooks: options.exitHooks ?? true,
    handleSignals: options.handleSignals ?? false,
  };
}

function integer(value: number | undefined, fallback: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}
