/**
 * Projects and their API keys. A key is 24 random bytes, shown once; only its SHA-256 is stored
 * (the key is high-entropy, so a fast hash is the right tool, as for GitHub or Stripe tokens).
 */

import { createHash, randomBytes } from 'node:crypto';
import { API_KEY_SCOPES, type ApiKeyScope, newId } from '@sightline/core';
import type { Kysely } from 'kysely';
import { StoreError } from './errors.ts';
import type { Database } from './schema.ts';

/**
 * What a key may do: `ingest` writes events and feedback; `read` reads the project's data; `chat` runs the
 * agents and workflows served next to the collector and answers their questions and approvals; `admin`
 * manages the project (deletes, settings, retention, keys) and may do all `read` and `chat` may.
 */
export type KeyScope = ApiKeyScope;
export const KEY_SCOPES: readonly KeyScope[] = API_KEY_SCOPES;

export interface Project {
  id: string;
  name: string;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  projectId: string;
  name: string;
  scope: KeyScope;
  /** The first characters of the key, to recognise it in a list. */
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

/** SHA-256 of a key, hex: what is stored and looked up. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export async function createProject(
  db: Kysely<Database>,
  options: { name: string; id?: string },
): Promise<Project> {
  const name = options.name.trim();
  if (name.length === 0 || name.length > 200) {
    throw new StoreError('invalid_request', 'name: must be 1 to 200 characters', {
      issues: [{ path: 'name', message: 'must be 1 to 200 characters' }],
    });
  }
  const row = { id: options.id ?? `proj_${newId().replaceAll('-', '')}`, name, created_at: Date.now() };
  await db.insertInto('projects').values(row).execute();
  return { id: row.id, name: row.name, createdAt: new Date(row.created_at).toISOString() };
}

export async function listProjects(db: Kysely<Database>): Promise<Project[]> {
  const rows = await db.selectFrom('projects').selectAll().orderBy('created_at').execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: new Date(Number(row.created_at)).toISOString(),
  }));
}

export async function getProject(db: Kysely<Database>, id: string): Promise<Project | null> {
  const row = await db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
  return row
    ? { id: row.id, name: row.name, createdAt: new Date(Number(row.created_at)).toISOString() }
    : null;
}

/** Creates a key; the returned `key` is the only time the secret is visible. */
export async function createApiKey(
  db: Kysely<Database>,
  options: { projectId: string; scope: KeyScope; name?: string },
): Promise<{ key: string; apiKey: ApiKey }> {
  if (!KEY_SCOPES.includes(options.scope)) {
    throw new StoreError('invalid_request', `scope: must be one of ${KEY_SCOPES.join(', ')}`, {
      issues: [{ path: 'scope', message: `must be one of ${KEY_SCOPES.join(', ')}` }],
    });
  }
  if (!(await getProject(db, options.projectId)))
    throw new StoreError('not_found', `project ${options.projectId} does not exist`);
  const key = `sl_${options.scope}_${randomBytes(24).toString('base64url')}`;
  const row = {
    id: `key_${newId().replaceAll('-', '')}`,
    project_id: options.projectId,
    name: options.name ?? `${options.scope} key`,
    scope: options.scope,
    key_hash: hashKey(key),
    prefix: key.slice(0, options.scope.length + 8),
    created_at: Date.now(),
    revoked_at: null,
  };
  await db.insertInto('api_keys').values(row).execute();
  return { key, apiKey: toApiKey(row) };
}

/** The live key with this secret, or null (unknown or revoked). */
export async function findApiKey(db: Kysely<Database>, key: string): Promise<ApiKey | null> {
  const row = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('key_hash', '=', hashKey(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? toApiKey(row) : null;
}

export async function listApiKeys(db: Kysely<Database>, projectId: string): Promise<ApiKey[]> {
  const rows = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('created_at')
    .execute();
  return rows.map(toApiKey);
}

export async function revokeApiKey(
  db: Kysely<Database>,
  options: { projectId: string; keyId: string },
): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: Date.now() })
    .where('id', '=', options.keyId)
    .where('project_id', '=', options.projectId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

function toApiKey(row: Database['api_keys']): ApiKey {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    scope: row.scope,
    prefix: row.prefix,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    revokedAt: row.revoked_at === null ? null : new Date(Number(row.revoked_at)).toISOString(),
  };
}
