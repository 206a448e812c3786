/**
 * The shop's users and how a request names one: `Authorization: Bearer <token>`. The Express routes and
 * the served agent share this one function, so both see the same user.
 */

export interface ShopUser {
  userId: string;
  name: string;
}

/** Demo customers by token. */
export const DEMO_CUSTOMERS: Record<string, ShopUser> = {
  'ada-token': { userId: 'ada', name: 'Ada' },
  'linus-token': { userId: 'linus', name: 'Linus' },
};

/** The user an Authorization header names, if any. */
export function userFromAuthorization(
  header: string | undefined | null,
  users: Record<string, ShopUser>,
): ShopUser | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  return token && Object.hasOwn(users, token) ? users[token] : undefined;
}
