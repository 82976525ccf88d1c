/**
 * The Node.js major the product runs and is tested on (README, "Requirements"): the `node` dev
 * dependency, `engines` in package.json and the Docker images name the same one.
 */
export const REQUIRED_NODE_MAJOR = 24;

/** Why `version` cannot run the product, or null when it can. */
export function nodeVersionProblem(version: string = process.versions.node): string | null {
  const major = Number(version.split('.')[0]);
  if (major === REQUIRED_NODE_MAJOR) return null;
  return (
    `Perpetua Flow needs Node.js ${REQUIRED_NODE_MAJOR} (this is v${version}). ` +
    `Run it through npm (npm start, npm run job, npm test), which uses the pinned Node ${REQUIRED_NODE_MAJOR} ` +
    `from node_modules, or install Node ${REQUIRED_NODE_MAJOR}.`
  );
}
