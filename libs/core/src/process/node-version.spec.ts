import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeVersionProblem, REQUIRED_NODE_MAJOR } from './node-version';

const root = join(__dirname, '..', '..', '..', '..');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
  allowScripts: Record<string, boolean>;
};

describe('the required Node.js major', () => {
  it('is the one this test suite runs on (npm scripts use the pinned node package)', () => {
    expect(process.versions.node.split('.')[0]).toBe(String(REQUIRED_NODE_MAJOR));
  });

  it('is the pinned node dev dependency, whose install script is allowed, and the engines range', () => {
    expect(packageJson.devDependencies.node).toMatch(new RegExp(`^${REQUIRED_NODE_MAJOR}\\.\\d+\\.\\d+$`));
    expect(packageJson.allowScripts.node).toBe(true);
    expect(packageJson.engines.node).toBe(`>=${REQUIRED_NODE_MAJOR}.11 <${REQUIRED_NODE_MAJOR + 1}`);
  });

  it('is the base of every Docker image stage', () => {
    const bases = [...readFileSync(join(root, 'Dockerfile'), 'utf8').matchAll(/^FROM node:(\d+)-/gm)].map((m) => m[1]);
    expect(bases.length).toBeGreaterThan(0);
    expect(new Set(bases)).toEqual(new Set([String(REQUIRED_NODE_MAJOR)]));
  });

  it('accepts any release of that major and names the problem for another one', () => {
    expect(nodeVersionProblem(`${REQUIRED_NODE_MAJOR}.11.0`)).toBeNull();
    expect(nodeVersionProblem('20.20.2')).toBe(
      `Perpetua Flow needs Node.js ${REQUIRED_NODE_MAJOR} (this is v20.20.2). Run it through npm (npm start, npm run job, npm test), ` +
        `which uses the pinned Node ${REQUIRED_NODE_MAJOR} from node_modules, or install Node ${REQUIRED_NODE_MAJOR}.`,
    );
    expect(nodeVersionProblem(`${REQUIRED_NODE_MAJOR + 2}.0.0`)).toMatch(/^Perpetua Flow needs Node\.js/);
  });
});
