/**
 * First start: makes sure a default project exists with an ingest key and a read key, and that
 * the local credentials file holds working keys (recreating keys whose secrets were lost).
 */
import type { Store } from '@sightline/store';
import { credentialsPath, type LocalCredentials, readCredentials, writeCredentials } from './credentials.ts';

export interface DefaultProject {
  credentials: LocalCredentials;
  /** True when this call created the project or new keys (so they should be printed). */
  created: boolean;
  path: string;
}

/** Ensures a usable default project and credentials file for `endpoint`. */
export async function ensureDefaultProject(
  store: Store,
  options: { endpoint: string; home?: string },
): Promise<DefaultProject> {
  const path = credentialsPath(options.home);
  const existing = await readCredentials(path);
  if (existing && (await keysWork(store, existing))) {
    const credentials = { ...existing, endpoint: options.endpoint };
    if (existing.endpoint !== options.endpoint) await writeCredentials(path, credentials);
    return { credentials, created: false, path };
  }
  const projects = await store.listProjects();
  const project = projects[0] ?? (await store.createProject({ name: 'Default project' }));
  const ingest = await store.createApiKey({
    projectId: project.id,
    scope: 'ingest',
    name: 'local development (ingest)',
  });
  const read = await store.createApiKey({
    projectId: project.id,
    scope: 'read',
    name: 'local development (read)',
  });
  const credentials = {
    endpoint: options.endpoint,
    projectId: project.id,
    ingestKey: ingest.key,
    readKey: read.key,
  };
  await writeCredentials(path, credentials);
  return { credentials, created: true, path };
}

async function keysWork(store: Store, credentials: LocalCredentials): Promise<boolean> {
  const [ingest, read] = await Promise.all([
    store.findApiKey(credentials.ingestKey),
    store.findApiKey(credentials.readKey),
  ]);
  return ingest?.projectId === credentials.projectId && read?.projectId === credentials.projectId;
}
