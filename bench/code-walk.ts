/**
 * `npm run bench:walk [-- --label=after --append]`
 *
 * How much of our code one request walks (issue #14): V8 precise coverage (call counts) of exactly
 * one `PATCH /api/v1/tasks/{id}` and of exactly one run of the `reminder_fire` job firing one
 * reminder, each after a warm-up, counting the files and functions under libs/ and apps/ that ran.
 * Both in this process, on a fresh embedded PostgreSQL: the API app (as test/support/test-app.ts
 * builds it) for the PATCH, then the WorkerModule's JobExecutor, called by job name. Also prints
 * the files over 300 lines, the lib-level cycles and the `duplicates` pair count. Prints a
 * Markdown section; `--append` also appends it to bench/RESULTS-walk.md.
 */
import 'reflect-metadata';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@app/core/config/app-config';
import { migrate } from '@app/core/database/database-bootstrap';
import { EmbeddedPostgres } from '@app/core/database/embedded-postgres';
import { ApiModule } from '../apps/api/src/api.module';
import { configureApp } from '../apps/api/src/http/configure-app';
import { JobExecutor } from '../apps/worker/src/job-executor';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { freePort, ROOT } from './processes';

/** Work a request leaves behind once answered (after-commit hooks, the request's log line). */
const SETTLE_MS = 200;
const WARM_UP_PATCHES = 3;
const HOUR_MS = 3_600_000;
const session = new Session();

interface Walk {
  files: Map<string, number>;
  functions: number;
}

/** The functions of ours (libs/, apps/) that ran since the last take, by file. */
async function takeWalk(): Promise<Walk> {
  const { result } = await session.post('Profiler.takePreciseCoverage');
  const files = new Map<string, number>();
  for (const script of result) {
    const path = script.url.startsWith('file://') ? fileURLToPath(script.url) : script.url;
    const file = relative(ROOT, path);
    if (!/^(libs|apps)\//.test(file) || file.includes('node_modules') || !existsSync(path)) continue;
    const ran = script.functions.filter((fn) => fn.ranges[0].count > 0).length;
    if (ran > 0) files.set(file, ran);
  }
  return { files, functions: [...files.values()].reduce((sum, n) => sum + n, 0) };
}

/** Resets the counters, runs `work`, lets it settle, and returns what it walked. */
async function walk(work: () => Promise<void>): Promise<Walk> {
  await takeWalk();
  await work();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return takeWalk();
}

async function patchWalk(env: Record<string, string>, databaseUrl: string): Promise<{ walk: Walk; idle: Walk }> {
  const config = loadConfig({ ...env, DATABASE_URL: databaseUrl });
  const app = await NestFactory.create<NestExpressApplication>(
    ApiModule.register({ config, databaseUrl, role: 'api', logDestination: { write: () => undefined } }),
    { bodyParser: false, logger: false },
  );
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  try {
    const base = await app.getUrl();
    const call = async <T>(method: string, path: string, body: object, token?: string): Promise<T> => {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': randomUUID() };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch(`${base}${path}`, { method, headers, body: JSON.stringify(body) });
      const json = await response.json();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
      return json as T;
    };
    const { access_token: token } = await call<{ access_token: string }>('POST', '/api/v1/auth/dev/login', {
      email: 'walk@example.com',
    });
    const { data: task } = await call<{ data: { id: string } }>(
      'POST',
      '/api/v1/tasks',
      { title: 'Walk me', priority: 'low' },
      token,
    );
    for (const hours of [1, 2]) {
      const at = new Date(Date.now() + hours * HOUR_MS).toISOString();
      await call('POST', `/api/v1/tasks/${task.id}/reminders`, { type: 'absolute', scheduled_at: at }, token);
    }
    let n = 0;
    const patch = async (): Promise<void> => {
      n += 1;
      const priority = ['low', 'medium', 'high'][n % 3];
      await call('PATCH', `/api/v1/tasks/${task.id}`, { title: `Renamed ${n}`, priority }, token);
    };
    for (let i = 0; i < WARM_UP_PATCHES; i++) await patch();
    const idle = await walk(async () => undefined);
    return { walk: await walk(patch), idle };
  } finally {
    await app.close();
  }
}

async function reminderWalk(env: Record<string, string>, databaseUrl: string): Promise<Walk> {
  const config = loadConfig({ ...env, DATABASE_URL: databaseUrl });
  const context = await NestFactory.createApplicationContext(WorkerModule.register({ config, databaseUrl }), {
    logger: false,
  });
  try {
    const executor = context.get(JobExecutor);
    // The reminders are due 1 h and 2 h after now: each run's job clock makes exactly one due.
    const fire = async (hours: number): Promise<void> => {
      const now = new Date(Date.now() + hours * HOUR_MS + 60_000);
      const outcome = await executor.execute('reminder_fire', { now, data: {}, jobId: null, attempt: 1 });
      if (outcome.result?.fired !== 1) throw new Error(`reminder_fire fired ${JSON.stringify(outcome.result)}`);
    };
    await fire(1);
    return await walk(() => fire(2));
  } finally {
    await context.close();
  }
}

function filesOver300Lines(): string[] {
  return ['libs', 'apps']
    .flatMap((top) => readdirSync(join(ROOT, top), { recursive: true, encoding: 'utf8' }).map((f) => join(top, f)))
    .filter((f) => f.endsWith('.ts') && !/spec\.ts$|\/migrations\/|node_modules/.test(f))
    .filter((f) => readFileSync(join(ROOT, f), 'utf8').split('\n').length - 1 > 300)
    .sort();
}

/** `python3 lib-cycles.py .` of the shared tools (next to the checkout or to its worktree folder). */
function libCycles(): string {
  const tool = [process.env.LIB_CYCLES_TOOL ?? '', '../shared', '../../shared']
    .map((dir) => (dir.endsWith('.py') ? dir : join(ROOT, dir, 'tools/lib-cycles.py')))
    .find((path) => existsSync(path));
  if (!tool) return 'not measured (lib-cycles.py not found; set LIB_CYCLES_TOOL)';
  const out = spawnSync('python3', [tool, '.'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim().split('\n');
  return `${out.at(-1)}${out.length > 1 ? ` (${out.slice(0, -1).join('; ')})` : ''}`;
}

function duplicatePairs(): string {
  const first = execFileSync('duplicates', [], { cwd: ROOT, encoding: 'utf8' }).split('\n')[0];
  return /^(\d+) pairs/.exec(first)?.[1] ?? `unparsed: ${first}`;
}

function describe(title: string, figures: Walk): string[] {
  const byLib = new Map<string, string[]>();
  for (const [file, functions] of [...figures.files].sort()) {
    const [top, lib, ...rest] = file.split('/');
    const key = `${top}/${lib}`;
    byLib.set(key, [...(byLib.get(key) ?? []), `${rest.join('/')} (${functions})`]);
  }
  return [
    `### ${title}: ${figures.files.size} files, ${figures.functions} functions`,
    '',
    ...[...byLib].map(([lib, files]) => `- **${lib}** (${files.length}): ${files.join(', ')}`),
    '',
  ];
}

async function main(): Promise<void> {
  const label = process.argv.find((arg) => arg.startsWith('--label='))?.slice('--label='.length);
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dirty = execFileSync('git', ['status', '--porcelain', '--', 'libs', 'apps'], { cwd: ROOT, encoding: 'utf8' });
  const dataDir = mkdtempSync(join(tmpdir(), 'perpetua-bench-walk-'));
  const embedded = new EmbeddedPostgres({ dataDir, port: await freePort(), database: 'perpetua_bench' });
  const url = await embedded.start();
  session.connect();
  try {
    await migrate(url);
    await session.post('Profiler.enable');
    await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    const env = {
      NODE_ENV: 'development',
      AUTH_DEV_LOGIN: 'true',
      DATA_DIR: join(dataDir, 'data'),
      DB_MIGRATE_ON_START: 'false',
    };
    const patch = await patchWalk(env, url);
    const reminder = await reminderWalk(env, url);
    const long = filesOver300Lines();
    const lines = [
      `## ${label ?? commit}: ${new Date().toISOString().slice(0, 16)} UTC, commit ${commit}${dirty ? ' + uncommitted changes' : ''}`,
      '',
      `- PATCH /api/v1/tasks/{id}: **${patch.walk.files.size} files, ${patch.walk.functions} functions**` +
        ` (idle control, same window without a request: ${patch.idle.functions} functions)`,
      `- one reminder firing (\`reminder_fire\`): **${reminder.files.size} files, ${reminder.functions} functions**`,
      `- non-spec, non-migration .ts files over 300 lines under libs/ and apps/: **${long.length}** (${long.join(', ')})`,
      `- lib-level cycles: **${libCycles()}**`,
      `- \`duplicates\` pairs: **${duplicatePairs()}**`,
      '',
      ...describe('PATCH /api/v1/tasks/{id}', patch.walk),
      ...describe('reminder_fire (one reminder)', reminder),
    ];
    const text = `${lines.join('\n')}`;
    console.log(text);
    if (process.argv.includes('--append')) appendFileSync(join(__dirname, 'RESULTS-walk.md'), `\n${text}`);
  } finally {
    session.disconnect();
    await embedded.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
