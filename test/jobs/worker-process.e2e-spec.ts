import { Client } from 'pg';
import { JobQueue } from '@app/core/jobs/job-queue.service';
import { createTestDatabase } from '../support/test-app';
import { eventually } from './job-fixtures';
import { processEnv, startNode, Started, WORKER_MAIN } from './processes';

const EXPIRE_SECONDS = 3;

/**
 * The runner as a process (`node dist/apps/worker/src/main.js`): a job whose runner is killed
 * mid-job is retried and takes effect once; SIGTERM releases a running job and exits in time.
 * The blocked job is a `maintenance_cleanup` closing a stale voice session whose row the test
 * keeps locked; its countable effect is the session's one `transcription_completed` entry.
 */
describe('job runner process', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Client;
  let queue: JobQueue;
  const running: Started[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    // Enqueues like any process would, with a short claim expiry so that the test need not wait 10 minutes.
    queue = new JobQueue({ connectionString: database.url, role: 'api', expireSeconds: EXPIRE_SECONDS });
    await queue.onModuleInit();
  });

  afterAll(async () => {
    for (const worker of running) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await Promise.all(running.map((worker) => worker.exited));
    await queue.onModuleDestroy();
    await db.end();
    await database.drop();
  });

  function startWorker(env: Record<string, string> = {}): Started {
    const worker = startNode(WORKER_MAIN, [], processEnv(database.url, { LOG_LEVEL: 'info', ...env }));
    running.push(worker);
    return worker;
  }

  async function staleVoiceSession(): Promise<string> {
    const { rows: users } = await db.query(
      `INSERT INTO users (google_id, email, name) VALUES (gen_random_uuid()::text, gen_random_uuid()::text || '@example.com', 'Voice') RETURNING id`,
    );
    const { rows } = await db.query(
      `INSERT INTO voice_sessions (user_id, status, started_at) VALUES ($1, 'active', now() - interval '20 minutes') RETURNING id`,
      [users[0].id],
    );
    return rows[0].id;
  }

  /** Holds the session's row lock in an open transaction until `release`. */
  async function lockRow(sessionId: string): Promise<{ release(): Promise<void> }> {
    const locker = new Client({ connectionString: database.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query(`SELECT id FROM voice_sessions WHERE id = $1 FOR UPDATE`, [sessionId]);
    return {
      release: async () => {
        await locker.query('ROLLBACK');
        await locker.end();
      },
    };
  }

  async function jobRow(id: string): Promise<{ state: string; retry_count: number; retry_limit: number }> {
    const { rows } = await db.query(`SELECT state, retry_count, retry_limit FROM pgboss.job WHERE id = $1`, [id]);
    return rows[0];
  }

  /** Waits until the job is claimed and its handler waits for the row lock. */
  async function blocked(jobId: string): Promise<void> {
    await eventually(async () => (await jobRow(jobId)).state === 'active', 30_000, 'job claimed');
    await eventually(
      async () => {
        const { rows } = await db.query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%voice_sessions%'`,
        );
        return rows[0].waiting > 0;
      },
      10_000,
      'handler waiting on the row lock',
    );
  }

  async function closedOnce(sessionId: string): Promise<void> {
    const { rows } = await db.query(`SELECT status, end_reason FROM voice_sessions WHERE id = $1`, [sessionId]);
    expect(rows).toEqual([{ status: 'aborted', end_reason: 'disconnect' }]);
    const { rows: entries } = await db.query(`SELECT action FROM activity_logs WHERE entity_id = $1::text`, [
      sessionId,
    ]);
    expect(entries).toEqual([{ action: 'transcription_completed' }]);
  }

  it('should retry a job whose runner was killed mid-job, with its effect once', async () => {
    const sessionId = await staleVoiceSession();
    const lock = await lockRow(sessionId);
    const jobId = (await queue.enqueue(null, 'maintenance_cleanup', {}, { singletonKey: 'kill-9-test' }))!;

    const first = startWorker();
    try {
      await blocked(jobId);
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
      await lock.release();
    }
    expect((await jobRow(jobId)).state).toBe('active');

    const second = startWorker({ JOB_EXPIRE_SECONDS: String(EXPIRE_SECONDS) });
    // The expired claim went back to the queue with pg-boss's retry backoff (at least a minute): made due now.
    await eventually(async () => (await jobRow(jobId)).state === 'retry', 30_000, 'claim expired');
    await queue.boss.update('maintenance_cleanup', undefined, { id: jobId, startAfter: new Date() });
    await eventually(async () => (await jobRow(jobId)).state === 'completed', 30_000, 'job retried and completed');

    expect(await jobRow(jobId)).toMatchObject({ retry_count: 1 });
    await closedOnce(sessionId);
    second.child.kill('SIGTERM');
    await expect(second.exited).resolves.toMatchObject({ code: 0 });
  }, 90_000);

  it('should stop within 10 s on SIGTERM, giving a running job back to the queue', async () => {
    const sessionId = await staleVoiceSession();
    const lock = await lockRow(sessionId);
    const jobId = (await queue.enqueue(null, 'maintenance_cleanup', {}, { singletonKey: 'sigterm-test' }))!;
    const worker = startWorker();
    let finished;
    try {
      await blocked(jobId);
      const signalled = Date.now();
      worker.child.kill('SIGTERM');
      finished = await worker.exited;
      expect(Date.now() - signalled).toBeLessThan(10_000);
    } finally {
      await lock.release();
    }

    expect(finished.code).toBe(0);
    expect(finished.stdout).toContain('released at shutdown');
    // Released, not failed: the attempt does not count and the job is due at once.
    expect(await jobRow(jobId)).toMatchObject({ state: 'created', retry_limit: 3 });

    const next = startWorker();
    await eventually(async () => (await jobRow(jobId)).state === 'completed', 30_000, 'released job completed');
    await closedOnce(sessionId);
    next.child.kill('SIGTERM');
    await expect(next.exited).resolves.toMatchObject({ code: 0 });
  }, 90_000);
});
