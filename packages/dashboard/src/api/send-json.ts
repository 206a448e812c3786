/**
 * Sends a change to the collector (POST, PUT, PATCH, DELETE) with the session's key and a JSON body;
 * the one place the dashboard's writes turn a refusal or a network failure into an ApiError.
 */
import { ApiError, toApiError } from './api-error.ts';
import type { ApiClient } from './client.ts';

/** A write request: method, path (with its encoded ids) and the JSON body, if any. */
export interface JsonRequest {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
}

/** Sends the request; resolves to the JSON answer, throws ApiError on an error answer or no answer. */
export async function sendJson<T>(
  client: Pick<ApiClient, 'key' | 'baseUrl'>,
  request: JsonRequest,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(client.baseUrl + request.path, {
      method: request.method,
      headers: {
        authorization: `Bearer ${client.key}`,
        accept: 'application/json',
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
  } catch {
    throw new ApiError({
      status: 0,
      code: 'network',
      message: 'The collector did not answer (network error).',
    });
  }
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as T;
}
