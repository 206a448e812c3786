#!/usr/bin/env node
// The `sightline` command. Sources are TypeScript run by Node's type stripping (Node >= 22.18).
import { main } from '../src/main.ts';

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (error) => {
    console.error(`sightline: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
