/**
 * What an admin key may change (`PATCH /v1/conversations/:id`) and erase (`DELETE /v1/conversations/:id`,
 * `DELETE /v1/customers/:id`); the dashboard offers these only to admin keys, and the collector refuses
 * them to any other with 403.
 */
import type { ConversationPatch, ConversationSummary, ErasureReceipt } from '@sightline/core';
import type { ApiClient } from './client.ts';
import { sendJson } from './send-json.ts';

export type { ConversationPatch, ErasureReceipt };

/** Renames (`name`; null: back to the tracked name) and/or marks a conversation; resolves to it as it now reads. */
export function patchConversation(
  client: ApiClient,
  id: string,
  patch: ConversationPatch,
): Promise<ConversationSummary> {
  return sendJson(client, {
    method: 'PATCH',
    path: `/v1/conversations/${encodeURIComponent(id)}`,
    body: patch,
  });
}

/** Erases a conversation and everything of it; resolves to the receipt. */
export function eraseConversation(client: ApiClient, id: string): Promise<ErasureReceipt> {
  return sendJson(client, { method: 'DELETE', path: `/v1/conversations/${encodeURIComponent(id)}` });
}

/** Erases a customer and all their conversations; resolves to the receipt. */
export function eraseCustomer(client: ApiClient, id: string): Promise<ErasureReceipt> {
  return sendJson(client, { method: 'DELETE', path: `/v1/customers/${encodeURIComponent(id)}` });
}
