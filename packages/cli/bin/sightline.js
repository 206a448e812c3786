#!/usr/bin/env node
// The `sightline` command. Sources are TypeScript run by Node's type stripping (Node >= 22.18): the
// version is checked first, so an older Node prints one line saying what to install instead of
// failing on the first `.ts` import. `sightline start` then re-executes itself in place with the
// collector's Node flags (collector-flags.js), before it loads anything.
import { execWithCollectorFlags } from './collector-flags.js';
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  console.error(problem);
  process.exitCode = 1;
} else {
  if (process.argv[2] === 'start') execWithCollectorFlags();
  const { main } = await import('../src/main.ts');
  main(process.argv.slice(2)).then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
    },
    (error) => {
      console.error(`sightline: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
