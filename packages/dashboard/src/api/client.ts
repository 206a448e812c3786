/** A typed client for the collector's read API, bound to one read key. */
import { fetchJson } from './fetch-json.ts';
import type {
  ConversationDetail,
  ConversationSummary,
  CustomerSummary,
  IngestionHealth,
  MetricsResponse,
  Page,
  ProjectInfo,
  StoredStep,
} from './types.ts';

export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string>;
export type QueryParams = Record<string, QueryValue>;

/** Builds `path?query`, dropping empty values and repeating array values (`metadata=a&metadata=b`). */
export function withQuery(path: string, params: QueryParams = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const item of value) search.append(name, item);
    else search.set(name, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

export class ApiClient {
  readonly key: string;
  readonly baseUrl: string;

  constructor(key: string, baseUrl = '') {
    this.key = key;
    this.baseUrl = baseUrl;
  }

  /** GETs a JSON document; throws ApiError on an error answer or network failure. */
  get<T>(path: string, params?: QueryParams, signal?: AbortSignal): Promise<T> {
    return fetchJson(this.baseUrl + withQuery(path, params), {
      headers: { authorization: `Bearer ${this.key}`, accept: 'application/json' },
      ...(signal ? { signal } : {}),
    });
  }

  project(signal?: AbortSignal): Promise<ProjectInfo> {
    return this.get('/v1/project', {}, signal);
  }

  conversations(params: QueryParams, signal?: AbortSignal): Promise<Page<ConversationSummary>> {
    return this.get('/v1/conversations', params, signal);
  }

  conversation(id: string, signal?: AbortSignal): Promise<ConversationDetail> {
    return this.get(`/v1/conversations/${encodeURIComponent(id)}`, {}, signal);
  }

  metrics(params: QueryParams, signal?: AbortSignal): Promise<MetricsResponse> {
    return this.get('/v1/metrics', params, signal);
  }

  customers(params: QueryParams, signal?: AbortSignal): Promise<Page<CustomerSummary>> {
    return this.get('/v1/customers', params, signal);
  }

  toolCalls(name: string, params: QueryParams, signal?: AbortSignal): Promise<{ data: StoredStep[] }> {
    return this.get(`/v1/tools/${encodeURIComponent(name)}/calls`, params, signal);
  }

  ingestionHealth(signal?: AbortSignal): Promise<IngestionHealth> {
    return this.get('/v1/ingestion/health', {}, signal);
  }

  /** The URL of the live SSE feed (EventSource cannot send headers, so the key rides in the query). */
  liveUrl(): string {
    return `${this.baseUrl}${withQuery('/v1/live', { access_token: this.key })}`;
  }
}
