/**
 * API-key authentication: `Authorization: Bearer <key>`. A key belongs to one project and has one
 * scope (`ingest` writes, `read` reads, `chat` runs served agents, `admin` manages and reads); each route
 * names the scopes it accepts. Every handler reads the project from the key, never from the request, so
 * a key cannot reach another project's data. Lookups are cached briefly.
 */
import type { ApiKey, KeyScope, Store } from '@sightline/store';
import { hashKey, KEY_SCOPES } from '@sightline/store';
import type { MiddlewareHandler } from 'hono';
import { ServerError } from './errors.ts';

export interface AuthContext {
  projectId: string;
  keyId: string;
  scope: KeyScope;
}

export type AppEnv = { Variables: { auth: AuthContext } };

const KEY_PATTERN = /^sl_(ingest|read|chat|admin)_[A-Za-z0-9_-]{16,64}$/;

/** The scopes each kind of route accepts: one place, so routes (and the served agents) agree. */
export const SCOPES = {
  /** Writing events and feedback. */
  ingest: ['ingest'],
  /** Reading the project's data: read keys, and admin keys (the project's owner reads too). */
  read: ['read', 'admin'],
  /** Running served agents and workflows, answering their approvals and questions. */
  chat: ['chat', 'admin'],
  /**
   * Scoring conversations (`POST /v1/scores`): programs with an ingest key, and people: the dashboard's
   * admin key, or a chat key (a thumb on a message in the chat page).
   */
  score: ['ingest', 'chat', 'admin'],
  /** Managing the project: deletes, settings, retention, keys. */
  admin: ['admin'],
  /** Any live key of the project (`GET /v1/project`). */
  any: KEY_SCOPES,
} as const satisfies Record<string, readonly KeyScope[]>;

/** Caches key lookups (30 s for known keys, 5 s for unknown ones) so auth does not hit the database per request. */
export class KeyCache {
  readonly #store: Store;
  readonly #entries = new Map<string, { key: ApiKey | null; expires: number }>();

  constructor(store: Store) {
    this.#store = store;
  }

  async find(secret: string): Promise<ApiKey | null> {
    const hash = hashKey(secret);
    const now = Date.now();
    const cached = this.#entries.get(hash);
    if (cached && cached.expires > now) return cached.key;
    const key = await this.#store.findApiKey(secret);
    if (this.#entries.size > 10_000) this.#entries.clear();
    this.#entries.set(hash, { key, expires: now + (key ? 30_000 : 5_000) });
    return key;
  }

  /** Forgets cached lookups (after a key is revoked). */
  clear(): void {
    this.#entries.clear();
  }
}

/** `an ingest`, `a read`: the article English wants before a scope name. */
function withArticle(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

/** `a read or admin key`, `an ingest, read, chat or admin key`: the keys a route accepts, in English. */
export function describeScopes(scopes: readonly KeyScope[]): string {
  const names =
    scopes.length > 1 ? `${scopes.slice(0, -1).join(', ')} or ${scopes.at(-1)}` : (scopes[0] ?? '');
  return `${withArticle(names)} key`;
}

/**
 * Why a key of `scope` may not use a route that accepts `allowed`, or null when it may:
 * `this is a read key; this endpoint needs a chat or admin key`.
 */
export function scopeProblem(scope: KeyScope, allowed: readonly KeyScope[]): string | null {
  if (allowed.includes(scope)) return null;
  return `this is ${withArticle(scope)} key; this endpoint needs ${describeScopes(allowed)}`;
}

function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/**
 * Middleware: requires a live key whose scope is one of `scopes` (one scope or several); `allowQueryToken`
 * also accepts `?access_token=` (for EventSource). A key of another scope gets 403 naming what is needed.
 */
export function requireKey(
  cache: KeyCache,
  scopes: KeyScope | readonly KeyScope[],
  options: { allowQueryToken?: boolean } = {},
): MiddlewareHandler<AppEnv> {
  const allowed: readonly KeyScope[] = typeof scopes === 'string' ? [scopes] : scopes;
  if (allowed.length === 0) throw new Error('requireKey: name at least one scope');
  return async (c, next) => {
    const header = c.req.header('authorization');
    const secret = bearer(header) ?? (options.allowQueryToken ? (c.req.query('access_token') ?? null) : null);
    if (!secret) {
      throw new ServerError(
        'unauthorized',
        header
          ? 'authorization: must be "Bearer <api key>"'
          : 'authorization: an API key is required (Authorization: Bearer <key>)',
        {
          issues: [{ path: 'authorization', message: 'missing or malformed' }],
        },
      );
    }
    const key = KEY_PATTERN.test(secret) ? await cache.find(secret) : null;
    if (!key) {
      throw new ServerError('unauthorized', 'authorization: the API key is not valid (unknown or revoked)', {
        issues: [{ path: 'authorization', message: 'unknown or revoked key' }],
      });
    }
    const problem = scopeProblem(key.scope, allowed);
    if (problem) {
      throw new ServerError('forbidden', `authorization: ${problem}`, {
        issues: [{ path: 'authorization', message: `needs ${describeScopes(allowed)}` }],
      });
    }
    c.set('auth', { projectId: key.projectId, keyId: key.id, scope: key.scope });
    await next();
  };
}

/**
 * Checks the API key of a request to routes mounted next to the collector, such as @sightline/serve's
 * (its `getUser`): `Authorization: Bearer <key>`, or `?key=` (a browser cannot set headers on a
 * WebSocket). Resolves to the key when it is live, of `projectId` and of one of `scopes`; to undefined
 * when there is none or it is unknown (serve answers 401); throws a 403 naming the scopes for a key of
 * another scope (a read key where the served agents need a chat or admin key).
 */
export function projectKeyChecker(
  store: Store,
  options: { projectId: string; scopes: readonly KeyScope[] },
): (request: Request) => Promise<ApiKey | undefined> {
  const cache = new KeyCache(store);
  return async (request) => {
    const secret = bearer(request.headers.get('authorization') ?? undefined) ?? keyParameter(request.url);
    const key = secret && KEY_PATTERN.test(secret) ? await cache.find(secret) : null;
    if (!key || key.projectId !== options.projectId) return undefined;
    const problem = scopeProblem(key.scope, options.scopes);
    if (problem) {
      throw new ServerError('forbidden', `authorization: ${problem}`, {
        issues: [{ path: 'authorization', message: `needs ${describeScopes(options.scopes)}` }],
      });
    }
    return key;
  };
}

function keyParameter(url: string): string | null {
  try {
    return new URL(url).searchParams.get('key');
  } catch {
    return null;
  }
}
