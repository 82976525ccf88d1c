/**
 * `npm run bench:jobs -- [--users=10000,100000]`
 *
 * Scheduled jobs at scale (issue #18). For each N: a fresh embedded PostgreSQL seeded by SQL with
 * the realistic mix of bench/jobs-seed.ts, then every scheduled job run once on the job clock of
 * a UTC midnight (one runner, the WorkerModule in this process), the 10,000-reminder burst, and
 * the task list / detail of a user with 10,000 tasks over HTTP (the built API, `npm run build`, as
 * its own process on the seeded database; 200 calls each, one at a time). Prints time,
 * items, time per item per job, flags a job whose time per item grows by more than ×1.5 from the
 * smallest N, and writes bench/RESULTS-jobs.md.
 */
import 'reflect-metadata';
import { rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { loadConfig } from '@app/core/config/app-config';
import { migrate } from '@app/core/database/database-bootstrap';
import { EmbeddedPostgres } from '@app/core/database/embedded-postgres';
import type { JobName } from '@app/core/jobs/job-catalogue';
import { JobExecutor } from '../apps/worker/src/job-executor';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { freePort } from '../test/support/test-database';
import { BURST_REMINDERS, seedJobsMix } from './jobs-seed';
import { launch, ROOT, stop, waitForStatus } from './processes';
import { summarize } from './stats';

const NOW = new Date('2031-06-02T00:00:00.000Z');
const BURST_AT = new Date('2031-06-02T09:00:00.000Z');
/** Every scheduled job, in catalogue order (the queue-backed ones have nothing scheduled). */
const JOBS: JobName[] = [
  'streak_calculate',
  'credit_expire',
  'credit_daily_grant',
  'credit_reservation_release',
  'subscription_check',
  'subscription_renew',
  'activity_log_purge',
  'tombstone_cleanup',
  'idempotency_key_cleanup',
  'maintenance_cleanup',
];
const DAILY_AT_MIDNIGHT: JobName[] = ['streak_calculate', 'credit_expire', 'credit_daily_grant'];

interface JobFigure {
  job: string;
  ms: number;
  items: number;
  result: Record<string, unknown>;
  /** Sequential scans of tables over 1,000 rows the job made: `table (rows read)`. */
  seqScans: string[];
}

/** Backends flush their table statistics within a second of going idle (PostgreSQL ≥ 15). */
const STATS_FLUSH_MS = 1100;

async function seqScansSinceReset(db: Client): Promise<string[]> {
  await new Promise((resolve) => setTimeout(resolve, STATS_FLUSH_MS));
  const { rows } = await db.query<{ relname: string; seq_tup_read: string }>(
    `SELECT relname, seq_tup_read FROM pg_stat_user_tables
     WHERE seq_scan > 0 AND n_live_tup + n_dead_tup > 1000 ORDER BY relname`,
  );
  return rows.map((row) => `${row.relname} (${row.seq_tup_read})`);
}

interface RunFigures {
  users: number;
  seedMs: number;
  jobs: JobFigure[];
  listP95: number;
  detailP95: number;
  taskRows: number;
}

/**
 * p95 of `GET /api/v1/tasks?limit=25` and `GET /api/v1/tasks/{id}` for the user with the most
 * tasks, sent one at a time to the built API started on the seeded database.
 */
async function overHttp(
  databaseUrl: string,
  dataDir: string,
  email: string,
  taskIds: string[],
): Promise<{ list: number; detail: number }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const api = launch(
    'api',
    [join(ROOT, 'dist/apps/api/src/main.js')],
    {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      DB_MIGRATE_ON_START: 'false',
      DATA_DIR: join(dataDir, 'api'),
      PORT: String(port),
      AUTH_DEV_LOGIN: 'true',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_GENERAL: '1000000',
    },
    join(tmpdir(), `perpetua-bench-jobs-api-${process.pid}.log`),
  );
  try {
    await waitForStatus(`${base}/health/ready`, api);
    const login = await fetch(`${base}/api/v1/auth/dev/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const timed = async (path: string): Promise<number> => {
      const start = process.hrtime.bigint();
      const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const list: number[] = [];
    const detail: number[] = [];
    for (let i = 0; i < 200; i++) {
      list.push(await timed('/api/v1/tasks?limit=25'));
      detail.push(await timed(`/api/v1/tasks/${taskIds[i % taskIds.length]}`));
    }
    return { list: summarize(list).p95, detail: summarize(detail).p95 };
  } finally {
    await stop(api);
  }
}

/** The items a job handled: its counts but credits, errors and `streaks_reset` (a subset of `users_checked`). */
const itemsOf = (result: Record<string, unknown>): number =>
  Object.entries(result)
    .filter(
      ([key, value]) =>
        typeof value === 'number' && !key.startsWith('credits') && key !== 'errors' && key !== 'streaks_reset',
    )
    .reduce((sum, [, value]) => sum + (value as number), 0);

async function runFor(users: number): Promise<RunFigures> {
  const dataDir = join(tmpdir(), `perpetua-bench-jobs-${process.pid}-${users}`);
  const embedded = new EmbeddedPostgres({ dataDir, port: await freePort(), database: 'perpetua_bench' });
  const url = await embedded.start();
  try {
    await migrate(url);
    const db = new Client({ connectionString: url });
    db.on('error', () => undefined);
    await db.connect();
    const seedStart = Date.now();
    await seedJobsMix(db, users, NOW, BURST_AT).catch(async (error: unknown) => {
      await db.end();
      throw error;
    });
    const seedMs = Date.now() - seedStart;
    console.log(`N=${users}: seeded in ${(seedMs / 1000).toFixed(1)} s`);
    const config = loadConfig({ ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent', DB_MIGRATE_ON_START: 'false' });
    const app = await NestFactory.createApplicationContext(WorkerModule.register({ config, databaseUrl: url }), {
      logger: false,
    });
    try {
      const executor = app.get(JobExecutor);
      const jobs: JobFigure[] = [];
      const run = async (name: JobName, now: Date, label: string = name): Promise<void> => {
        await new Promise((resolve) => setTimeout(resolve, STATS_FLUSH_MS));
        await db.query(`SELECT pg_stat_reset()`);
        const start = process.hrtime.bigint();
        const outcome = await executor.execute(name, { now, data: {}, jobId: null, attempt: 1 });
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        const result = outcome.result ?? {};
        const seqScans = await seqScansSinceReset(db);
        jobs.push({ job: label, ms, items: itemsOf(result), result, seqScans });
        console.log(
          `  ${label.padEnd(28)} ${ms.toFixed(0).padStart(7)} ms  ${JSON.stringify(result)}  seq scans: ${seqScans.join(', ') || 'none'}`,
        );
      };
      // The 09:00 burst first: it does not share its minute with the 00:00 and 03:00 jobs.
      await run('reminder_fire', BURST_AT, `reminder_fire (${BURST_REMINDERS} burst)`);
      for (const name of JOBS) await run(name, NOW);
      const [heavy] = (
        await db.query(
          `SELECT t.user_id, u.email FROM task_instances t JOIN users u ON u.id = t.user_id
           GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1`,
        )
      ).rows;
      const taskRows: number = (await db.query(`SELECT count(*)::int AS n FROM task_instances`)).rows[0].n;
      const ids = (await db.query(`SELECT id FROM task_instances WHERE user_id = $1 LIMIT 200`, [heavy.user_id])).rows;
      const { list, detail } = await overHttp(
        url,
        dataDir,
        heavy.email,
        ids.map((row: { id: string }) => row.id),
      );
      await db.end();
      return { users, seedMs, jobs, listP95: list, detailP95: detail, taskRows };
    } finally {
      await app.close();
    }
  } finally {
    await embedded.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(runs: RunFigures[]): string {
  const base = runs[0];
  const perItem = (figure: JobFigure): number | null => (figure.items > 0 ? figure.ms / figure.items : null);
  const lines: string[] = [
    '# Scheduled jobs at scale (`npm run bench:jobs`)',
    '',
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), shared; embedded PostgreSQL, one runner, job clock ${NOW.toISOString()}.`,
    '',
    `| job | ${runs.map((run) => `N=${run.users}: time / items / per item`).join(' | ')} | per item ×(largest/smallest N) | sequential scans at N=${runs[runs.length - 1].users} |`,
    `|---|${runs.map(() => '---').join('|')}|---|---|`,
  ];
  const flagged: string[] = [];
  for (const [index, figure] of base.jobs.entries()) {
    const cells = runs.map((run) => {
      const f = run.jobs[index];
      const item = perItem(f);
      return `${(f.ms / 1000).toFixed(2)} s / ${f.items} / ${item === null ? '–' : `${item.toFixed(3)} ms`}`;
    });
    const first = perItem(figure);
    const last = perItem(runs[runs.length - 1].jobs[index]);
    const ratio = first && last && runs.length > 1 ? last / first : null;
    if (ratio !== null && ratio > 1.5 && runs[runs.length - 1].jobs[index].ms > 500) flagged.push(figure.job);
    const scans = runs[runs.length - 1].jobs[index].seqScans.join(', ') || 'none';
    lines.push(
      `| \`${figure.job}\` | ${cells.join(' | ')} | ${ratio === null ? '–' : `×${ratio.toFixed(2)}`} | ${scans} |`,
    );
  }
  lines.push('');
  for (const run of runs) {
    const midnight = run.jobs
      .filter((f) => (DAILY_AT_MIDNIGHT as string[]).includes(f.job))
      .reduce((s, f) => s + f.ms, 0);
    lines.push(
      `- N=${run.users}: seed ${(run.seedMs / 1000).toFixed(1)} s; 00:00 jobs ${(midnight / 1000).toFixed(2)} s in all; ` +
        `tasks list (limit 25) p95 ${run.listP95.toFixed(1)} ms and detail p95 ${run.detailP95.toFixed(1)} ms for a user with 10,000 tasks among ${run.taskRows} task rows (over HTTP, one request at a time).`,
    );
  }
  lines.push(
    '',
    flagged.length
      ? `Per-item time grows with N (> ×1.5): ${flagged.join(', ')}`
      : "No job's per-item time grows by more than ×1.5.",
  );
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const arg = process.argv.slice(2).find((item) => item.startsWith('--users='));
  const sizes = (arg ? arg.slice('--users='.length) : '10000,100000').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 100)) throw new Error('--users takes a list of integers ≥ 100');
  const runs: RunFigures[] = [];
  for (const users of sizes) runs.push(await runFor(users));
  const text = report(runs);
  console.log(text);
  writeFileSync(join(__dirname, 'RESULTS-jobs.md'), text);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
