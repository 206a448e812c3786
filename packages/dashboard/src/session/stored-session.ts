/**
 * The browser's sign-in state: the keys a person has entered (one per project: a read key, or the admin
 * key `sightline start`'s dashboard link carries) and which project is active, kept in localStorage so a
 * reload stays signed in. Keys never leave this browser except as the Authorization header of this
 * server's own API (the collector's and the served agents').
 */

/** The scopes the dashboard signs in with: `read` reads; `admin` reads, chats and manages. */
export type SessionScope = 'read' | 'admin';

/** A project this browser can read, through its read or admin key. */
export interface StoredProject {
  key: string;
  projectId: string;
  projectName: string;
  scope: SessionScope;
}

export interface StoredSession {
  projects: StoredProject[];
  activeProjectId: string | null;
}

const STORAGE_KEY = 'sightline.session.v1';
const SIGN_IN_KEY = /^sl_(read|admin)_[A-Za-z0-9_-]{16,64}$/;
const INGEST_KEY = /^sl_ingest_/;
const CHAT_KEY = /^sl_chat_/;

/** The scope a key's prefix names (what the collector checks it against). */
export function scopeOfKey(key: string): SessionScope {
  return key.startsWith('sl_admin_') ? 'admin' : 'read';
}

export function loadSession(): StoredSession {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return { projects: [], activeProjectId: null };
    const value = JSON.parse(raw) as Partial<StoredSession>;
    // Sessions saved before scopes were kept hold read keys: the key's prefix names its scope.
    const projects = Array.isArray(value.projects)
      ? value.projects
          .filter(
            (p): p is StoredProject =>
              typeof p?.key === 'string' &&
              typeof p.projectId === 'string' &&
              typeof p.projectName === 'string',
          )
          .map((p) => ({ ...p, scope: scopeOfKey(p.key) }))
      : [];
    const active = projects.some((p) => p.projectId === value.activeProjectId)
      ? (value.activeProjectId ?? null)
      : (projects[0]?.projectId ?? null);
    return { projects, activeProjectId: active };
  } catch {
    return { projects: [], activeProjectId: null };
  }
}

export function saveSession(session: StoredSession): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // private mode or storage full: the session lasts as long as the tab
  }
}

/**
 * Why a typed key cannot sign in (it must be a read or admin key), or null when it looks like one
 * (checked before any request).
 */
export function keyFormatProblem(key: string): string | null {
  const trimmed = key.trim();
  if (trimmed === '') return 'Enter a read key or an admin key.';
  if (INGEST_KEY.test(trimmed))
    return 'This is an ingest key (sl_ingest_…): it can only write. Use the project’s read key (sl_read_…) or admin key (sl_admin_…).';
  if (CHAT_KEY.test(trimmed))
    return 'This is a chat key (sl_chat_…): it runs the served agents over the API but cannot read the dashboard. Use the project’s read key (sl_read_…) or admin key (sl_admin_…).';
  if (!SIGN_IN_KEY.test(trimmed))
    return 'A read key looks like sl_read_ (an admin key sl_admin_) followed by 16–64 letters, digits, - or _.';
  return null;
}

/**
 * Takes the key of a `#key=sl_admin_…` or `#key=sl_read_…` link (what `sightline start` prints) out of
 * the address, so it is neither kept in history nor shared by copying the URL. Returns the key; the
 * address is left on the route the link names.
 */
export function takeKeyFromHash(): string | null {
  const match = /^#key=([^&]+)(?:&(.*))?$/.exec(window.location.hash);
  if (!match?.[1]) return null;
  const route = match[2]?.startsWith('route=') ? decodeURIComponent(match[2].slice(6)) : '/';
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#${route}`);
  return decodeURIComponent(match[1]);
}
