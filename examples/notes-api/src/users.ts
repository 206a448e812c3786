/**
 * The auth hook: `Authorization: Bearer <token>` -> the user, or undefined (401). A real app validates a
 * session cookie or a JWT here; the demo knows two tokens.
 */
import type { NotesUser } from './note-tools.ts';

/** Demo users by token. */
export const DEMO_USERS: Record<string, NotesUser> = {
  'alice-token': { userId: 'alice', userName: 'Alice' },
  'bob-token': { userId: 'bob', userName: 'Bob' },
};

/** A getUser hook for a token table. */
export function bearerUsers(users: Record<string, NotesUser>) {
  return (request: Request): NotesUser | undefined => {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    return token && Object.hasOwn(users, token) ? users[token] : undefined;
  };
}
