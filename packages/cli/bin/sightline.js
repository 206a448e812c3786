#!/usr/bin/env node
// The `sightline` command. Sources are TypeScript run by Node's type stripping (Node >= 22.18): the
// version is checked first, so an older Node prints one line saying what to install instead of
// failing on the first `.ts` import.
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  console.error(problem);
  process.exitCode = 1;
} else {
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
