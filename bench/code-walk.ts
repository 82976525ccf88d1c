/**
 * `LIB_CYCLES_TOOL=<path of lib-cycles.py> npm run bench:walk [-- --label=After --append]`
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
import { AppConfig, loadConfig } from '@app/core/config/app-config';
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

const settle = (): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/** Lets earlier work settle, resets the counters, runs `work`, lets it settle, and returns what it walked. */
async function walk(work: () => Promise<void>): Promise<Walk> {
  await settle().then(takeWalk);
  await work().then(settle);
  return takeWalk();
}

/** One JSON request with its own `Idempotency-Key`; throws unless it succeeds. */
async function send<T>(url: string, method: string, body: object, token?: string): Promise<T> {
  const auth = token ? { authorization: `Bearer ${token}` } : {};
  const headers = { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...auth };
  const response = await fetch(url, { method, headers, body: JSON.stringify(body) });
  const json: unknown = await response.json();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(json)}`);
  return json as T;
}

/** A user, a task with two reminders (due in 1 h and 2 h), then PATCHes of the task. */
async function patchWalk(config: AppConfig, databaseUrl: string): Promise<{ walk: Walk; idle: Walk }> {
  const app = await NestFactory.create<NestExpressApplication>(
    ApiModule.register({ config, databaseUrl, role: 'api', logDestination: { write: () => undefined } }),
    { bodyParser: false, logger: false },
  );
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  try {
    const api = `${await app.getUrl()}/api/v1`;
    const login = await send<{ access_token: string }>(`${api}/auth/dev/login`, 'POST', { email: 'walk@example.com' });
    const call = (method: string, path: string, body: object) =>
      send<{ data: { id: string } }>(`${api}${path}`, method, body, login.access_token);
    const { data: task } = await call('POST', '/tasks', { title: 'Walk me' });
    for (const hours of [1, 2]) {
      const at = new Date(Date.now() + hours * HOUR_MS).toISOString();
      await call('POST', `/tasks/${task.id}/reminders`, { type: 'absolute', scheduled_at: at });
    }
    let n = 0;
    const patch = async (): Promise<void> => {
      n += 1;
      await call('PATCH', `/tasks/${task.id}`, { title: `Renamed ${n}`, priority: ['low', 'medium', 'high'][n % 3] });
    };
    for (let i = 0; i < WARM_UP_PATCHES; i++) await patch();
    const idle = await walk(async () => undefined);
    return { walk: await walk(patch), idle };
  } finally {
    await app.close();
  }
}

/** Fires the reminder due in 1 h (warm-up), then measures firing the one due in 2 h. */
async function reminderWalk(config: AppConfig, databaseUrl: string): Promise<Walk> {
  const worker = WorkerModule.register({ config, databaseUrl });
  const context = await NestFactory.createApplicationContext(worker, { logger: false });
  try {
    const fire = async (hours: number): Promise<void> => {
      const now = new Date(Date.now() + hours * HOUR_MS + 60_000);
      const job = { now, data: {}, jobId: null, attempt: 1 };
      const outcome = await context.get(JobExecutor).execute('reminder_fire', job);
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

/** The team's lib-cycles.py (kept outside the repository: its path in `LIB_CYCLES_TOOL`), run on this tree. */
function libCycles(): string {
  const tool = process.env.LIB_CYCLES_TOOL;
  if (!tool || !existsSync(tool)) return 'not measured (set LIB_CYCLES_TOOL to the path of lib-cycles.py)';
  const out = spawnSync('python3', [tool, '.'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim().split('\n');
  return `${out.at(-1)}${out.length > 1 ? ` (${out.slice(0, -1).join('; ')})` : ''}`;
}

function duplicatePairs(): string {
  const first = execFileSync('duplicates', [], { cwd: ROOT, encoding: 'utf8' }).split('\n')[0];
  return /^(\d+) pairs/.exec(first)?.[1] ?? `unparsed: ${first}`;
}

function describe(title: string, { files, functions }: Walk): string[] {
  const byLib = new Map<string, string[]>();
  for (const [file, count] of [...files].sort()) {
    const [top, lib, ...rest] = file.split('/');
    byLib.set(`${top}/${lib}`, [...(byLib.get(`${top}/${lib}`) ?? []), `${rest.join('/')} (${count})`]);
  }
  const libs = [...byLib].map(([lib, names]) => `- **${lib}** (${names.length}): ${names.join(', ')}`);
  return [`### ${title}: ${files.size} files, ${functions} functions`, '', ...libs, ''];
}

async function main(): Promise<void> {
  const label = process.argv.find((arg) => arg.startsWith('--label='))?.slice('--label='.length);
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  // The code measured: the last commit that changed libs/ or apps/, and whether they have uncommitted changes.
  const commit = git('log', '-1', '--format=%h', '--', 'libs', 'apps');
  const dirty = git('status', '--porcelain', '--', 'libs', 'apps');
  const dataDir = mkdtempSync(join(tmpdir(), 'perpetua-bench-walk-'));
  const embedded = new EmbeddedPostgres({ dataDir, port: await freePort(), database: 'perpetua_bench' });
  const url = await embedded.start();
  session.connect();
  try {
    await migrate(url);
    await session.post('Profiler.enable');
    await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    const config = loadConfig({ AUTH_DEV_LOGIN: 'true', DATA_DIR: join(dataDir, 'data'), DATABASE_URL: url });
    const patch = await patchWalk(config, url);
    const reminder = await reminderWalk(config, url);
    const long = filesOver300Lines();
    const lines = [
      `## ${label ?? commit}: ${new Date().toISOString().slice(0, 16)} UTC, libs/ and apps/ at ${commit}${dirty ? ' + uncommitted changes' : ''}`,
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
    const text = lines.join('\n');
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
