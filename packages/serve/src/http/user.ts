/**
 * The auth hook: `getUser(request)` runs before every route (HTTP, SSE, WebSocket upgrade and MCP). What it
 * returns is the run context of agent runs and the `io.user` of workflows; its id is the customer of every
 * tracked conversation and partitions sessions, so one user never reaches another's conversation.
 */
import { isSightlineError } from '@sightline/core';
import { ServeError } from '../errors.ts';

/**
 * Resolves the caller of a request. Return the user (any value; an object with `id` or `userId`, or a
 * string, names the customer), or undefined/null to answer 401. Throw a ServeError for another status.
 */
export type GetUser<TUser> = (
  request: Request,
) => TUser | undefined | null | Promise<TUser | undefined | null>;

/** Who is calling: the hook's value and the id derived from it ('' when anonymous). */
export interface Caller<TUser> {
  user: TUser | undefined;
  /** Stable id of the user: partitions sessions and runs; '' without a getUser hook. */
  userId: string;
}

/** Runs the hook: 401 when it answers nothing or throws something that is not a SightlineError. */
export async function authenticate<TUser>(
  request: Request,
  getUser: GetUser<TUser> | undefined,
  idOf: (user: TUser) => string | undefined = defaultUserId,
): Promise<Caller<TUser>> {
  if (!getUser) return { user: undefined, userId: '' };
  let user: TUser | undefined | null;
  try {
    user = await getUser(request);
  } catch (error) {
    if (isSightlineError(error)) throw error;
    throw new ServeError('unauthorized', 'authentication failed', { cause: error });
  }
  if (user === undefined || user === null) {
    throw new ServeError('unauthorized', 'authentication required: the credentials are missing or invalid');
  }
  const userId = idOf(user);
  if (userId === undefined || userId === '') {
    throw new ServeError('internal', 'getUser returned a user without an id (give it `id` or `userId`)');
  }
  return { user, userId };
}

/** The id of a user value: itself when a string, else its `id` or `userId` field. */
export function defaultUserId(user: unknown): string | undefined {
  if (typeof user === 'string') return user;
  if (typeof user === 'number') return String(user);
  if (user && typeof user === 'object') {
    const record = user as { id?: unknown; userId?: unknown };
    for (const value of [record.userId, record.id]) {
      if (typeof value === 'string' && value !== '') return value;
      if (typeof value === 'number') return String(value);
    }
  }
  return undefined;
}
