/**
 * What every served route shares: the auth hook (run first, on every route), how a user becomes a run
 * context and a customer id, tracking, and request limits.
 */
import type { Tracker } from '@sightline/tracker';
import type { MiddlewareHandler } from 'hono';
import { authenticate, type Caller, type GetUser } from './user.ts';

export interface ServeHooks<TUser = unknown> {
  /** Resolves the caller of every request (seed 002's dependency); undefined/null answers 401. */
  getUser?: GetUser<TUser>;
  /** The user's stable id (default: the user if a string, else its `userId` or `id`). */
  userId?: (user: TUser) => string | undefined;
  /**
   * The run context of agent runs (default: the user, plus fields of the request's `context` that the
   * user does not set).
   */
  context?: (args: {
    user: TUser | undefined;
    request: Request;
    context: Record<string, unknown> | undefined;
  }) => unknown;
  /**
   * Where served runs and workflows are tracked (conversation = the user's own conversation of the session
   * id, `<user>:<id>`; customer = user id; source = `api`); `false` tracks nothing. Agent runs are traced
   * through `instrumentAgents(tracker)`.
   */
  tracker?: Tracker | false;
  /** Largest JSON body, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Longest text input of a run, in characters (default 100,000). */
  maxInputChars?: number;
  /** Interval of SSE keep-alive comments, in ms (default 15,000). */
  keepAliveMs?: number;
}

/** Hono variables set by the served routes. */
export type ServeEnv = { Variables: { caller: Caller<unknown> } };

/** Middleware that authenticates the request (getUser) and stores the caller for the handlers. */
export function userMiddleware<TUser>(hooks: ServeHooks<TUser>): MiddlewareHandler<ServeEnv> {
  return async (c, next) => {
    c.set('caller', await authenticate(c.req.raw, hooks.getUser, hooks.userId));
    await next();
  };
}
