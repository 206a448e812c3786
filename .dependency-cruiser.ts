// The dependency rules of the monorepo, checked by `npm run lint` (its lint:deps part) with
// dependency-cruiser:  npx depcruise packages examples bench test scripts
// 1. No import cycles between the files of a package (nor of an example, bench, test/, scripts/).
// 2. The package arrows of the README and shared/DESIGN.md: core depends on nothing of ours; tracker on
//    core; store on core; server on core + store; agents on core (the tracker only in its tests, issue
//    13 item 15); serve on core + agents + tracker; the dashboard on core and serve, types only; cli on
//    everything; examples and bench on anything. A package's tests may also use packages that do not
//    depend on it (server's tests send with the tracker), never one that does: that is a cycle.
// 3. No deep imports: another package is imported by its name and an entry of its `exports` map (an
//    unexported subpath does not resolve), never by a relative path into its folder.
// 4. Imports match each package.json: what is imported is declared in the importing workspace's
//    package.json (root devDependencies count for tests), and devDependencies are imported only by
//    tests and testing helpers. The other direction, a runtime dependency that nothing imports, is not
//    a rule dependency-cruiser has: scripts/check-unused-dependencies.ts checks it.
//
// Packages of ours resolve through node_modules/@sightline/* (preserveSymlinks), so each import of one
// is classified against the importing workspace's package.json like any npm package (dependency,
// devDependency, undeclared); their files are cruised as roots of their own, not followed.
import type { IConfiguration, IForbiddenRuleType } from 'dependency-cruiser';

/** Our packages by folder under packages/, with the packages their runtime code may import. */
export const ARROWS: Readonly<Record<string, readonly string[]>> = {
  core: [],
  tracker: ['core'],
  store: ['core'],
  server: ['core', 'store'],
  // @sightline/tracker is a devDependency of agents: at run time agents takes a tracker from the user
  // through src/tracing/tracker-contract.ts (issue 13 item 15).
  agents: ['core'],
  serve: ['core', 'agents', 'tracker'],
  // Browser code bundled by Vite: types only (rule dashboard-types-only).
  dashboard: ['core', 'serve'],
  cli: ['core', 'tracker', 'store', 'server', 'agents', 'serve', 'dashboard'],
};

/** Tests and their helpers: they may use devDependencies, and packages that do not depend on theirs. */
export const TEST_FILES: readonly string[] = [
  '\\.test\\.tsx?$',
  '(^|/)test/',
  '(^|/)testing/',
  // TODO(issue 13 item 15): helpers of the redaction acceptance corpus (used by redaction-corpus.test.ts
  // and bench/ingest/redaction.ts) among the runtime sources of packages/server/src/redaction, under
  // active work now: move them to packages/server/src/testing/ (exported as @sightline/server/testing)
  // and drop this line.
  '^packages/server/src/redaction/(corpus-paths|stored-text|test-corpus)\\.ts$',
];

/** Matches a path that is not a test file (negative lookahead over TEST_FILES). */
const NOT_TEST_FILE = `^(?!.*(${TEST_FILES.join('|')}))`;

/** The npm name of a package folder. */
const npmName = (folder: string): string => (folder === 'cli' ? 'sightline' : `@sightline/${folder}`);
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Matches an import of one of these package folders, resolved through node_modules. */
const ours = (folders: readonly string[]): string =>
  `(^|/)node_modules/(${folders.map((folder) => escapeRegExp(npmName(folder))).join('|')})/`;
const ANY_OF_OURS = ours(Object.keys(ARROWS));
/** A workspace folder (a package, an example, bench); `$1` in a rule's `to` is the importer's own. */
const WORKSPACE = '^((?:packages|examples)/[^/]+|bench)/';

/** Packages whose runtime code depends on `folder`, directly or not. */
export function dependentsOf(folder: string): string[] {
  const found = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pkg, deps] of Object.entries(ARROWS)) {
      if (!found.has(pkg) && deps.some((dep) => dep === folder || found.has(dep))) {
        found.add(pkg);
        grew = true;
      }
    }
  }
  return [...found];
}

const arrowRules = Object.entries(ARROWS).flatMap(([folder, allowed]): IForbiddenRuleType[] => {
  const dependents = dependentsOf(folder);
  const names = (folders: readonly string[]) => folders.map(npmName).join(', ') || 'none of ours';
  return [
    {
      name: `arrows-${folder}`,
      comment: `${npmName(folder)} may import ${names(allowed)} (the package arrows, README and shared/DESIGN.md)`,
      severity: 'error',
      from: { path: `^packages/${folder}/`, pathNot: [...TEST_FILES] },
      to: { path: ANY_OF_OURS, ...(allowed.length > 0 ? { pathNot: ours(allowed) } : {}) },
    },
    {
      name: `arrows-${folder}-tests`,
      comment: `${npmName(folder)}'s tests may not import itself by name nor a package that depends on it (${names(dependents)}): a cycle`,
      severity: 'error',
      from: { path: `^packages/${folder}/`, pathNot: NOT_TEST_FILE },
      to: { path: ours([folder, ...dependents]) },
    },
  ];
});

const config: IConfiguration = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Files import each other, directly or through others: move what both need into a third file',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...arrowRules,
    {
      name: 'dashboard-types-only',
      comment: 'The dashboard is browser code bundled by Vite: it takes only types from our packages',
      severity: 'error',
      from: { path: '^packages/dashboard/src/', pathNot: [...TEST_FILES] },
      to: { path: ANY_OF_OURS, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-deep-import',
      comment:
        "Import another package by its name and an entry of its package.json's `exports`, not a path into its folder",
      severity: 'error',
      from: {
        path: WORKSPACE,
        // TODO(issue 13 item 15): the redaction benchmark (under active work) takes the corpus helpers
        // from server's sources; import them from @sightline/server/testing once they move there.
        pathNot: '^bench/ingest/redaction\\.ts$',
      },
      to: { path: '^(packages|examples|bench)/', pathNot: '^$1/' },
    },
    {
      name: 'no-deep-import-from-root',
      comment: "The root's test/ and scripts/ import packages by name, not a path into their folders",
      severity: 'error',
      from: {
        path: '^(test|scripts)/',
        // The Node version guard is `pretest`: it must run on an old Node before anything resolves by
        // package name, so it imports the cli's version check (a plain .js file) directly.
        pathNot: '^scripts/check-node\\.js$',
      },
      to: { path: '^(packages|examples|bench)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        "The import does not resolve: a typo, a missing install, or a subpath the package's `exports` does not offer",
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-undeclared-dependency',
      comment:
        "The package is not in the importing workspace's package.json (it resolves only because npm hoisted it)",
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-dev-dependency',
      comment:
        'Runtime code imports a devDependency (type imports too: packages ship their .ts sources): make it a ' +
        'dependency or an optional peerDependency, or import it from a test',
      severity: 'error',
      from: {
        path: WORKSPACE,
        pathNot: [
          ...TEST_FILES,
          // The dashboard publishes its Vite build (dist/) and index.js, which imports nothing: its
          // sources and build config are build inputs, built from devDependencies.
          '^packages/dashboard/(src/|vite\\.config\\.ts$)',
          // The cli's bundle (dist/, which bin/sightline.js runs) is built by rolldown, a devDependency.
          '^packages/cli/(build|rolldown\\.config)\\.ts$',
        ],
      },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['npm', 'npm-peer'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Build output, and dot folders (scratch copies such as bench/serve/.baseline).
    exclude: { path: ['^(packages|examples)/[^/]+/dist/', '/[.][^/]+/'] },
    preserveSymlinks: true,
    // Parse with TypeScript so that `import type` counts too (cycles, declared dependencies).
    tsPreCompilationDeps: true,
    // The root's devDependencies (vitest, typescript) are every workspace's devDependencies too.
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'node', 'default'],
      mainFields: ['module', 'main', 'types'],
    },
    skipAnalysisNotInRules: true,
  },
};

export default config;
