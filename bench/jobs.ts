/**
 * `npm run bench:jobs -- [--users=10000,100000] [--explain] [--pg-defaults]`
 *
 * Scheduled jobs at scale (issue #18). For each N: a fresh embedded PostgreSQL seeded by SQL with
 * the realistic mix of bench/jobs-seed.ts, then every scheduled job run once on the job clock of
 * a UTC midnight (one runner, the WorkerModule in this process), the 10,000-reminder burst, and
 * the task list / detail of a user with 10,000 tasks over HTTP (the built API, `npm run build`, as
 * its own process on the seeded database; 200 calls each, one at a time). Prints time,
 * items, time per item per job, flags a job whose time per item grows by more than ×1.5 from the
 * smallest N, and writes bench/RESULTS-jobs.md.
 *
 * With `--explain`, the jobs' own connections run with auto_explain (ANALYZE and BUFFERS, nested
 * statements, no per-node timing) and every distinct statement of each job is summed up from the
 * server log into bench/EXPLAIN-jobs.md: calls, time, plan nodes, sequential scans, buffers. Its
 * instrumentation makes the jobs slower; the HTTP figures are taken with it off.
 */
import 'reflect-metadata';
import { createReadStream, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
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

const DATABASE = 'perpetua_bench';
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
/**
 * The server is sized as a production database of this size would be: a buffer cache that holds
 * the jobs' working set and checkpoints spaced for bulk jobs. `--pg-defaults` runs with
 * PostgreSQL's own defaults instead (128 MB of buffers, 1 GB of WAL between checkpoints): there, from
 * 100k users the activity and notification indexes outgrow the cache and every job writing them
 * pays page reads and evictions per item (bench/RESULTS-jobs.md, run 1 against run 2).
 */
const SERVER_SETTINGS: Record<string, string> = { shared_buffers: '2GB', max_wal_size: '4GB' };
const DAILY_AT_MIDNIGHT: JobName[] = ['streak_calculate', 'credit_expire', 'credit_daily_grant'];

interface JobFigure {
  job: string;
  ms: number;
  items: number;
  result: Record<string, unknown>;
  /** Sequential scans of tables over 1,000 rows the job made: `table (rows read)`. */
  seqScans: string[];
  /** With `--explain`: the job's statements and their plans. */
  plans?: Map<string, StatementPlans>;
}

/**
 * Backends flush their table statistics within a second of going idle (PostgreSQL ≥ 15); on a loaded
 * machine some arrive after the next job's reset and are counted there (`--explain` reads the plans).
 */
const STATS_FLUSH_MS = 1100;

async function seqScansSinceReset(db: Client): Promise<string[]> {
  await new Promise((resolve) => setTimeout(resolve, STATS_FLUSH_MS));
  const { rows } = await db.query<{ relname: string; seq_tup_read: string }>(
    `SELECT relname, seq_tup_read FROM pg_stat_user_tables
     WHERE seq_scan > 0 AND n_live_tup + n_dead_tup > 1000 ORDER BY relname`,
  );
  return rows.map((row) => `${row.relname} (${row.seq_tup_read})`);
}

/** A plan node as auto_explain logs it in JSON, with the fields read here. */
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

/** One distinct statement of a job, over all its calls. */
interface StatementPlans {
  calls: number;
  ms: number;
  slowestMs: number;
  /** The plan's nodes in pre-order, of the slowest call. */
  nodes: string[];
  /** Rows read by sequential scans, by relation, over all calls. */
  seqScans: Map<string, number>;
  hit: number;
  read: number;
}

/** A relation's sequential scans that read this many rows in a job are listed. */
const LARGE_SCAN_ROWS = 1000;

const AUTO_EXPLAIN: Record<string, string> = {
  log_min_duration: '0',
  log_analyze: 'on',
  log_buffers: 'on',
  // Row counts and buffers are what is read here; per-node timing would only slow the jobs more.
  log_timing: 'off',
  log_format: 'json',
  log_nested_statements: 'on',
};

/**
 * auto_explain for the connections opened from now on (the worker's, not `db`'s), or off again.
 * Returns the server log it writes to.
 */
async function autoExplain(db: Client, on: boolean): Promise<string> {
  await db.query(`LOAD 'auto_explain'`);
  const database = `"${DATABASE}"`;
  await db.query(`ALTER DATABASE ${database} RESET ALL`);
  if (on) {
    await db.query(`ALTER DATABASE ${database} SET session_preload_libraries = 'auto_explain'`);
    for (const [name, value] of Object.entries(AUTO_EXPLAIN))
      await db.query(`ALTER DATABASE ${database} SET auto_explain.${name} = '${value}'`);
  }
  const { rows } = await db.query<{ dir: string }>(`SELECT current_setting('data_directory') AS dir`);
  return join(rows[0].dir, 'server.log'); // where EmbeddedPostgres starts the server to log
}

/** Relations that the job's sequential scans read `LARGE_SCAN_ROWS` rows or more of: `table (rows read)`. */
function largeScans(plans: Map<string, StatementPlans>): string[] {
  const rows = new Map<string, number>();
  for (const statement of plans.values())
    for (const [relation, read] of statement.seqScans) rows.set(relation, (rows.get(relation) ?? 0) + read);
  return [...rows]
    .filter(([, read]) => read >= LARGE_SCAN_ROWS)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([relation, read]) => `${relation} (${read})`);
}

/** A statement as one line, with its parameter lists folded, cut for a table cell. */
const shortened = (query: string): string => {
  const line = query
    .replace(/\s+/g, ' ')
    .replace(/\$\d+(, \$\d+)+/g, '$…')
    .trim();
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
};

function addPlan(
  plans: Map<string, StatementPlans>,
  ms: number,
  entry: { 'Query Text': string; Plan: PlanNode },
): void {
  const key = shortened(entry['Query Text']);
  const statement = plans.get(key) ?? {
    calls: 0,
    ms: 0,
    slowestMs: -1,
    nodes: [],
    seqScans: new Map<string, number>(),
    hit: 0,
    read: 0,
  };
  plans.set(key, statement);
  statement.calls += 1;
  statement.ms += ms;
  // The top node's buffers include its children's.
  statement.hit += entry.Plan['Shared Hit Blocks'];
  statement.read += entry.Plan['Shared Read Blocks'];
  const nodes: string[] = [];
  const walk = (node: PlanNode): void => {
    const on = node['Index Name'] ?? node['Relation Name'];
    nodes.push(on ? `${node['Node Type']} ${on}` : node['Node Type']);
    // Catalog reads (the job queue's maintenance) are no job's data.
    if (node['Node Type'] === 'Seq Scan' && node['Relation Name'] && !node['Relation Name'].startsWith('pg_')) {
      // Both counts are per loop.
      const rows = (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops'];
      statement.seqScans.set(node['Relation Name'], (statement.seqScans.get(node['Relation Name']) ?? 0) + rows);
    }
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(entry.Plan);
  if (ms > statement.slowestMs) {
    statement.slowestMs = ms;
    statement.nodes = nodes;
  }
}

/**
 * The plans auto_explain wrote to `log` between the byte offsets `start` and `end`, by statement:
 * each is a `duration: … ms  plan:` line followed by its JSON, every line of it led by a tab.
 */
async function plansIn(log: string, start: number, end: number): Promise<Map<string, StatementPlans>> {
  const plans = new Map<string, StatementPlans>();
  if (end <= start) return plans;
  let pending: { ms: number; json: string[] } | null = null;
  const flush = (): void => {
    if (pending) addPlan(plans, pending.ms, JSON.parse(pending.json.join('\n')));
    pending = null;
  };
  for await (const line of createInterface({ input: createReadStream(log, { start, end: end - 1 }) })) {
    if (pending && line.startsWith('\t')) {
      pending.json.push(line.slice(1));
      continue;
    }
    flush();
    const duration = /duration: ([\d.]+) ms {2}plan:$/.exec(line);
    if (duration) pending = { ms: Number(duration[1]), json: [] };
  }
  flush();
  return plans;
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

async function runFor(users: number, explain: boolean, settings: Record<string, string>): Promise<RunFigures> {
  const dataDir = join(tmpdir(), `perpetua-bench-jobs-${process.pid}-${users}`);
  const embedded = new EmbeddedPostgres({ dataDir, port: await freePort(), database: DATABASE, settings });
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
    const serverLog = explain ? await autoExplain(db, true) : null;
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
        const logStart = serverLog ? statSync(serverLog).size : 0;
        const start = process.hrtime.bigint();
        const outcome = await executor.execute(name, { now, data: {}, jobId: null, attempt: 1 });
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        const plans = serverLog ? await plansIn(serverLog, logStart, statSync(serverLog).size) : undefined;
        const result = outcome.result ?? {};
        const seqScans = plans ? largeScans(plans) : await seqScansSinceReset(db);
        jobs.push({ job: label, ms, items: itemsOf(result), result, seqScans, plans });
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
      if (explain) await autoExplain(db, false);
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

function report(runs: RunFigures[], explain: boolean, settings: Record<string, string>): string {
  const base = runs[0];
  const perItem = (figure: JobFigure): number | null => (figure.items > 0 ? figure.ms / figure.items : null);
  const lines: string[] = [
    '# Scheduled jobs at scale (`npm run bench:jobs`)',
    '',
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), shared; embedded PostgreSQL (${
      Object.entries(settings)
        .map(([name, value]) => `${name}=${value}`)
        .join(', ') || 'PostgreSQL defaults, `--pg-defaults`'
    }), one runner, job clock ${NOW.toISOString()}.` +
      (explain ? ' Jobs timed under auto_explain (`--explain`, bench/EXPLAIN-jobs.md): slower than without.' : ''),
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

function explainReport(runs: RunFigures[]): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const scans = (statement: StatementPlans): string =>
    [...statement.seqScans].map(([relation, rows]) => `${relation} (${rows})`).join(', ');
  const lines: string[] = [
    '# Plans of the scheduled jobs (`npm run bench:jobs -- --explain`)',
    '',
    "Every statement the jobs' connections ran, from auto_explain (ANALYZE, BUFFERS, nested statements",
    'included) in the server log, grouped by its text (parameter lists folded), slowest total first.',
    'Plan: the nodes of its slowest call, in pre-order, with the index or relation they read.',
    'Sequential scans: rows read (kept and filtered out) over all calls. Buffers: shared blocks hit /',
    "read over all calls (a statement's own count includes the nested statements it ran).",
    '',
  ];
  for (const run of runs) {
    const large = run.jobs.flatMap((job) =>
      [...(job.plans ?? [])].flatMap(([text, statement]) =>
        [...statement.seqScans]
          .filter(([, rows]) => rows >= LARGE_SCAN_ROWS)
          .map(
            ([relation, rows]) =>
              `- \`${job.job}\`: ${relation} (${rows} rows in ${statement.calls} calls) in \`${cell(text)}\``,
          ),
      ),
    );
    lines.push(
      `## N=${run.users}`,
      '',
      `Sequential scans reading ${LARGE_SCAN_ROWS} rows or more: ${large.length ? '' : 'none.'}`,
      ...large,
      '',
    );
    for (const job of run.jobs) {
      const statements = [...(job.plans ?? [])].sort(([, a], [, b]) => b.ms - a.ms);
      lines.push(
        `### \`${job.job}\` (${(job.ms / 1000).toFixed(2)} s, ${statements.length} statements)`,
        '',
        '| statement | calls | total ms | plan | sequential scans | buffers hit / read |',
        '|---|---|---|---|---|---|',
        ...statements.map(
          ([text, s]) =>
            `| \`${cell(text)}\` | ${s.calls} | ${s.ms.toFixed(1)} | ${cell(s.nodes.join(' → '))} | ${scans(s) || '–'} | ${s.hit} / ${s.read} |`,
        ),
        '',
      );
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const explain = process.argv.includes('--explain');
  const arg = process.argv.slice(2).find((item) => item.startsWith('--users='));
  const sizes = (arg ? arg.slice('--users='.length) : '10000,100000').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 100)) throw new Error('--users takes a list of integers ≥ 100');
  const settings = process.argv.includes('--pg-defaults') ? {} : SERVER_SETTINGS;
  const runs: RunFigures[] = [];
  for (const users of sizes) runs.push(await runFor(users, explain, settings));
  const text = report(runs, explain, settings);
  console.log(text);
  writeFileSync(join(__dirname, 'RESULTS-jobs.md'), text);
  if (explain) writeFileSync(join(__dirname, 'EXPLAIN-jobs.md'), explainReport(runs));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
