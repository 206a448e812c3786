/**
 * `npm run lint` checks the dependency rules (.dependency-cruiser.ts, scripts/check-unused-dependencies.ts).
 * These tests plant violations in a temporary copy of the workspaces (the work tree is never touched),
 * run the lint's own `lint:deps` command there, and expect it to fail naming each one.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unusedDependencies } from '../scripts/check-unused-dependencies.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COPIED = ['package.json', '.dependency-cruiser.ts', 'packages', 'examples', 'bench', 'test', 'scripts'];
const SKIPPED = new Set(['node_modules', 'dist', 'test-results']);

interface Run {
  code: number;
  output: string;
}

/** A copy of the workspaces' sources and the rules, sharing the work tree's node_modules. */
function copyWorkspaces(): string {
  const copy = mkdtempSync(join(tmpdir(), 'sightline-dependency-rules-'));
  for (const entry of COPIED) {
    cpSync(join(ROOT, entry), join(copy, entry), {
      recursive: true,
      filter: (source) => {
        const name = basename(source);
        return (
          source === join(ROOT, entry) ||
          (!SKIPPED.has(name) && !name.startsWith('.') && !name.endsWith('.db'))
        );
      },
    });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

/** Runs the root package.json's `lint:deps` script in `cwd` as `npm run` would. */
function lintDeps(cwd: string): Promise<Run> {
  const script = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts['lint:deps'];
  if (!script) throw new Error('package.json has no lint:deps script');
  const path = [join(cwd, 'node_modules', '.bin'), dirname(process.execPath), process.env.PATH].join(
    delimiter,
  );
  return new Promise((resolve) => {
    execFile(
      'sh',
      ['-c', script],
      { cwd, env: { ...process.env, PATH: path }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

describe('dependency rules in npm run lint', () => {
  let copy = '';
  let run: Run = { code: 0, output: '' };

  beforeAll(async () => {
    copy = copyWorkspaces();
    const core = join(copy, 'packages', 'core', 'src');
    // A cycle: two files of a package importing each other.
    writeFileSync(
      join(core, 'planted-cycle-a.ts'),
      "import { b } from './planted-cycle-b.ts';\nexport const a = () => b;\n",
    );
    writeFileSync(
      join(core, 'planted-cycle-b.ts'),
      "import { a } from './planted-cycle-a.ts';\nexport const b = () => a;\n",
    );
    // Against the arrows: core depends on no package of ours.
    writeFileSync(
      join(core, 'planted-arrow.ts'),
      "import type { Store } from '@sightline/store';\nexport type PlantedStore = Store;\n",
    );
    // A deep import: into core's folder instead of through @sightline/core's exports.
    writeFileSync(
      join(copy, 'packages', 'agents', 'src', 'planted-deep.ts'),
      "import { newId } from '../../core/src/ids.ts';\nexport const plantedId = newId;\n",
    );
    // A test of core importing store: core's tests may not use a package that depends on core.
    writeFileSync(
      join(core, 'planted-store.test.ts'),
      "import type { Store } from '@sightline/store';\nexport type PlantedStore = Store;\n",
    );
    // agents' runtime taking the tracker package (a devDependency of agents) instead of its contract.
    writeFileSync(
      join(copy, 'packages', 'agents', 'src', 'planted-tracker.ts'),
      "import { createTracker } from '@sightline/tracker';\nexport const plantedTracker = createTracker;\n",
    );
    run = await lintDeps(copy);
  }, 180_000);

  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('fails on an import cycle, naming it', () => {
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(
      /error no-circular: packages\/core\/src\/planted-cycle-a\.ts →\s+packages\/core\/src\/planted-cycle-b\.ts →\s+packages\/core\/src\/planted-cycle-a\.ts/,
    );
  });

  it('fails on an import against the package arrows (core importing store)', () => {
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(
      /error arrows-core: packages\/core\/src\/planted-arrow\.ts → node_modules\/@sightline\/store\//,
    );
  });

  it("fails on a deep import into another package's folder", () => {
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(
      /error no-deep-import: packages\/agents\/src\/planted-deep\.ts → packages\/core\/src\/ids\.ts/,
    );
  });

  it("fails on a package's test importing a package that depends on it", () => {
    expect(run.output).toMatch(
      /error arrows-core-tests: packages\/core\/src\/planted-store\.test\.ts → node_modules\/@sightline\/store\//,
    );
  });

  it("fails on agents' runtime importing @sightline/tracker (a devDependency: agents takes a tracker)", () => {
    expect(run.output).toMatch(
      /error arrows-agents: packages\/agents\/src\/planted-tracker\.ts → node_modules\/@sightline\/tracker\//,
    );
    expect(run.output).toMatch(
      /error not-to-dev-dependency: packages\/agents\/src\/planted-tracker\.ts → node_modules\/@sightline\/tracker\//,
    );
  });

  it('finds a runtime dependency that no runtime file imports', () => {
    const manifestPath = join(copy, 'packages', 'core', 'package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const planted = { workspace: 'packages/core', dependency: 'kysely' };
    expect(unusedDependencies(copy)).not.toContainEqual(planted);
    manifest.dependencies.kysely = '^0.29.9';
    writeFileSync(manifestPath, JSON.stringify(manifest));
    expect(unusedDependencies(copy)).toContainEqual(planted);
  });
});
