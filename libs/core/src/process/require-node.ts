import { nodeVersionProblem } from './node-version';

// Imported first by every entry point: on the wrong Node the process stops before loading anything else.
const problem = nodeVersionProblem();
if (problem) {
  console.error(problem);
  process.exit(1);
}
