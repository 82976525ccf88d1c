import { Client } from 'pg';
import { JOB_NAMES } from '@app/core/jobs/job-catalogue';
import { createTestDatabase } from '../support/test-app';
import { JOB_CLI, processEnv, runNode } from './processes';

/** `npm run job -- <name> [--now=ISO]` (docs/jobs.md §3), run as the built CLI against a test database. */
describe('npm run job', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Client;
  const job = (...args: string[]) => runNode(JOB_CLI, args, processEnv(database.url));

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await database.drop();
  });

  async function user(): Promise<string> {
    const { rows } = await db.query(
      `INSERT INTO users (google_id, email, name) VALUES (gen_random_uuid()::text, gen_random_uuid()::text || '@example.com', 'Cli') RETURNING id`,
    );
    return rows[0].id;
  }

  it('should list every job with --help and exit 0', async () => {
    const run = await job('--help');

    expect(run.code).toBe(0);
    for (const name of JOB_NAMES) expect(run.stdout).toContain(`  ${name}`);
    expect(run.stdout).toContain('Exit codes: 0 success or skipped, 1 failure, 2 unknown job name, 3 lock timeout.');
  });

  it('should exit 2 and print the valid names on stderr for an unknown job', async () => {
    const run = await job('no_such_job');

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Unknown job "no_such_job"');
    for (const name of JOB_NAMES) expect(run.stderr).toContain(name);
  });

  it('should exit 2 without a job name', async () => {
    await expect(job()).resolves.toMatchObject({ code: 2 });
  });

  it('should exit 1 for a --now that is not an ISO date-time', async () => {
    const run = await job('maintenance_cleanup', '--now=yesterday');

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--now must be an ISO-8601 date-time');
  });

  it('should run a job with the chosen clock and print one JSON line', async () => {
    const now = '2030-06-01T12:00:00.000Z';
    await db.query(
      `INSERT INTO job_runner_heartbeats (runner_id, started_at, last_seen_at)
       VALUES ('old-host:1', '2030-05-30T00:00:00Z', '2030-05-30T00:00:00Z'), ('new-host:1', $1, $1)`,
      [now],
    );

    const run = await job('maintenance_cleanup', '--now', now);

    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toEqual({
      job: 'maintenance_cleanup',
      status: 'success',
      now,
      started_at: expect.any(String),
      finished_at: expect.any(String),
      result: expect.objectContaining({ heartbeats_deleted: 1 }),
    });
    const { rows } = await db.query(`SELECT runner_id FROM job_runner_heartbeats ORDER BY runner_id`);
    expect(rows).toEqual([{ runner_id: 'new-host:1' }]);
  }, 60_000);

  it('should fire reminders due at --now', async () => {
    const userId = await user();
    const { rows: tasks } = await db.query(
      `INSERT INTO task_instances (user_id, title) VALUES ($1, 'Pay rent') RETURNING id`,
      [userId],
    );
    const { rows: reminders } = await db.query(
      `INSERT INTO reminders (task_id, user_id, type, scheduled_at) VALUES ($1, $2, 'absolute', '2030-07-01T08:00:00Z') RETURNING id`,
      [tasks[0].id, userId],
    );

    const early = await job('reminder_fire', '--now=2030-07-01T07:59:59.999Z');
    const due = await job('reminder_fire', '--now=2030-07-01T08:00:00Z');

    expect(JSON.parse(early.stdout).result).toEqual({ fired: 0, skipped: 0, errors: 0 });
    expect(JSON.parse(due.stdout)).toMatchObject({ status: 'success', result: { fired: 1, skipped: 0, errors: 0 } });
    const { rows } = await db.query(`SELECT fired, fired_at FROM reminders WHERE id = $1`, [reminders[0].id]);
    expect(rows).toEqual([{ fired: true, fired_at: new Date('2030-07-01T08:00:00Z') }]);
  }, 60_000);

  it('should process the due queued jobs of a queue-backed job once, and skip when there are none', async () => {
    const none = await job('push_deliver');
    expect(none.code).toBe(0);
    expect(JSON.parse(none.stdout)).toMatchObject({ status: 'skipped', result: { jobs_processed: 0, jobs_failed: 0 } });

    // Two copies of notifications that no longer exist: each job is processed (and skipped) once.
    for (const n of [1, 2]) {
      await db.query(`INSERT INTO pgboss.job (name, data, retry_limit) VALUES ('push_deliver', $1, 2)`, [
        {
          notification_id: `00000000-0000-4000-8000-00000000000${n}`,
          push_subscription_id: '00000000-0000-4000-8000-000000000009',
        },
      ]);
    }
    const run = await job('push_deliver');

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'success', result: { jobs_processed: 2, jobs_failed: 0 } });
    const { rows } = await db.query(`SELECT state FROM pgboss.job WHERE name = 'push_deliver'`);
    expect(rows).toEqual([{ state: 'completed' }, { state: 'completed' }]);
  }, 60_000);

  it('should exit 3 when the same job keeps running elsewhere', async () => {
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(7301001, hashtext('maintenance_cleanup'))`);
      const run = await job('maintenance_cleanup', '--lock-wait=1');

      expect(run.code).toBe(3);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('job maintenance_cleanup is running elsewhere');
    } finally {
      await holder.end();
    }
  }, 60_000);

  it('should exit 1 and report the failure when the job fails', async () => {
    await db.query(`ALTER TABLE webhook_events RENAME TO webhook_events_away`);
    try {
      const run = await job('maintenance_cleanup');

      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout)).toMatchObject({
        job: 'maintenance_cleanup',
        status: 'failure',
        error: expect.stringContaining('webhook_events'),
      });
    } finally {
      await db.query(`ALTER TABLE webhook_events_away RENAME TO webhook_events`);
    }
  }, 60_000);
});
