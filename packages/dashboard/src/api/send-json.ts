/**
 * Sends a change to the collector (POST, PUT, PATCH, DELETE) with the session's key and a JSON body
 * (answers read by fetchJson, as reads are).
 */
import type { ApiClient } from './client.ts';
import { fetchJson } from './fetch-json.ts';

/** A write request: method, path (with its encoded ids) and the JSON body, if any. */
export interface JsonRequest {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
}

/** Sends the request; resolves to the JSON answer, throws ApiError on an error answer or no answer. */
export function sendJson<T>(client: Pick<ApiClient, 'key' | 'baseUrl'>, request: JsonRequest): Promise<T> {
  return fetchJson(client.baseUrl + request.path, {
    method: request.method,
    headers: {
      authorization: `Bearer ${client.key}`,
      accept: 'application/json',
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  });
}
