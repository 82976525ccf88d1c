import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/core/config/app-config';
import { prepareDatabase } from '@app/core/database/database-bootstrap';
import { parseTimestamp } from '@app/core/validation/validators';
import { isJobName, JOB_CATALOGUE, JOB_NAMES, JobName, queueNames } from '@app/core/jobs/job-catalogue';
import { JobQueue } from '@app/core/jobs/job-queue.service';
import type { JobResult } from '@app/core/jobs/job-handler.decorator';
import { JobExecutor } from '../apps/worker/src/job-executor';
import { WorkerModule } from '../apps/worker/src/worker.module';

const EXIT = { success: 0, failure: 1, unknownJob: 2, lockTimeout: 3 } as const;
const LOCK_WAIT_MS = 60_000;

const USAGE = `Usage: npm run job -- <job_name> [--now=<ISO-8601 UTC>]

Runs one job once, in the foreground, with the same handler the job runner uses (jobs.md §3).
Prints one JSON line; exit codes: 0 success/skipped, 1 failure, 2 unknown job, 3 lock timeout.

Jobs:
${JOB_NAMES.map((name) => `  ${name}${JOB_CATALOGUE[name].queueBacked ? ' (processes the due queued jobs)' : ''}`).join('\n')}`;

async function main(argv: string[]): Promise<number> {
  const name = argv.find((arg) => !arg.startsWith('--'));
  if (!name || argv.includes('--help') || argv.includes('-h')) {
    console.error(USAGE);
    return name || argv.includes('--help') || argv.includes('-h') ? EXIT.success : EXIT.unknownJob;
  }
  if (!isJobName(name)) {
    console.error(`Unknown job "${name}".\n\n${USAGE}`);
    return EXIT.unknownJob;
  }
  const nowArg = argv.find((arg) => arg.startsWith('--now='))?.slice('--now='.length);
  const now = nowArg === undefined ? new Date() : parseTimestamp(nowArg);
  if (!now) {
    console.error(`--now must be an ISO-8601 timestamp, got "${nowArg}"`);
    return EXIT.failure;
  }

  const config = loadConfig();
  const database = await prepareDatabase(config);
  const app = await NestFactory.createApplicationContext(WorkerModule.register({ config, databaseUrl: database.url }), {
    logger: ['error', 'warn'],
  });
  const startedAt = new Date();
  try {
    const locked = await withJobLock(app, name, () => run(app, name, now));
    if (locked === 'timeout') {
      console.error(`job ${name} is running elsewhere; gave up after ${LOCK_WAIT_MS / 1000} s`);
      return EXIT.lockTimeout;
    }
    print({ job: name, status: locked.status, now, started_at: startedAt, finished_at: new Date(), result: locked.result ?? {} });
    return EXIT.success;
  } catch (error) {
    print({ job: name, status: 'failure', now, started_at: startedAt, finished_at: new Date(), error: String(error) });
    return EXIT.failure;
  } finally {
    await app.close();
    await database.embedded?.stop();
  }
}

async function run(app: INestApplicationContext, name: JobName, now: Date): Promise<JobResult> {
  const executor = app.get(JobExecutor);
  if (!JOB_CATALOGUE[name].queueBacked) return executor.execute(name, { now, data: {}, jobId: null, attempt: 1 });
  const boss = app.get(JobQueue).boss;
  let processed = 0;
  let failed = 0;
  for (const queue of queueNames(name)) {
    for (;;) {
      const [job] = await boss.fetch<Record<string, unknown>>(queue, { batchSize: 1 });
      if (!job) break;
      try {
        await executor.execute(name, { now, data: job.data ?? {}, jobId: job.id, attempt: 1 });
        await boss.complete(queue, job.id);
        processed++;
      } catch (error) {
        await boss.fail(queue, job.id, { message: String(error) });
        failed++;
      }
    }
  }
  if (failed > 0) throw new Error(`${failed} of ${processed + failed} queued ${name} jobs failed`);
  return { status: processed > 0 ? 'success' : 'skipped', result: { processed } };
}

/** A per-job advisory lock: the same job running elsewhere makes this wait up to 60 s. */
async function withJobLock<T>(app: INestApplicationContext, name: JobName, work: () => Promise<T>): Promise<T | 'timeout'> {
  const runner = app.get(DataSource).createQueryRunner();
  await runner.connect();
  const key = `perpetua-job:${name}`;
  try {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      const [{ locked }]: Array<{ locked: boolean }> = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
      if (locked) break;
      if (Date.now() > deadline) return 'timeout';
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    await runner.release();
  }
}

function print(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(EXIT.failure);
  });
