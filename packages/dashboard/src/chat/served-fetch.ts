/**
 * Requests to the routes `@sightline/serve` mounts next to the collector, with the read key as the
 * bearer token (the server's `getUser` decides what it is worth).
 */
import { ApiError, toApiError } from '../api/api-error.ts';

/** fetch with the bearer key; a network failure becomes an ApiError with status 0. */
export async function servedFetch(key: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${key}`);
  try {
    return await fetch(path, { ...init, headers });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError({ status: 0, code: 'network', message: 'The server did not answer (network error).' });
  }
}

/**
 * GETs a served list as JSON. A route that is not mounted answers 404, or (on a collector serving the
 * dashboard) the dashboard's own index.html: both throw an ApiError with status 404.
 */
export async function getServedList(key: string, path: string, signal?: AbortSignal): Promise<unknown> {
  const response = await servedFetch(key, path, {
    headers: { accept: 'application/json' },
    ...(signal ? { signal } : {}),
  });
  if (!response.ok) throw await toApiError(response);
  if (!(response.headers.get('content-type') ?? '').includes('json'))
    throw new ApiError({ status: 404, code: 'not_found', message: `${path} is not served here` });
  return response.json();
}
