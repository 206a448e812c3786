import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINT, findCredentialsFile, resolveConnection } from './credentials.ts';
import { resolveTrackerOptions } from './tracker-options.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sl-creds-'));
  await mkdir(join(root, '.sightline'));
  await writeFile(
    join(root, '.sightline', 'credentials.json'),
    JSON.stringify({
      endpoint: 'http://127.0.0.1:4555',
      projectId: 'p1',
      ingestKey: 'sl_ingest_file',
      readKey: 'sl_read_file',
    }),
  );
  await mkdir(join(root, 'app', 'src'), { recursive: true });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('connection settings', () => {
  it('finds the credentials `sightline start` wrote in the working directory or a parent', () => {
    const cwd = join(root, 'app', 'src');
    expect(findCredentialsFile(cwd)).toBe(join(root, '.sightline', 'credentials.json'));
    expect(resolveConnection({}, {}, cwd)).toMatchObject({
      endpoint: 'http://127.0.0.1:4555',
      apiKey: 'sl_ingest_file',
    });
  });

  it('prefers options, then SIGHTLINE_* variables, then the file, then the local default', () => {
    const cwd = join(root, 'app');
    const env = { SIGHTLINE_API_KEY: 'sl_ingest_env', SIGHTLINE_ENDPOINT: 'http://collector:4400' };
    expect(resolveConnection({}, env, cwd)).toMatchObject({
      apiKey: 'sl_ingest_env',
      endpoint: 'http://collector:4400',
    });
    expect(resolveConnection({ apiKey: 'sl_ingest_opt' }, env, cwd).apiKey).toBe('sl_ingest_opt');
    expect(resolveConnection({}, { SIGHTLINE_API_KEY: 'k' }, cwd).endpoint).toBe('http://127.0.0.1:4555');
    expect(resolveConnection({}, {}, tmpdir())).toMatchObject({ endpoint: DEFAULT_ENDPOINT });
  });

  it('derives the environment from SIGHTLINE_ENVIRONMENT or NODE_ENV, and clamps bad numbers to defaults', () => {
    expect(resolveTrackerOptions({}, {}).environment).toBe('development');
    expect(resolveTrackerOptions({}, { NODE_ENV: 'production' }).environment).toBe('production');
    expect(resolveTrackerOptions({}, { SIGHTLINE_ENVIRONMENT: 'staging' }).environment).toBe('staging');
    expect(resolveTrackerOptions({}, { SIGHTLINE_ENABLED: 'false' }).enabled).toBe(false);
    expect(resolveTrackerOptions({ batchSize: 5000, flushIntervalMs: Number.NaN }, {})).toMatchObject({
      batchSize: 1000,
      flushIntervalMs: 1000,
    });
  });
});
