import '@app/core/process/require-node';
import '@app/core/process/load-env-file';
import '@app/core/process/tracing';
import 'reflect-metadata';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { loadConfig } from '@app/core/config/app-config';
import { prepareDatabase } from '@app/core/database/database-bootstrap';
import { staleBuildProblem } from '@app/core/process/build-stamp';
import { stopTracing } from '@app/core/process/tracing';
import { parseTimestamp } from '@app/core/validation/validators';
import { isJobName, JOB_CATALOGUE, JOB_NAMES, JobName } from '@app/core/jobs/job-catalogue';
import { JobQueue } from '@app/core/jobs/job-queue.service';
import { JobExecutor } from '../apps/worker/src/job-executor';
import { JobLocks, LOCK_TIMEOUT } from '../apps/worker/src/job-lock';
import { JOB_LOCK_WAIT_MS, QueuedJobProcessor } from '../apps/worker/src/queued-job-processor';
import { StderrLogger } from '../apps/worker/src/stderr-logger';
import { WorkerModule } from '../apps/worker/src/worker.module';

const EXIT = { success: 0, failure: 1, unknownJob: 2, lockTimeout: 3 } as const;

const USAGE = `Usage: npm run job -- <job_name> [--now=<ISO-8601 date-time>] [--lock-wait=<seconds>]

Runs one job once, in the foreground, with the handler the job runner uses (docs/jobs.md §3), and
prints one JSON line to stdout (logs go to stderr).

  --now=<instant>       evaluate the job as if it were this instant (default: now); for
                        queue-backed jobs it only sets the handlers' clock
  --lock-wait=<seconds> how long to wait while the same job runs elsewhere (default 60)

Exit codes: 0 success or skipped, 1 failure, 2 unknown job name, 3 lock timeout.
A dist/ older than the sources is refused (exit 1): run npm run build.

Jobs:
${JOB_NAMES.map((name) => `  ${name}${JOB_CATALOGUE[name].queueBacked ? '  (processes its due queued jobs)' : ''}`).join('\n')}
`;

interface Options {
  help: boolean;
  name?: string;
  now: Date;
  lockWaitMs: number;
}

interface Outcome {
  status: 'success' | 'skipped' | 'failure';
  result: Record<string, unknown>;
  error?: string;
}

class UsageError extends Error {}

function parseArguments(argv: string[]): Options {
  const options: Options = { help: false, now: new Date(), lockWaitMs: JOB_LOCK_WAIT_MS };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') ? splitFlag(arg) : [undefined, undefined];
    const value = (): string => {
      const found = inline ?? argv[++i];
      if (found === undefined) throw new UsageError(`${flag} needs a value`);
      return found;
    };
    switch (flag) {
      case undefined:
        if (arg === '-h') options.help = true;
        else positional.push(arg);
        break;
      case '--help':
        options.help = true;
        break;
      case '--now': {
        const text = value();
        const now = parseTimestamp(text);
        if (!now)
          throw new UsageError(`--now must be an ISO-8601 date-time such as 2026-01-20T00:00:00Z, got "${text}"`);
        options.now = now;
        break;
      }
      case '--lock-wait': {
        const seconds = Number(value());
        if (!Number.isFinite(seconds) || seconds < 0) throw new UsageError('--lock-wait must be a number of seconds');
        options.lockWaitMs = seconds * 1000;
        break;
      }
      default:
        throw new UsageError(`Unknown option ${flag}`);
    }
  }
  if (positional.length > 1) throw new UsageError(`One job name expected, got: ${positional.join(' ')}`);
  options.name = positional[0];
  return options;
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq === -1 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

async function main(argv: string[]): Promise<number> {
  let options: Options;
  try {
    options = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    return EXIT.failure;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return EXIT.success;
  }
  if (!options.name || !isJobName(options.name)) {
    const problem = options.name ? `Unknown job "${options.name}".` : 'No job name given.';
    process.stderr.write(`${problem} Valid job names:\n${JOB_NAMES.map((name) => `  ${name}`).join('\n')}\n`);
    return EXIT.unknownJob;
  }
  const name = options.name;
  // Running yesterday's handlers against today's database would be a silent lie: refuse a stale dist/.
  const stale = staleBuildProblem(join(__dirname, '..', '..'), join(__dirname, '..'));
  if (stale) {
    process.stderr.write(`${stale}\n`);
    return EXIT.failure;
  }

  const config = loadConfig();
  const database = await prepareDatabase(config, (message) => process.stderr.write(`${message}\n`));
  const app = await NestFactory.createApplicationContext(WorkerModule.register({ config, databaseUrl: database.url }), {
    logger: new StderrLogger(config.LOG_LEVEL),
  });
  try {
    let startedAt = new Date();
    const outcome = await app.get(JobLocks).withLock(name, options.lockWaitMs, async () => {
      startedAt = new Date();
      return run(app, name, options.now);
    });
    if (outcome === LOCK_TIMEOUT) {
      process.stderr.write(`job ${name} is running elsewhere; gave up after ${options.lockWaitMs / 1000} s\n`);
      return EXIT.lockTimeout;
    }
    print({
      job: name,
      status: outcome.status,
      now: options.now,
      started_at: startedAt,
      finished_at: new Date(),
      result: outcome.result,
      ...(outcome.error ? { error: outcome.error } : {}),
    });
    return outcome.status === 'failure' ? EXIT.failure : EXIT.success;
  } finally {
    await app.close();
    await database.embedded?.stop();
  }
}

/** A periodic job runs its handler directly; a queue-backed one processes each job due now once. */
async function run(app: INestApplicationContext, name: JobName, now: Date): Promise<Outcome> {
  if (!JOB_CATALOGUE[name].queueBacked) {
    try {
      const outcome = await app.get(JobExecutor).execute(name, { now, data: {}, jobId: null, attempt: 1 });
      return { status: outcome.status, result: outcome.result ?? {} };
    } catch (error) {
      return { status: 'failure', result: {}, error: errorText(error) };
    }
  }
  const queue = app.get(JobQueue);
  const processor = app.get(QueuedJobProcessor);
  const totals: Record<string, number> = { jobs_processed: 0, jobs_failed: 0 };
  for (const count of queueBackedCounts(name)) totals[count] = 0;
  const errors: string[] = [];
  const seen = new Set<string>();
  for (;;) {
    const [job] = await queue.fetch(name, 1);
    if (!job || seen.has(job.id)) break;
    seen.add(job.id);
    const processed = await processor.process(job, now);
    if ('result' in processed) {
      totals.jobs_processed++;
      for (const [key, value] of Object.entries(processed.result)) {
        if (typeof value === 'number') totals[key] = (totals[key] ?? 0) + value;
      }
    } else {
      totals.jobs_failed++;
      if ('error' in processed) errors.push(`${job.id}: ${errorText(processed.error)}`);
    }
  }
  if (totals.jobs_failed > 0) return { status: 'failure', result: totals, error: errors.join('; ') };
  return { status: totals.jobs_processed > 0 ? 'success' : 'skipped', result: totals };
}

/** The handler's own result counts (docs/jobs.md §4), printed even when no job was due. */
function queueBackedCounts(name: JobName): readonly string[] {
  const entry = JOB_CATALOGUE[name];
  return 'counts' in entry ? entry.counts : [];
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function print(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

main(process.argv.slice(2))
  .then(async (code) => {
    await stopTracing();
    process.exit(code);
  })
  .catch((error: unknown) => {
    process.stderr.write(`${errorText(error)}\n`);
    process.exit(EXIT.failure);
  });
