import { Injectable, LoggerService } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/core/config/app-config';
import { CoreModule } from '@app/core/core.module';
import { JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
import { DEAD_JOB_QUEUE, JobQueue } from '@app/core/jobs/job-queue.service';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { JobExecutor } from '../../apps/worker/src/job-executor';
import { JobLocks } from '../../apps/worker/src/job-lock';
import { JobRegistry } from '../../apps/worker/src/job-registry';
import { QueueConsumer } from '../../apps/worker/src/queue-consumer';
import { QueuedJobProcessor } from '../../apps/worker/src/queued-job-processor';
import { baseTestEnv, createTestDatabase } from '../support/test-app';
import { eventually } from './job-fixtures';

/** A handler that always fails, standing in for a provider that is down. */
@Injectable()
class FailingJobs {
  @JobHandler('push_deliver')
  async deliver(): Promise<JobResult> {
    throw new Error('push service unreachable');
  }
}

/** A handler that runs until the test lets it finish. */
@Injectable()
class BlockingJobs {
  entered = 0;
  private release?: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));

  @JobHandler('recurring_task_generate')
  async generate(): Promise<JobResult> {
    this.entered++;
    await this.gate;
    return { status: 'success', result: { generated: 1 } };
  }

  finish(): void {
    this.release?.();
  }
}

class CapturingLogger implements LoggerService {
  readonly errors: unknown[][] = [];
  log(): void {}
  warn(): void {}
  error(...args: unknown[]): void {
    this.errors.push(args);
  }
}

interface JobRow {
  state: string;
  retry_count: number;
  retry_limit: number;
  wait_seconds: number;
  output: { message?: string } | null;
}

/** docs/jobs.md §2: retries with exponential backoff from 1 minute (capped at 60), then the visible dead state. */
describe('job retries and the dead state', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let context: INestApplicationContext;
  let queue: JobQueue;
  let processor: QueuedJobProcessor;
  let db: DataSource;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig({ ...baseTestEnv(), DATABASE_URL: database.url });
    context = await NestFactory.createApplicationContext(
      {
        module: class RetryTestModule {},
        imports: [CoreModule.forRoot({ config, databaseUrl: database.url, role: 'worker' }), DiscoveryModule],
        providers: [JobRegistry, JobExecutor, JobLocks, QueuedJobProcessor, QueueConsumer, FailingJobs, BlockingJobs],
      },
      { logger },
    );
    queue = context.get(JobQueue);
    processor = context.get(QueuedJobProcessor);
    db = context.get(DataSource);
  });

  afterAll(async () => {
    await context.close();
    await database.drop();
  });

  async function row(id: string): Promise<JobRow> {
    const [job] = await db.query(
      `SELECT state, retry_count, retry_limit, output,
              round(extract(epoch FROM start_after - now()))::int AS wait_seconds
       FROM pgboss.job WHERE id = $1`,
      [id],
    );
    return job;
  }

  async function claimNow(id: string) {
    await db.query(`UPDATE pgboss.job SET start_after = now() WHERE id = $1`, [id]);
    const [job] = await queue.fetch('push_deliver', 1);
    expect(job.id).toBe(id);
    return job;
  }

  async function deadCount(): Promise<number> {
    const metric = await context.get(MetricsService).jobsProcessed.get();
    return (
      metric.values.find((value) => value.labels.job === 'push_deliver' && value.labels.outcome === 'dead')?.value ?? 0
    );
  }

  it('should retry with the backoff of docs/jobs.md §2 and end dead on the last attempt, with the metric and an error line', async () => {
    const id = (await queue.enqueue(null, 'push_deliver', { notification_id: 'n', push_subscription_id: 's' }))!;

    const first = await claimNow(id);
    expect(first).toMatchObject({ attempt: 1, finalAttempt: false });
    await expect(processor.process(first)).resolves.toMatchObject({ status: 'failed' });
    expect(await row(id)).toMatchObject({ state: 'retry', output: { message: 'push service unreachable' } });
    // pg-boss's backoff: retryDelay × 2^(n-1) × (1 + jitter), n = failed attempts: 60–120 s, then 120–240 s.
    expect((await row(id)).wait_seconds).toBeGreaterThanOrEqual(59);
    expect((await row(id)).wait_seconds).toBeLessThanOrEqual(121);
    await expect(queue.fetch('push_deliver', 1)).resolves.toEqual([]);

    const second = await claimNow(id);
    expect(second).toMatchObject({ attempt: 2, finalAttempt: false });
    await processor.process(second);
    expect((await row(id)).wait_seconds).toBeGreaterThanOrEqual(119);
    expect((await row(id)).wait_seconds).toBeLessThanOrEqual(241);
    expect(await deadCount()).toBe(0);

    const third = await claimNow(id);
    expect(third).toMatchObject({ attempt: 3, finalAttempt: true });
    await expect(processor.process(third)).resolves.toMatchObject({ status: 'dead' });
    expect(await row(id)).toMatchObject({
      state: 'failed',
      retry_count: 2,
      output: { message: 'push service unreachable' },
    });
    expect(await deadCount()).toBe(1);
    const [deadLetter] = await queue.boss.findJobs(DEAD_JOB_QUEUE, { queued: true });
    expect(deadLetter).toMatchObject({
      sourceName: 'push_deliver',
      sourceId: id,
      data: { notification_id: 'n', push_subscription_id: 's' },
    });
    expect(await queue.depth()).toMatchObject({ dead: 1 });
    expect(logger.errors).toContainEqual([
      expect.objectContaining({ job: 'push_deliver', job_id: id, attempt: 3, outcome: 'dead' }),
      'job push_deliver is dead after 3 attempt(s)',
      'Jobs',
    ]);
    await db.query(`UPDATE pgboss.job SET start_after = now() WHERE id = $1`, [id]);
    await expect(queue.fetch('push_deliver', 1)).resolves.toEqual([]);
  });

  it('should give a claim back at shutdown without using up an attempt', async () => {
    const id = (await queue.enqueue(null, 'push_deliver', {}))!;
    const claimed = await claimNow(id);

    await processor.abandon([claimed]);

    expect(await row(id)).toMatchObject({ state: 'created', retry_limit: 3 });
    expect((await row(id)).wait_seconds).toBeLessThanOrEqual(0);
    const [again] = await queue.fetch('push_deliver', 1);
    expect(again).toMatchObject({ id, attempt: 2, finalAttempt: false });
  });

  it('should insert one job per dedupe key, also once the first one finished', async () => {
    const first = await queue.enqueue(null, 'push_deliver', {}, { singletonKey: 'push:dedupe:1' });
    await db.query(`UPDATE pgboss.job SET state = 'completed', completed_on = now() WHERE id = $1`, [first]);

    await expect(queue.enqueue(null, 'push_deliver', {}, { singletonKey: 'push:dedupe:1' })).resolves.toBeNull();
    const [{ count }] = await db.query(
      `SELECT count(*)::int AS count FROM pgboss.job WHERE singleton_key = 'push:dedupe:1'`,
    );
    expect(count).toBe(1);
  });

  it('should let the consumer release a job still running at stop and ignore its late outcome', async () => {
    const blocking = context.get(BlockingJobs);
    const consumer = context.get(QueueConsumer);
    const id = (await queue.enqueue(null, 'recurring_task_generate', { template_id: 't' }))!;
    consumer.start(['recurring_task_generate']);
    await eventually(async () => blocking.entered === 1, 10_000, 'job started');

    await consumer.stop(200);
    blocking.finish();
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(await db.query(`SELECT state, retry_limit FROM pgboss.job WHERE id = $1`, [id])).toEqual([
      { state: 'created', retry_limit: 4 },
    ]);
  });
});
