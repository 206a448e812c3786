#!/usr/bin/env node
// The `sightline` command. It runs the build in ../dist (plain JavaScript, rolldown.config.ts: Node's
// TypeScript stripper would hold ~30 MB for the life of the server) when there is one, else the
// TypeScript sources through Node's type stripping (Node >= 22.18). The version is checked first, so an
// older Node prints one line saying what to install instead of failing on the first import.
// `sightline start` then re-executes itself in place with the collector's Node flags
// (collector-flags.js), before it loads anything.
import { existsSync } from 'node:fs';
import { execWithCollectorFlags } from './collector-flags.js';
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  console.error(problem);
  process.exitCode = 1;
} else {
  if (process.argv[2] === 'start') execWithCollectorFlags();
  const built = new URL('../dist/main.js', import.meta.url);
  const { main } = existsSync(built) ? await import(built.href) : await import('../src/main.ts');
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
