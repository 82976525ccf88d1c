import { randomUUID } from 'node:crypto';
import { JobQueue } from '@app/core/jobs/job-queue.service';
import { createTestDatabase } from '../support/test-app';
import { freePort } from '../support/test-database';
import { eventually } from './job-fixtures';
import { processEnv, startNode, Started, WORKER_MAIN } from './processes';

/** The runner's operations port (RUNNER_HTTP_PORT): its counters, queue depth, liveness and readiness. */
describe('job runner operations port', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let queue: JobQueue;
  const running: Started[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    queue = new JobQueue({ connectionString: database.url, role: 'api' });
    await queue.onModuleInit();
  });

  afterAll(async () => {
    for (const worker of running) if (worker.child.exitCode === null) worker.child.kill('SIGTERM');
    await Promise.all(running.map((worker) => worker.exited));
    await queue.onModuleDestroy();
    await database.drop();
  });

  async function startWorker(env: Record<string, string> = {}): Promise<string> {
    const port = await freePort();
    const worker = startNode(WORKER_MAIN, [], processEnv(database.url, { RUNNER_HTTP_PORT: String(port), ...env }));
    running.push(worker);
    const base = `http://127.0.0.1:${port}`;
    await eventually(
      async () =>
        fetch(`${base}/health/live`).then(
          (response) => response.ok,
          () => false,
        ),
      30_000,
      'runner port up',
    );
    return base;
  }

  it('should show a job it ran in jobs_processed_total, with queue depth, dead jobs and readiness', async () => {
    // Two deferred jobs of a queue-backed job nothing schedules: queued, not due (pg-boss refreshes
    // its counts at most once a minute).
    const later = new Date(Date.now() + 3600_000);
    for (const key of ['a', 'b'])
      await queue.enqueue(null, 'data_export', { export_id: randomUUID() }, { singletonKey: key, startAfter: later });
    const base = await startWorker();
    const scrape = (): Promise<string> => fetch(`${base}/metrics`).then((response) => response.text());
    // A push for a notification that does not exist: processed and skipped.
    await queue.enqueue(null, 'push_deliver', {
      notification_id: '00000000-0000-4000-8000-000000000001',
      push_subscription_id: '00000000-0000-4000-8000-000000000002',
    });

    await eventually(
      async () => (await scrape()).includes('jobs_processed_total{job="push_deliver",outcome="skipped"} 1'),
      30_000,
      'push_deliver counted',
    );
    const metrics = await scrape();
    expect(metrics).toContain('job_queue_depth{job="data_export",state="queued"} 2');
    expect(metrics).toContain('job_queue_depth{job="data_export",state="active"} 0');
    expect(metrics).toMatch(/^jobs_dead 0$/m);
    expect(metrics).toContain('# TYPE reminders_fired_total counter');
    expect(metrics).toContain('# TYPE push_deliveries_total counter');

    const live = await fetch(`${base}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { database: { status: 'ok' } } });
    const unknown = await fetch(`${base}/nope`);
    expect(unknown.status).toBe(404);
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  }, 60_000);

  it('should report not ready while the configured Redis is unreachable', async () => {
    const base = await startWorker({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });

    const ready = await fetch(`${base}/health/ready`);

    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'error',
      checks: { database: { status: 'ok' }, redis: { status: 'error', message: expect.any(String) } },
    });
  }, 60_000);
});
