/**
 * API-key authentication: `Authorization: Bearer <key>`. A key belongs to one project and has one
 * scope (`ingest` writes, `read` reads); every handler reads the project from the key, never from
 * the request, so a key cannot reach another project's data. Lookups are cached briefly.
 */
import type { ApiKey, KeyScope, Store } from '@sightline/store';
import { hashKey } from '@sightline/store';
import type { MiddlewareHandler } from 'hono';
import { ServerError } from './errors.ts';

export interface AuthContext {
  projectId: string;
  keyId: string;
  scope: KeyScope;
}

export type AppEnv = { Variables: { auth: AuthContext } };

const KEY_PATTERN = /^sl_(ingest|read)_[A-Za-z0-9_-]{16,64}$/;

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

function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** Middleware: requires a live key with `scope`; `allowQueryToken` also accepts `?access_token=` (for EventSource). */
export function requireKey(
  cache: KeyCache,
  scope: KeyScope,
  options: { allowQueryToken?: boolean } = {},
): MiddlewareHandler<AppEnv> {
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
    if (key.scope !== scope) {
      throw new ServerError(
        'forbidden',
        `authorization: this is ${withArticle(key.scope)} key; this endpoint needs ${withArticle(scope)} key`,
        {
          issues: [{ path: 'authorization', message: `needs ${withArticle(scope)} key` }],
        },
      );
    }
    c.set('auth', { projectId: key.projectId, keyId: key.id, scope: key.scope });
    await next();
  };
}
