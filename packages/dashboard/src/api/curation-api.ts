/**
 * What an admin key may change (`PATCH /v1/conversations/:id`) and erase (`DELETE /v1/conversations/:id`,
 * `DELETE /v1/customers/:id`); the dashboard offers these only to admin keys, and the collector refuses
 * them to any other with 403.
 */
import type { ConversationPatch, ConversationSummary, ErasureReceipt } from '@sightline/core';
import { ApiError, toApiError } from './api-error.ts';
import type { ApiClient } from './client.ts';

export type { ConversationPatch, ErasureReceipt };

/** Sends a change to the collector; resolves to its JSON answer, throws ApiError on an error answer. */
async function send<T>(
  client: ApiClient,
  request: { method: string; path: string; body?: unknown },
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

/** Renames (`name`; null: back to the tracked name) and/or marks a conversation; resolves to it as it now reads. */
export function patchConversation(
  client: ApiClient,
  id: string,
  patch: ConversationPatch,
): Promise<ConversationSummary> {
  return send(client, { method: 'PATCH', path: `/v1/conversations/${encodeURIComponent(id)}`, body: patch });
}

/** Erases a conversation and everything of it; resolves to the receipt. */
export function eraseConversation(client: ApiClient, id: string): Promise<ErasureReceipt> {
  return send(client, { method: 'DELETE', path: `/v1/conversations/${encodeURIComponent(id)}` });
}

/** Erases a customer and all their conversations; resolves to the receipt. */
export function eraseCustomer(client: ApiClient, id: string): Promise<ErasureReceipt> {
  return send(client, { method: 'DELETE', path: `/v1/customers/${encodeURIComponent(id)}` });
}
