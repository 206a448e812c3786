/**
 * First start: makes sure a default project exists with one key of each scope (ingest, read, chat,
 * admin), and that the local credentials file holds working keys: a key whose secret was lost, was
 * revoked or is missing (a file written before chat and admin keys) is replaced; the others are kept.
 */
import type { KeyScope, Store } from '@sightline/store';
import { credentialsPath, type LocalCredentials, readCredentials, writeCredentials } from './credentials.ts';

export interface DefaultProject {
  credentials: LocalCredentials;
  /** True when this call created the project or new keys (so they should be printed). */
  created: boolean;
  path: string;
}

/** Where each scope's key lives in the credentials file. */
const KEY_FIELDS = {
  ingest: 'ingestKey',
  read: 'readKey',
  chat: 'chatKey',
  admin: 'adminKey',
} as const satisfies Record<KeyScope, keyof LocalCredentials>;

/** Ensures a usable default project and credentials file for `endpoint`. */
export async function ensureDefaultProject(
  store: Store,
  options: { endpoint: string; home?: string },
): Promise<DefaultProject> {
  const path = credentialsPath(options.home);
  const existing = await readCredentials(path);
  const known = existing && (await store.getProject(existing.projectId));
  const project =
    known ?? (await store.listProjects())[0] ?? (await store.createProject({ name: 'Default project' }));
  let created = !known;
  const keys = {} as Record<KeyScope, string>;
  for (const scope of Object.keys(KEY_FIELDS) as KeyScope[]) {
    const kept = known ? await workingKey(store, existing?.[KEY_FIELDS[scope]], project.id, scope) : null;
    if (kept) keys[scope] = kept;
    else {
      const made = await store.createApiKey({
        projectId: project.id,
        scope,
        name: `local development (${scope})`,
      });
      keys[scope] = made.key;
      created = true;
    }
  }
  const credentials: LocalCredentials = {
    endpoint: options.endpoint,
    projectId: project.id,
    ingestKey: keys.ingest,
    readKey: keys.read,
    chatKey: keys.chat,
    adminKey: keys.admin,
  };
  if (created || existing?.endpoint !== options.endpoint) await writeCredentials(path, credentials);
  return { credentials, created, path };
}

/** The file's key for `scope` when it is live, of that scope and of the project; else null. */
async function workingKey(
  store: Store,
  secret: string | undefined,
  projectId: string,
  scope: KeyScope,
): Promise<string | null> {
  if (!secret) return null;
  const key = await store.findApiKey(secret);
  return key?.projectId === projectId && key.scope === scope ? secret : null;
}
