import type { ClientReport, ErrorCode, IngestResult } from '@sightline/core';
import { describeError, TrackerError } from '../errors.ts';
import type { EncodedEvent } from '../raw-event.ts';
import { parseRetryAfter } from './backoff.ts';

/** How one POST /v1/ingest ended, as the exporter needs to know it. */
export type SendOutcome =
  /** 2xx: the server answered for the batch (per-event results when it sent them). */
  | { kind: 'acknowledged'; status: number; results: IngestResult[] | undefined }
  /** Worth retrying later: network failure, timeout, 408, 429, 5xx. */
  | { kind: 'retry'; error: TrackerError; retryAfterMs: number | undefined }
  /** 413: split the batch and try again. */
  | { kind: 'too_large'; error: TrackerError }
  /** Refused for good (400, 401, 403, 404...): the events fail with this reason. */
  | { kind: 'refused'; error: TrackerError };

export interface IngestClientOptions {
  endpoint: string;
  apiKey: string | undefined;
  fetch: typeof fetch;
  timeoutMs: number;
  userAgent: string;
}

/** The body of `POST /v1/ingest`, spliced from already-serialized events (nothing is re-serialized). */
export function buildIngestBody(events: readonly EncodedEvent[], client: ClientReport): string {
  let joined = '';
  for (let index = 0; index < events.length; index++) {
    joined += index === 0 ? (events[index] as EncodedEvent).json : `,${(events[index] as EncodedEvent).json}`;
  }
  return `{"events":[${joined}],"client":${JSON.stringify(client)}}`;
}

const RETRY_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Posts one batch body to `{endpoint}/v1/ingest`. Never throws: every failure is an outcome. */
export async function postIngest(options: IngestClientOptions, body: string): Promise<SendOutcome> {
  const url = `${options.endpoint.replace(/\/+$/, '')}/v1/ingest`;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': options.userAgent,
  };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  let response: Response;
  try {
    response = await options.fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (!response || typeof response.status !== 'number') throw new TypeError('fetch returned no response');
  } catch (cause) {
    const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
    return {
      kind: 'retry',
      retryAfterMs: undefined,
      error: new TrackerError(
        timedOut ? 'timeout' : 'upstream_failed',
        timedOut
          ? `collector at ${url} did not answer within ${options.timeoutMs} ms`
          : `cannot reach the collector at ${url}: ${describeError(cause)}`,
        { cause },
      ),
    };
  }
  return classify(response, url);
}

async function classify(response: Response, url: string): Promise<SendOutcome> {
  const { status } = response;
  const payload = await readJson(response);
  const results = (payload as { results?: unknown } | undefined)?.results;
  // 2xx, or a 400 that still answers per event (every event rejected): settle each with its reason.
  if ((status >= 200 && status < 300) || (status === 400 && Array.isArray(results))) {
    return {
      kind: 'acknowledged',
      status,
      results: Array.isArray(results) ? (results as IngestResult[]) : undefined,
    };
  }
  const serverMessage = (payload as { error?: { message?: unknown } } | undefined)?.error?.message;
  const detail = typeof serverMessage === 'string' ? `: ${serverMessage}` : '';
  if (status === 413) {
    return {
      kind: 'too_large',
      error: new TrackerError('payload_too_large', `collector refused a batch as too large${detail}`, {
        status,
      }),
    };
  }
  if (RETRY_STATUSES.has(status) || status >= 500) {
    const code: ErrorCode =
      status === 429 ? 'rate_limited' : status === 503 ? 'overloaded' : 'upstream_failed';
    return {
      kind: 'retry',
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      error: new TrackerError(code, `collector answered ${status}${detail}`, { status }),
    };
  }
  return { kind: 'refused', error: refusal(status, url, detail) };
}

function refusal(status: number, url: string, detail: string): TrackerError {
  if (status === 401 || status === 403) {
    return new TrackerError(
      status === 401 ? 'unauthorized' : 'forbidden',
      `collector refused the ingest key (${status})${detail}; set SIGHTLINE_API_KEY to an ingest key (sl_ingest_...) or run \`sightline start\``,
      { status },
    );
  }
  if (status === 404) {
    return new TrackerError('not_found', `no ingest endpoint at ${url} (404); check SIGHTLINE_ENDPOINT`, {
      status,
    });
  }
  return new TrackerError('invalid_request', `collector refused the batch (${status})${detail}`, { status });
}

async function readJson(response: Response): Promise<unknown> {
  try {
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
