import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/core/config/app-config';
import { DEAD_JOB_QUEUE, JobQueue } from '@app/core/jobs/job-queue.service';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { QueueConsumer } from '../../apps/worker/src/queue-consumer';
import { QueuedJobProcessor } from '../../apps/worker/src/queued-job-processor';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { as, loginAs } from '../support/factories';
import { baseTestEnv, createTestApp, TestApp } from '../support/test-app';
import { eventually } from './job-fixtures';

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

/**
 * docs/jobs.md §2: retries with exponential backoff from 1 minute (capped at 60), then the visible
 * dead state. The jobs are real: `data_export` requested through the API, failing on a database
 * error raised by a trigger installed in this test's database, and blocked by a row lock the test
 * holds; the runner is the real job-runner module.
 */
describe('job retries and the dead state', () => {
  let t: TestApp;
  let context: INestApplicationContext;
  let queue: JobQueue;
  let processor: QueuedJobProcessor;
  let db: DataSource;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '10000' });
    const config = loadConfig({ ...baseTestEnv(), DATABASE_URL: t.databaseUrl });
    context = await NestFactory.createApplicationContext(
      WorkerModule.register({ config, databaseUrl: t.databaseUrl }),
      {
        logger,
      },
    );
    queue = context.get(JobQueue);
    processor = context.get(QueuedJobProcessor);
    db = context.get(DataSource);
  });

  afterAll(async () => {
    await context.close();
    await t.close();
  });

  /** A data export requested through the API: its id and the id of its queued `data_export` job. */
  async function requestedExport(): Promise<{ token: string; exportId: string; jobId: string }> {
    const { accessToken } = await loginAs(t);
    const res = await as(t, accessToken).post('/api/v1/users/me/export');
    expect(res.status).toBe(202);
    const exportId = res.body.data.id as string;
    const [job] = await db.query(`SELECT id FROM pgboss.job WHERE name = 'data_export' AND data->>'export_id' = $1`, [
      exportId,
    ]);
    return { token: accessToken, exportId, jobId: job.id };
  }

  /** Every attempt to store the export fails with a database error. */
  async function failStoring(exportId: string): Promise<void> {
    const name = `fail_export_${exportId.replace(/-/g, '')}`;
    await db.query(
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.id = '${exportId}' AND NEW.status = 'ready' THEN RAISE EXCEPTION 'export storage unavailable'; END IF;
         RETURN NEW;
       END $$`,
    );
    await db.query(`CREATE TRIGGER ${name} BEFORE UPDATE ON data_exports FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  }

  async function row(id: string): Promise<JobRow> {
    const [job] = await db.query(
      `SELECT state, retry_count, retry_limit, output,
              round(extract(epoch FROM start_after - now()))::int AS wait_seconds
       FROM pgboss.job WHERE id = $1`,
      [id],
    );
    return job;
  }

  async function claimNow(name: 'data_export' | 'push_deliver', id: string) {
    await db.query(`UPDATE pgboss.job SET start_after = now() WHERE id = $1`, [id]);
    const [job] = await queue.fetch(name, 1);
    expect(job.id).toBe(id);
    return job;
  }

  async function deadCount(): Promise<number> {
    const metric = await context.get(MetricsService).jobsProcessed.get();
    return (
      metric.values.find((value) => value.labels.job === 'data_export' && value.labels.outcome === 'dead')?.value ?? 0
    );
  }

  it('should retry with the backoff of docs/jobs.md §2 and end dead on the last attempt, with the metric and an error line', async () => {
    const { token, exportId, jobId: id } = await requestedExport();
    await failStoring(exportId);

    const first = await claimNow('data_export', id);
    expect(first).toMatchObject({ attempt: 1, finalAttempt: false });
    await expect(processor.process(first)).resolves.toMatchObject({ status: 'failed' });
    expect(await row(id)).toMatchObject({ state: 'retry', output: { message: 'export storage unavailable' } });
    // pg-boss's backoff: retryDelay × 2^(n-1) × (1 + jitter), n = failed attempts: 60–120 s, then 120–240 s.
    expect((await row(id)).wait_seconds).toBeGreaterThanOrEqual(59);
    expect((await row(id)).wait_seconds).toBeLessThanOrEqual(121);
    await expect(queue.fetch('data_export', 1)).resolves.toEqual([]);
    expect((await as(t, token).get(`/api/v1/users/me/export/${exportId}`)).body.data.status).toBe('pending');

    const second = await claimNow('data_export', id);
    expect(second).toMatchObject({ attempt: 2, finalAttempt: false });
    await processor.process(second);
    expect((await row(id)).wait_seconds).toBeGreaterThanOrEqual(119);
    expect((await row(id)).wait_seconds).toBeLessThanOrEqual(241);
    expect(await deadCount()).toBe(0);

    const third = await claimNow('data_export', id);
    expect(third).toMatchObject({ attempt: 3, finalAttempt: true });
    await expect(processor.process(third)).resolves.toMatchObject({ status: 'dead' });
    expect(await row(id)).toMatchObject({
      state: 'failed',
      retry_count: 2,
      output: { message: 'export storage unavailable' },
    });
    expect(await deadCount()).toBe(1);
    const [deadLetter] = await queue.boss.findJobs(DEAD_JOB_QUEUE, { queued: true });
    expect(deadLetter).toMatchObject({ sourceName: 'data_export', sourceId: id, data: { export_id: exportId } });
    expect(await queue.depth()).toMatchObject({ dead: 1 });
    expect(logger.errors).toContainEqual([
      expect.objectContaining({ job: 'data_export', job_id: id, attempt: 3, outcome: 'dead' }),
      'job data_export is dead after 3 attempt(s)',
      'Jobs',
    ]);
    // The handler's last attempt told the user.
    expect((await as(t, token).get(`/api/v1/users/me/export/${exportId}`)).body.data.status).toBe('failed');
    await db.query(`UPDATE pgboss.job SET start_after = now() WHERE id = $1`, [id]);
    await expect(queue.fetch('data_export', 1)).resolves.toEqual([]);
  });

  it('should give a claim back at shutdown without using up an attempt', async () => {
    const id = (await queue.enqueue(null, 'push_deliver', {}))!;
    const claimed = await claimNow('push_deliver', id);

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
    const { exportId, jobId: id } = await requestedExport();
    const { retry_limit: retryLimit } = await row(id);
    // The test holds the export's row: the handler waits on it while storing the document.
    const lock = t.dataSource.createQueryRunner();
    await lock.startTransaction();
    await lock.query(`SELECT id FROM data_exports WHERE id = $1 FOR UPDATE`, [exportId]);
    const consumer = context.get(QueueConsumer);
    consumer.start(['data_export']);
    try {
      await eventually(
        async () =>
          (
            await db.query(
              `SELECT 1 FROM pg_stat_activity
               WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE "data_exports"%'`,
            )
          ).length > 0,
        10_000,
        'handler waiting on the export row',
      );

      await consumer.stop(200);
    } finally {
      await lock.commitTransaction();
      await lock.release();
    }

    // The handler's late success changes nothing in the queue: the job is there for the next runner,
    // the released attempt given back (one more retry allowed).
    await eventually(
      async () => (await db.query(`SELECT status FROM data_exports WHERE id = $1`, [exportId]))[0].status === 'ready',
      10_000,
      'export stored',
    );
    expect(await db.query(`SELECT state, retry_limit FROM pgboss.job WHERE id = $1`, [id])).toEqual([
      { state: 'created', retry_limit: retryLimit + 1 },
    ]);
  });
});
