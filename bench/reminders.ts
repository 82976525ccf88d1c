/**
 * `npm run bench:reminders -- [--count=200] [--lead=3] [--spread=10] [--late=20]`
 *
 * Reminder latency (docs/rules.md §7, SC-012: within 2 s of `scheduled_at`, never before). Boots the
 * job runner (the WorkerModule with its JobRunner, in this process) on a fresh embedded
 * PostgreSQL (or on `DATABASE_URL`), then:
 *   - spread: `count` reminders due between `lead` and `lead + spread` seconds ahead;
 *   - burst: `count` reminders all due at the same instant, `lead` seconds ahead;
 *   - late: `late` reminders created already due (woken by NOTIFY), measured from their commit.
 * For each reminder it records `fired_at − scheduled_at` (the job's clock) and the delay until an
 * observer polling every 10 ms sees the notification committed. Prints p50/p95/max and writes
 * bench/RESULTS-reminders.md.
 */
import 'reflect-metadata';
import { rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { loadConfig } from '@app/core/config/app-config';
import { migrate } from '@app/core/database/database-bootstrap';
import { EmbeddedPostgres } from '@app/core/database/embedded-postgres';
import { JobRunner } from '../apps/worker/src/job-runner.service';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { freePort } from '../test/support/test-database';

interface Options {
  count: number;
  leadSeconds: number;
  spreadSeconds: number;
  late: number;
}

interface Sample {
  firedMs: number;
  visibleMs: number;
}

interface Scenario {
  name: string;
  description: string;
  samples: Sample[];
  early: number;
}

const OBSERVER_POLL_MS = 10;

function parseOptions(argv: string[]): Options {
  const value = (name: string, fallback: number): number => {
    const arg = argv.find((item) => item.startsWith(`--${name}=`));
    const parsed = arg === undefined ? fallback : Number(arg.slice(name.length + 3));
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative number`);
    return parsed;
  };
  return {
    count: value('count', 200),
    leadSeconds: value('lead', 3),
    spreadSeconds: value('spread', 10),
    late: value('late', 20),
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const env = loadConfig();
  let embedded: EmbeddedPostgres | undefined;
  const dataDir = join(tmpdir(), `perpetua-bench-${process.pid}`);
  let url = env.DATABASE_URL;
  if (!url) {
    embedded = new EmbeddedPostgres({ dataDir, port: await freePort(), database: 'perpetua_bench' });
    url = await embedded.start();
  }
  await migrate(url);
  const config = loadConfig({ ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent', DB_MIGRATE_ON_START: 'false' });
  const app = await NestFactory.createApplicationContext(WorkerModule.register({ config, databaseUrl: url }), {
    logger: false,
  });
  const runner = app.get(JobRunner);
  const db = new Client({ connectionString: url });
  const observer = new Client({ connectionString: url });
  await db.connect();
  await observer.connect();
  try {
    await runner.start();
    const scenarios: Scenario[] = [];
    const ahead = Date.now() + options.leadSeconds * 1000;
    scenarios.push(
      await measure(
        db,
        observer,
        options.count,
        'spread',
        `${options.count} reminders due ${options.leadSeconds}–${options.leadSeconds + options.spreadSeconds} s ahead`,
        (i) => new Date(ahead + Math.floor((i * options.spreadSeconds * 1000) / options.count)),
      ),
    );
    const burst = Date.now() + options.leadSeconds * 1000;
    scenarios.push(
      await measure(
        db,
        observer,
        options.count,
        'burst',
        `${options.count} reminders due at the same instant, ${options.leadSeconds} s ahead`,
        () => new Date(burst),
      ),
    );
    scenarios.push(await measureLate(db, observer, options.late));
    report(options, scenarios, Boolean(embedded));
  } finally {
    await runner.stop();
    await db.end();
    await observer.end();
    await app.close();
    await embedded?.stop();
    if (embedded) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchUser(db: Client, scenario: string): Promise<string> {
  const key = `bench-${scenario}-${Date.now()}`;
  const { rows } = await db.query(`INSERT INTO users (google_id, email, name) VALUES ($1, $2, 'Bench') RETURNING id`, [
    key,
    `${key}@example.com`,
  ]);
  return rows[0].id;
}

/** Tasks with at most 5 reminders each (the API's limit), `scheduledAt(i)` per reminder. */
async function createReminders(
  db: Client,
  userId: string,
  count: number,
  scheduledAt: (i: number) => Date,
): Promise<Map<string, Date>> {
  const reminders = new Map<string, Date>();
  let taskId = '';
  for (let i = 0; i < count; i++) {
    if (i % 5 === 0) {
      const { rows } = await db.query(`INSERT INTO task_instances (user_id, title) VALUES ($1, $2) RETURNING id`, [
        userId,
        `Bench task ${i / 5}`,
      ]);
      taskId = rows[0].id;
    }
    const at = scheduledAt(i);
    const { rows } = await db.query(
      `INSERT INTO reminders (task_id, user_id, type, scheduled_at) VALUES ($1, $2, 'absolute', $3) RETURNING id`,
      [taskId, userId, at],
    );
    reminders.set(rows[0].id, at);
  }
  return reminders;
}

/**
 * Polls the user's notifications from before the reminders exist until `expected` are visible;
 * resolves with the moment each reminder's notification was first seen.
 */
function observe(db: Client, userId: string, expected: number, timeoutMs: number): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const deadline = Date.now() + timeoutMs;
  const poll = async (): Promise<Map<string, number>> => {
    while (seen.size < expected) {
      if (Date.now() > deadline) throw new Error(`${expected - seen.size} reminders not delivered in time`);
      const { rows } = await db.query(`SELECT source_ref FROM notifications WHERE user_id = $1`, [userId]);
      const now = Date.now();
      for (const row of rows as Array<{ source_ref: string }>) {
        const id = row.source_ref.slice('reminder:'.length);
        if (!seen.has(id)) seen.set(id, now);
      }
      await new Promise((resolve) => setTimeout(resolve, OBSERVER_POLL_MS));
    }
    return seen;
  };
  return poll();
}

async function firedAt(db: Client, ids: string[]): Promise<Map<string, number>> {
  const { rows } = await db.query(`SELECT id, fired_at FROM reminders WHERE id = ANY($1)`, [ids]);
  return new Map((rows as Array<{ id: string; fired_at: Date }>).map((row) => [row.id, row.fired_at.getTime()]));
}

/** Reminders created ahead of time: latency from `scheduled_at`. */
async function measure(
  db: Client,
  observer: Client,
  count: number,
  name: string,
  description: string,
  scheduledAt: (i: number) => Date,
): Promise<Scenario> {
  const userId = await benchUser(db, name);
  const visible = observe(observer, userId, count, 120_000);
  const reminders = await createReminders(db, userId, count, scheduledAt);
  const seen = await visible;
  const fired = await firedAt(db, [...reminders.keys()]);
  const samples = [...reminders].map(([id, at]) => ({
    firedMs: fired.get(id)! - at.getTime(),
    visibleMs: seen.get(id)! - at.getTime(),
  }));
  return { name, description, samples, early: samples.filter((sample) => sample.firedMs < 0).length };
}

/** Reminders whose time has passed when they are created: latency from their commit. */
async function measureLate(db: Client, observer: Client, count: number): Promise<Scenario> {
  const userId = await benchUser(db, 'late');
  const visible = observe(observer, userId, count, 60_000);
  const committed = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const [[id]] = await createReminders(db, userId, 1, () => new Date(Date.now() - 60_000));
    committed.set(id, Date.now());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seen = await visible;
  const fired = await firedAt(db, [...committed.keys()]);
  const samples = [...committed].map(([id, at]) => ({ firedMs: fired.get(id)! - at, visibleMs: seen.get(id)! - at }));
  return {
    name: 'late',
    description: `${count} reminders created 60 s overdue, one every 100 ms (measured from their commit)`,
    samples,
    early: 0,
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function stats(values: number[]): string {
  return `${percentile(values, 50)} / ${percentile(values, 95)} / ${Math.max(...values)}`;
}

function report(options: Options, scenarios: Scenario[], embedded: boolean): void {
  const rows = scenarios.map(
    (s) =>
      `| ${s.name} | ${s.samples.length} | ${stats(s.samples.map((x) => x.firedMs))} | ${stats(s.samples.map((x) => x.visibleMs))} | ${s.early} |`,
  );
  const table = [
    '| scenario | reminders | fired_at − scheduled_at p50 / p95 / max (ms) | notification visible p50 / p95 / max (ms) | fired early |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  const lines = [
    '# Reminder latency benchmark',
    '',
    'Produced by `npm run bench:reminders` (bench/reminders.ts). Target (docs/rules.md §7, SC-012): each reminder',
    'fires within 2 s of `scheduled_at` while a runner is up, and never before it.',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    `- Database: ${embedded ? 'fresh embedded PostgreSQL' : 'DATABASE_URL'}; one job runner (WorkerModule + JobRunner) in the benchmark process`,
    `- Options: count=${options.count}, lead=${options.leadSeconds} s, spread=${options.spreadSeconds} s, late=${options.late}`,
    '- "fired" = `fired_at − scheduled_at` (the handler clock written in the firing transaction);',
    `  "visible" = until an observer polling every ${OBSERVER_POLL_MS} ms sees the committed notification`,
    "  (late scenario: both measured from the reminder's commit).",
    '',
    ...scenarios.map((s) => `- ${s.name}: ${s.description}`),
    '',
    table,
    '',
  ];
  const markdown = lines.join('\n');
  writeFileSync(join(__dirname, 'RESULTS-reminders.md'), markdown);
  process.stdout.write(`${markdown}\nWritten to bench/RESULTS-reminders.md\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
