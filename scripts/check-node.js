// Run before `npm test` (the root package's pretest): one line naming the Node.js needed, instead of
// whatever the test runner fails with on an older Node.
import { nodeVersionProblem } from '../packages/cli/bin/node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  console.error(problem);
  process.exitCode = 1;
}
