/**
 * What `sightline start` loads, which is most of what it holds in memory (bench/ingest/README.md, Export):
 * the bundle, not TypeScript sources (Node's type stripper stays resident, ~30 MB); without an OpenAI
 * key neither the `openai` client nor the `ai` package; the NATS client only with --nats; with
 * --no-agents none of the served agents' modules. Every module the real process resolves is recorded by a resolve hook given with --import.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startCli } from './spawn-cli.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sightline-footprint-'));
  await writeFile(
    join(dir, 'record-modules.mjs'),
    `import { registerHooks } from 'node:module';
import { appendFileSync } from 'node:fs';
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    appendFileSync(process.env.MODULES_FILE, resolved.url + '\\n');
    return resolved;
  },
});
`,
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The module URLs `sightline start <args>` resolved by the time it was ready. */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const file = join(dir, 'modules.txt');
  const { OPENAI_API_KEY: _, ...env } = process.env as Record<string, string>;
  const cli = await startCli({
    cwd: dir,
    args: ['--db', join(dir, 'sightline.db'), ...args],
    env: {
      ...env,
      SIGHTLINE_HOME: dir,
      MODULES_FILE: file,
      NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import ${join(dir, 'record-modules.mjs')}`.trim(),
    },
  });
  await cli.stop();
  return [...new Set((await readFile(file, 'utf8')).split('\n').filter(Boolean))];
}

const packageOf = (url: string) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];

test('sightline start runs its JavaScript bundle and, with no OpenAI key, loads neither openai nor ai', async () => {
  const modules = await modulesLoadedBy([]);
  expect(modules.filter((url) => url.endsWith('.ts'))).toEqual([]);
  expect(modules.some((url) => /\/packages\/cli\/dist\/main\.js$/.test(url))).toBe(true);
  const packages = new Set(modules.map(packageOf));
  expect(packages.has('@openai/agents-core')).toBe(true); // the demo agents are served
  // agents-core takes only openai's zod helpers (openai/helpers/zod), never its client.
  expect(modules.filter((url) => /\/node_modules\/openai\/(index|client)\.mjs$/.test(url))).toEqual([]);
  expect(packages.has('ai')).toBe(false);
  expect(packages.has('@nats-io/jetstream')).toBe(false); // no --nats
});

test('sightline start --no-agents loads none of the served agents’ modules', async () => {
  const modules = await modulesLoadedBy(['--no-agents']);
  const packages = new Set(modules.map(packageOf));
  for (const served of ['@openai/agents-core', '@modelcontextprotocol/sdk', '@nats-io/jetstream'])
    expect(packages.has(served), served).toBe(false);
  expect(modules.some((url) => url.includes('/dist/demo-serving-'))).toBe(false);
});
