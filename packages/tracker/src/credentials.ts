import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The file `sightline start` writes at `<project>/.sightline/credentials.json`. */
export interface CredentialsFile {
  endpoint?: string;
  projectId?: string;
  ingestKey?: string;
  readKey?: string;
}

/** Where the tracker sends, with which key, and where each came from (for error messages). */
export interface Connection {
  endpoint: string;
  apiKey: string | undefined;
  /** The credentials file that was read, if any. */
  credentialsPath: string | undefined;
}

/** The collector `sightline start` listens on by default. */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4400';

/** Finds `.sightline/credentials.json` in `startDir` or the nearest parent that has one. */
export function findCredentialsFile(startDir: string = process.cwd()): string | undefined {
  let dir = startDir;
  for (;;) {
    const candidate = join(dir, '.sightline', 'credentials.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads a credentials file; undefined when it is missing or not valid JSON. */
export function readCredentialsFile(path: string): CredentialsFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object') return undefined;
    const record = parsed as Record<string, unknown>;
    const file: CredentialsFile = {};
    for (const key of ['endpoint', 'projectId', 'ingestKey', 'readKey'] as const) {
      if (typeof record[key] === 'string') file[key] = record[key];
    }
    return file;
  } catch {
    return undefined;
  }
}

/**
 * Resolves endpoint and ingest key: explicit options first, then SIGHTLINE_API_KEY /
 * SIGHTLINE_ENDPOINT, then the nearest credentials file written by `sightline start`, then the
 * local default endpoint.
 */
export function resolveConnection(
  options: { apiKey?: string | undefined; endpoint?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Connection {
  let apiKey = options.apiKey ?? nonEmpty(env.SIGHTLINE_API_KEY);
  let endpoint = options.endpoint ?? nonEmpty(env.SIGHTLINE_ENDPOINT);
  let credentialsPath: string | undefined;
  if (apiKey === undefined || endpoint === undefined) {
    credentialsPath = findCredentialsFile(cwd);
    const file = credentialsPath ? readCredentialsFile(credentialsPath) : undefined;
    apiKey ??= file?.ingestKey;
    endpoint ??= file?.endpoint;
  }
  return { endpoint: endpoint ?? DEFAULT_ENDPOINT, apiKey, credentialsPath };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim().length > 0 ? value.trim() : undefined;
}
