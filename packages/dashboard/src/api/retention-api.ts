/**
 * Retention (`GET /v1/retention`, `PUT /v1/customers/:id/retention`): read with any dashboard key,
 * changed with an admin key. The project's own days are saved with the project settings.
 */
import type { CustomerRetention, RetentionStatus } from '@sightline/core';
import type { ApiClient } from './client.ts';
import { sendJson } from './send-json.ts';

export type { CustomerRetention, RetentionStatus };

/** Reads the project's retention, its customers' overrides and the last expiry run. */
export function loadRetention(client: ApiClient, signal?: AbortSignal): Promise<RetentionStatus> {
  return client.get('/v1/retention', {}, signal);
}

/** Keeps a customer's conversations `days` days (null: the project's retention again). */
export async function saveCustomerRetention(
  client: ApiClient,
  change: { customerId: string; days: number | null },
): Promise<void> {
  await sendJson(client, {
    method: 'PUT',
    path: `/v1/customers/${encodeURIComponent(change.customerId)}/retention`,
    body: { days: change.days },
  });
}
