import { Client } from 'pg';
import webpush from 'web-push';
import { JOB_NAMES } from '@app/core/jobs/job-catalogue';
import { startFakePush } from '../support/fake-push';
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
    expect(JSON.parse(none.stdout)).toMatchObject({
      status: 'skipped',
      result: { jobs_processed: 0, jobs_failed: 0, delivered: 0, removed_subscriptions: 0, failed: 0 },
    });

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
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'success',
      result: { jobs_processed: 2, jobs_failed: 0, delivered: 0, removed_subscriptions: 0, failed: 0 },
    });
    const { rows } = await db.query(`SELECT state FROM pgboss.job WHERE name = 'push_deliver'`);
    expect(rows).toEqual([{ state: 'completed' }, { state: 'completed' }]);
  }, 60_000);

  it('should print the push deliveries, removed subscriptions and failures summed over the jobs (docs/jobs.md §4)', async () => {
    const push = await startFakePush();
    try {
      const vapid = webpush.generateVAPIDKeys();
      const userId = await user();
      const subscribers = { ok: push.subscriber(), gone: push.subscriber(), bad: push.subscriber() };
      push.statuses.set(new URL(subscribers.gone.endpoint).pathname, 410);
      push.statuses.set(new URL(subscribers.bad.endpoint).pathname, 400);
      const { rows: notifications } = await db.query(
        `INSERT INTO notifications (user_id, type, title, body) VALUES ($1, 'system', 'Hello', 'World') RETURNING id`,
        [userId],
      );
      for (const subscriber of Object.values(subscribers)) {
        const { rows } = await db.query(
          `INSERT INTO push_subscriptions (user_id, endpoint, p256dh_key, auth_key) VALUES ($1, $2, $3, $4) RETURNING id`,
          [userId, subscriber.endpoint, subscriber.p256dh, subscriber.auth],
        );
        await db.query(`INSERT INTO pgboss.job (name, data) VALUES ('push_deliver', $1)`, [
          { notification_id: notifications[0].id, push_subscription_id: rows[0].id },
        ]);
      }
      const env = {
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        VAPID_SUBJECT: 'mailto:ops@example.com',
        PUSH_CA_CERT_FILE: push.caFile,
      };

      const run = await runNode(JOB_CLI, ['push_deliver'], processEnv(database.url, env));

      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).result).toEqual({
        jobs_processed: 3,
        jobs_failed: 0,
        delivered: 1,
        removed_subscriptions: 1,
        failed: 1,
      });
      expect(push.requests.map((request) => request.path).sort()).toEqual(
        Object.values(subscribers)
          .map((subscriber) => new URL(subscriber.endpoint).pathname)
          .sort(),
      );
      const { rows: left } = await db.query(`SELECT endpoint FROM push_subscriptions WHERE user_id = $1`, [userId]);
      expect(left.map((row) => row.endpoint).sort()).toEqual(
        [subscribers.ok.endpoint, subscribers.bad.endpoint].sort(),
      );
    } finally {
      await push.close();
    }
  }, 60_000);

  it('should print the generated and skipped instances summed over the recurring jobs (docs/jobs.md §4)', async () => {
    const userId = await user();
    const { rows: templates } = await db.query(
      `INSERT INTO task_templates (user_id, title, rrule, dtstart, next_due, last_generated_at)
       VALUES ($1, 'Daily', 'FREQ=DAILY', '2030-01-01T09:00:00Z', '2030-01-02T09:00:00Z', '2030-01-01T00:00:00Z'),
              ($1, 'Stopped', 'FREQ=DAILY', '2030-01-01T09:00:00Z', NULL, '2030-01-01T00:00:00Z')
       RETURNING id`,
      [userId],
    );
    const { rows: done } = await db.query(
      `INSERT INTO task_instances (user_id, template_id, title, due_date, completed, completed_at, completed_by)
       VALUES ($1, $2, 'Daily', '2030-01-01T09:00:00Z', true, '2030-01-01T10:00:00Z', 'manual') RETURNING id`,
      [userId, templates[0].id],
    );
    await db.query(`UPDATE task_templates SET active = false WHERE id = $1`, [templates[1].id]);
    for (const [templateId, taskId] of [
      [templates[0].id, done[0].id],
      [templates[1].id, null],
      [templates[0].id, done[0].id],
    ]) {
      await db.query(`INSERT INTO pgboss.job (name, data) VALUES ('recurring_task_generate', $1)`, [
        { template_id: templateId, triggered_by_task_id: taskId },
      ]);
    }

    const run = await job('recurring_task_generate', '--now=2030-01-01T10:00:00Z');

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'success',
      result: { jobs_processed: 3, jobs_failed: 0, generated: 1, skipped: 2, failed: 0 },
    });
    const { rows } = await db.query(
      `SELECT due_date, generated_from_task_id FROM task_instances WHERE template_id = $1 AND completed = false`,
      [templates[0].id],
    );
    expect(rows).toEqual([{ due_date: new Date('2030-01-02T09:00:00Z'), generated_from_task_id: done[0].id }]);
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
