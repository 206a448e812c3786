/**
 * The other half of "each package.json matches its imports" (run by `npm run lint`): every runtime
 * `dependencies` entry of a workspace is used by its runtime code. dependency-cruiser (the rest of the
 * dependency rules, .dependency-cruiser.ts) checks that what is imported is declared, and that
 * devDependencies are imported only by tests; it has no rule for a declared dependency that nothing
 * imports, hence this script.
 *
 * A dependency counts as used when a runtime file (not a test or testing helper) names it in an
 * import, export, `import()`, `require()` or `import.meta.resolve()`, or when it satisfies a
 * peerDependency of another runtime dependency (zod for @openai/agents). Type packages (@types/*) are
 * left alone. Usage: node scripts/check-unused-dependencies.ts [root]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_FILES } from '../.dependency-cruiser.ts';

interface Manifest {
  name?: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** A runtime dependency that no runtime file of its workspace uses. */
export interface UnusedDependency {
  workspace: string;
  dependency: string;
}

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist']);
const TEST_PATTERNS = TEST_FILES.map((pattern) => new RegExp(pattern));
/** Module specifiers in import/export statements, import(), require() and import.meta.resolve(). */
const SPECIFIERS = [
  /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\b(?:import|require|import\.meta\.resolve)\s*\(\s*['"]([^'"]+)['"]/g,
];

function readManifest(path: string): Manifest {
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/** The workspace folders the root package.json names (globs of the form `dir/*` or plain folders). */
export function workspaceFolders(root: string): string[] {
  const patterns = readManifest(join(root, 'package.json')).workspaces ?? [];
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    if (!existsSync(join(root, parent))) return [];
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`);
  });
}

/** Source files under `folder` (relative to root, '/'-separated), without node_modules, dist and dot folders. */
function sourceFiles(root: string, folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) walk(path);
      } else if (SOURCE.test(entry.name)) {
        found.push(path);
      }
    }
  };
  walk(folder);
  return found;
}

/** The package a bare specifier names (`@scope/name/sub` -> `@scope/name`); undefined for relative and builtins. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:'))
    return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The packages a source text names in its module specifiers. */
export function packagesNamed(text: string): Set<string> {
  const names = new Set<string>();
  for (const pattern of SPECIFIERS) {
    for (const match of text.matchAll(pattern)) {
      const name = match[1] === undefined ? undefined : packageOf(match[1]);
      if (name) names.add(name);
    }
  }
  return names;
}

/** The peerDependencies of an installed package, looked up as Node would from the workspace. */
function peersOf(root: string, workspace: string, dependency: string): string[] {
  for (const base of [join(root, workspace), root]) {
    const manifest = join(base, 'node_modules', dependency, 'package.json');
    if (existsSync(manifest)) return Object.keys(readManifest(manifest).peerDependencies ?? {});
  }
  return [];
}

/** The packages the runtime files of a workspace name, and the peers those of `declared` need. */
function packagesUsed(root: string, workspace: string, declared: readonly string[]): Set<string> {
  const used = new Set<string>();
  for (const file of sourceFiles(root, workspace)) {
    if (TEST_PATTERNS.some((pattern) => pattern.test(file))) continue;
    for (const name of packagesNamed(readFileSync(join(root, file), 'utf8'))) used.add(name);
  }
  for (const dependency of declared.filter((name) => used.has(name))) {
    for (const peer of peersOf(root, workspace, dependency)) used.add(peer);
  }
  return used;
}

/** Runtime dependencies of the root's workspaces that their runtime code does not use. */
export function unusedDependencies(root: string): UnusedDependency[] {
  return workspaceFolders(root).flatMap((workspace) => {
    const manifestPath = join(root, workspace, 'package.json');
    if (!existsSync(manifestPath)) return [];
    const declared = Object.keys(readManifest(manifestPath).dependencies ?? {});
    const used = packagesUsed(root, workspace, declared);
    return declared
      .filter((dependency) => !used.has(dependency) && !dependency.startsWith('@types/'))
      .map((dependency) => ({ workspace, dependency }));
  });
}

function main(): void {
  const root = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));
  const unused = unusedDependencies(root);
  for (const { workspace, dependency } of unused) {
    console.error(
      `  error unused-dependency: ${relative(root, join(root, workspace, 'package.json'))} declares ` +
        `${dependency} in dependencies, and no runtime file imports it (a devDependency if only tests use it, else remove it)`,
    );
  }
  if (unused.length > 0) {
    console.error(`\nx ${unused.length} unused runtime dependencies`);
    process.exitCode = 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
