import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Written into `dist/` by `npm run build`: a digest of every source file the build compiled. */
export const BUILD_STAMP_FILE = '.build-stamp.json';

const SOURCE_DIRS = ['apps', 'libs', 'scripts'];
const SOURCE_FILES = ['ormconfig.ts', 'tsconfig.json', 'tsconfig.build.json'];

type Digests = Record<string, string>;

function isSource(name: string): boolean {
  return name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts');
}

function walk(dir: string, into: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, into);
    else if (isSource(entry.name)) into.push(path);
  }
}

/** SHA-256 of each source file under `root`, keyed by its path relative to `root` (with `/`). */
export function sourceDigests(root: string): Digests {
  const files = SOURCE_FILES.map((file) => join(root, file)).filter((path) => existsSync(path));
  for (const dir of SOURCE_DIRS) if (existsSync(join(root, dir))) walk(join(root, dir), files);
  const digests: Digests = {};
  for (const path of files.sort()) {
    digests[relative(root, path).split(sep).join('/')] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return digests;
}

export function writeBuildStamp(root: string, distDir: string): void {
  writeFileSync(join(distDir, BUILD_STAMP_FILE), `${JSON.stringify(sourceDigests(root))}\n`);
}

/**
 * Why the build in `distDir` does not match the sources under `root` (changed, added or removed
 * files since the last `npm run build`), or null when it does. Without sources (a container image
 * holds only `dist/`) there is nothing to compare and the build counts as current.
 */
export function staleBuildProblem(root: string, distDir: string): string | null {
  if (!SOURCE_DIRS.some((dir) => existsSync(join(root, dir)))) return null;
  const stampPath = join(distDir, BUILD_STAMP_FILE);
  if (!existsSync(stampPath)) return `${stampPath} is missing: run "npm run build" first`;
  const built = JSON.parse(readFileSync(stampPath, 'utf8')) as Digests;
  const current = sourceDigests(root);
  const changed = [...new Set([...Object.keys(built), ...Object.keys(current)])]
    .filter((file) => built[file] !== current[file])
    .sort();
  if (changed.length === 0) return null;
  const named = changed.slice(0, 3).join(', ') + (changed.length > 3 ? ` and ${changed.length - 3} more` : '');
  return `The build in dist/ is stale (changed since the last build: ${named}): run "npm run build" first`;
}
