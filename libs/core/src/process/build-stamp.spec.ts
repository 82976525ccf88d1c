import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staleBuildProblem, writeBuildStamp } from './build-stamp';

describe('the build stamp (npm run job refuses a stale dist/)', () => {
  let root: string;
  let dist: string;
  const write = (file: string, content: string): void => {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), content);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'build-stamp-'));
    dist = join(root, 'dist');
    mkdirSync(dist);
    write('apps/api/src/main.ts', 'main');
    write('libs/core/src/a.ts', 'a');
    write('libs/core/src/a.spec.ts', 'test');
    write('tsconfig.json', '{}');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('accepts a build of the current sources, whatever happens to tests and file times', () => {
    writeBuildStamp(root, dist);
    write('libs/core/src/a.spec.ts', 'another test');
    write('libs/core/src/a.ts', 'a');
    expect(staleBuildProblem(root, dist)).toBeNull();
  });

  it('names the files changed, added or removed since the build', () => {
    writeBuildStamp(root, dist);
    write('libs/core/src/a.ts', 'a2');
    write('scripts/new.ts', 'new');
    unlinkSync(join(root, 'apps/api/src/main.ts'));
    write('tsconfig.json', '{"strict":true}');
    expect(staleBuildProblem(root, dist)).toBe(
      'The build in dist/ is stale (changed since the last build: apps/api/src/main.ts, libs/core/src/a.ts, ' +
        'scripts/new.ts and 1 more): run "npm run build" first',
    );
  });

  it('refuses a build without a stamp', () => {
    expect(staleBuildProblem(root, dist)).toBe(
      `${join(dist, '.build-stamp.json')} is missing: run "npm run build" first`,
    );
  });

  it('has nothing to compare without sources (a container image holds only dist/)', () => {
    const image = mkdtempSync(join(tmpdir(), 'build-stamp-image-'));
    try {
      expect(staleBuildProblem(image, join(image, 'dist'))).toBeNull();
    } finally {
      rmSync(image, { recursive: true, force: true });
    }
  });
});
