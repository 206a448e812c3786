/**
 * One request to the collector and its JSON answer: the one place the dashboard turns an error answer or
 * no answer at all into an ApiError (reads through ApiClient.get, writes through sendJson).
 */
import { ApiError, toApiError } from './api-error.ts';

/** Fetches `url`; resolves to the JSON answer, throws ApiError on an error answer or a network failure. */
export async function fetchJson<T>(url: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError({
      status: 0,
      code: 'network',
      message: 'The collector did not answer (network error).',
    });
  }
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as T;
}
