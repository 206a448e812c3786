/**
 * The local credentials file `sightline start` writes for development, where the tracker's
 * defaults look for it: `<dir>/.sightline/credentials.json`, readable by the owner only.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The local project's keys, one per scope, and where the collector listens. */
export interface LocalCredentials {
  endpoint: string;
  projectId: string;
  /** Trackers write with it. */
  ingestKey: string;
  /** Reads only: the dashboard link to share. */
  readKey: string;
  /** Runs the served agents and workflows (the agents API, MCP). */
  chatKey: string;
  /** The local owner's: reads, chats and manages; the printed dashboard link carries it. */
  adminKey: string;
}

/** A credentials file as read: one written before chat and admin keys existed lacks them. */
export type StoredCredentials = Omit<LocalCredentials, 'chatKey' | 'adminKey'> &
  Partial<Pick<LocalCredentials, 'chatKey' | 'adminKey'>>;

/** Path of the credentials file under `home` (default: `$SIGHTLINE_HOME` or `./.sightline`). */
export function credentialsPath(
  home = process.env.SIGHTLINE_HOME ?? join(process.cwd(), '.sightline'),
): string {
  return join(home, 'credentials.json');
}

/** The credentials file at `path`, or null when it is missing or unusable. */
export async function readCredentials(path: string): Promise<StoredCredentials | null> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<LocalCredentials>;
    if (value.projectId && value.ingestKey && value.readKey && value.endpoint)
      return value as StoredCredentials;
    return null;
  } catch {
    return null;
  }
}

/** Writes the credentials file, readable by the owner only. */
export async function writeCredentials(path: string, credentials: LocalCredentials): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
}
