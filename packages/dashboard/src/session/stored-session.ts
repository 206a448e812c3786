/**
 * The browser's sign-in state: the read keys a person has entered (one per project) and which project
 * is active, kept in localStorage so a reload stays signed in. Keys never leave this browser except
 * as the Authorization header of the collector's own API.
 */

/** A project this browser can read, through its read key. */
export interface StoredProject {
  key: string;
  projectId: string;
  projectName: string;
}

export interface StoredSession {
  projects: StoredProject[];
  activeProjectId: string | null;
}

const STORAGE_KEY = 'sightline.session.v1';
const READ_KEY = /^sl_read_[A-Za-z0-9_-]{16,64}$/;
const INGEST_KEY = /^sl_ingest_/;

export function loadSession(): StoredSession {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return { projects: [], activeProjectId: null };
    const value = JSON.parse(raw) as Partial<StoredSession>;
    const projects = Array.isArray(value.projects)
      ? value.projects.filter(
          (p): p is StoredProject =>
            typeof p?.key === 'string' &&
            typeof p.projectId === 'string' &&
            typeof p.projectName === 'string',
        )
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

/** Why a typed key cannot be a read key, or null when it looks like one (checked before any request). */
export function keyFormatProblem(key: string): string | null {
  const trimmed = key.trim();
  if (trimmed === '') return 'Enter a read key.';
  if (INGEST_KEY.test(trimmed))
    return 'This is an ingest key (sl_ingest_…): it can only write. Use the project’s read key (sl_read_…).';
  if (!READ_KEY.test(trimmed))
    return 'A read key looks like sl_read_ followed by 16–64 letters, digits, - or _.';
  return null;
}

/**
 * Takes the key of a `#key=sl_read_…` link (what `sightline start` prints) out of the address, so it
 * is neither kept in history nor shared by copying the URL. Returns the key and the route to open.
 */
export function takeKeyFromHash(): string | null {
  const match = /^#key=([^&]+)(?:&(.*))?$/.exec(window.location.hash);
  if (!match?.[1]) return null;
  const route = match[2]?.startsWith('route=') ? decodeURIComponent(match[2].slice(6)) : '/';
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#${route}`);
  return decodeURIComponent(match[1]);
}
