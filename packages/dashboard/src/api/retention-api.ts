/**
 * Retention (`GET /v1/retention`, `PUT /v1/customers/:id/retention`): read with any dashboard key,
 * changed with an admin key. The project's own days are saved with the project settings.
 */
import type { CustomerRetention, RetentionStatus } from '@sightline/core';
import { ApiError, toApiError } from './api-error.ts';
import type { ApiClient } from './client.ts';

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
  let response: Response;
  try {
    response = await fetch(
      `${client.baseUrl}/v1/customers/${encodeURIComponent(change.customerId)}/retention`,
      {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${client.key}`,
          accept: 'application/json',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ days: change.days }),
      },
    );
  } catch {
    throw new ApiError({
      status: 0,
      code: 'network',
      message: 'The collector did not answer (network error).',
    });
  }
  if (!response.ok) throw await toApiError(response);
}
