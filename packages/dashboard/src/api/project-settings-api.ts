/** The project's settings (`/v1/project/settings`): read with any dashboard key, changed with an admin key. */
import { ApiError, toApiError } from './api-error.ts';
import type { ApiClient } from './client.ts';

export type RedactionDetector = 'email' | 'phone' | 'card' | 'iban' | 'api_key';

export interface RedactionPattern {
  name: string;
  pattern: string;
  replacement?: string;
}

export interface ProjectSettings {
  retentionDays?: number | null;
  redaction?: { detectors: RedactionDetector[]; patterns: RedactionPattern[] } | null;
}

/** Reads the project's settings. */
export function loadProjectSettings(client: ApiClient, signal?: AbortSignal): Promise<ProjectSettings> {
  return client.get('/v1/project/settings', {}, signal);
}

/** Saves a change to the project's settings (admin key); resolves to the settings now in force. */
export async function saveProjectSettings(
  client: ApiClient,
  patch: ProjectSettings,
): Promise<ProjectSettings> {
  let response: Response;
  try {
    response = await fetch(`${client.baseUrl}/v1/project/settings`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${client.key}`,
        accept: 'application/json',
        'content-type': 'application/json',
      },
      body: JSON.stringify(patch),
    });
  } catch {
    throw new ApiError({
      status: 0,
      code: 'network',
      message: 'The collector did not answer (network error).',
    });
  }
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as ProjectSettings;
}
