import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../../..');

/**
 * Every project file `entry` loads at run time, following value imports and re-exports (not
 * `import type`), resolved with the project's tsconfig paths; packages are not followed.
 */
function loadedFiles(entry: string): Set<string> {
  const { options } = ts.parseJsonConfigFileContent(
    ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile).config,
    ts.sys,
    ROOT,
  );
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = ts.createSourceFile(file, ts.sys.readFile(file) ?? '', ts.ScriptTarget.ES2022);
    for (const statement of source.statements) {
      const isValueImport = ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly;
      const isValueExport = ts.isExportDeclaration(statement) && !statement.isTypeOnly;
      if (!isValueImport && !isValueExport) continue;
      const specifier = statement.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier)) continue;
      const resolved = ts.resolveModuleName(specifier.text, file, options, ts.sys).resolvedModule;
      if (resolved && !resolved.isExternalLibraryImport && resolved.extension === ts.Extension.Ts) {
        pending.push(resolved.resolvedFileName);
      }
    }
  }
  return seen;
}

describe('libs/http', () => {
  it('should never be loaded by the worker (API-only HTTP machinery)', () => {
    const loaded = [...loadedFiles(join(ROOT, 'apps/worker/src/main.ts'))].map((file) => relative(ROOT, file));
    expect(loaded.length).toBeGreaterThan(50);
    expect(loaded.filter((file) => file.startsWith('libs/http/'))).toEqual([]);
  });
});
