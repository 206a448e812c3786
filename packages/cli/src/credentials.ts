/**
 * The local credentials file `sightline start` writes for development, where the tracker's
 * defaults look for it: `<dir>/.sightline/credentials.json`, readable by the owner only.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface LocalCredentials {
  endpoint: string;
  projectId: string;
  ingestKey: string;
  readKey: string;
}

/** Path of the credentials file under `home` (default: `$SIGHTLINE_HOME` or `./.sightline`). */
export function credentialsPath(
  home = process.env.SIGHTLINE_HOME ?? join(process.cwd(), '.sightline'),
): string {
  return join(home, 'credentials.json');
}

export async function readCredentials(path: string): Promise<LocalCredentials | null> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<LocalCredentials>;
    if (value.projectId && value.ingestKey && value.readKey && value.endpoint)
      return value as LocalCredentials;
    return null;
  } catch {
    return null;
  }
}

export async function writeCredentials(path: string, credentials: LocalCredentials): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
}
