/** The project's settings (`/v1/project/settings`): read with any dashboard key, changed with an admin key. */
import type { ApiClient } from './client.ts';
import { sendJson } from './send-json.ts';

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
export function saveProjectSettings(client: ApiClient, patch: ProjectSettings): Promise<ProjectSettings> {
  return sendJson(client, { method: 'PATCH', path: '/v1/project/settings', body: patch });
}
