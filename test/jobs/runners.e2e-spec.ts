import webpush from 'web-push';
import { JobRunner } from '../../apps/worker/src/job-runner.service';
import { loginAs } from '../support/factories';
import { FakePush, startFakePush } from '../support/fake-push';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';
import { eventually, insertReminder, insertTask } from './job-fixtures';

const REMINDERS = 50;

/**
 * Two complete job runners (scheduler, queue consumer, reminder clock) on one database: every
 * reminder notifies once and every queued push copy is delivered once, never before its time.
 */
describe('two job runners on one database', () => {
  let t: TestApp;
  let push: FakePush;
  let runners: TestWorker[];

  beforeAll(async () => {
    t = await createTestApp();
    push = await startFakePush();
    const vapid = webpush.generateVAPIDKeys();
    const env = {
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@example.com',
      PUSH_CA_CERT_FILE: push.caFile,
    };
    runners = [await createTestWorker(t.databaseUrl, env), await createTestWorker(t.databaseUrl, env)];
    for (const runner of runners) await runner.context.get(JobRunner).start();
  });

  afterAll(async () => {
    for (const runner of runners) {
      await runner.context.get(JobRunner).stop();
      await runner.close();
    }
    await push.close();
    await t.close();
  });

  it('should fire each of 50 reminders exactly once, not early, and deliver one push copy each', async () => {
    const { user } = await loginAs(t);
    const taskId = await insertTask(t.dataSource, user.id, { title: 'Stand-up' });
    const subscriber = push.subscriber();
    await t.dataSource.query(
      `INSERT INTO push_subscriptions (user_id, endpoint, p256dh_key, auth_key) VALUES ($1, $2, $3, $4)`,
      [user.id, subscriber.endpoint, subscriber.p256dh, subscriber.auth],
    );
    const base = Date.now() + 1500;
    const ids: string[] = [];
    for (let i = 0; i < REMINDERS; i++) {
      ids.push(
        await insertReminder(t.dataSource, {
          taskId,
          userId: user.id,
          scheduledAt: new Date(base + i * 10),
          method: 'push',
        }),
      );
    }

    await eventually(
      async () => {
        const [{ pending }] = await t.dataSource.query(
          `SELECT count(*)::int AS pending FROM reminders WHERE id = ANY($1) AND fired = false`,
          [ids],
        );
        return pending === 0;
      },
      20_000,
      'all reminders fired',
    );

    const rows: Array<{ scheduled_at: Date; fired_at: Date; created_at: Date; notifications: number }> =
      await t.dataSource.query(
        `SELECT r.scheduled_at, r.fired_at, n.created_at,
                (SELECT count(*)::int FROM notifications WHERE source_ref = 'reminder:' || r.id) AS notifications
         FROM reminders r JOIN notifications n ON n.source_ref = 'reminder:' || r.id
         WHERE r.id = ANY($1)`,
        [ids],
      );
    expect(rows).toHaveLength(REMINDERS);
    for (const row of rows) {
      expect(row.notifications).toBe(1);
      expect(row.fired_at.getTime()).toBeGreaterThanOrEqual(row.scheduled_at.getTime());
      expect(row.created_at.getTime()).toBeGreaterThanOrEqual(row.scheduled_at.getTime());
    }
    const [{ entries }] = await t.dataSource.query(
      `SELECT count(*)::int AS entries FROM activity_logs WHERE action = 'reminder_fired' AND entity_id = ANY($1)`,
      [ids],
    );
    expect(entries).toBe(REMINDERS);

    const path = new URL(subscriber.endpoint).pathname;
    await eventually(
      async () => push.requests.filter((request) => request.path === path).length >= REMINDERS,
      20_000,
      'pushes',
    );
    // No delivery can come after its job has finished: wait for every push job to end, then count.
    await eventually(
      async () => {
        const [{ open, jobs }] = await t.dataSource.query(
          `SELECT count(*) FILTER (WHERE state NOT IN ('completed', 'failed', 'cancelled'))::int AS open,
                  count(*)::int AS jobs
           FROM pgboss.job WHERE name = 'push_deliver'`,
        );
        return open === 0 && jobs === REMINDERS;
      },
      20_000,
      'push jobs finished',
    );
    const delivered = push.requests
      .filter((request) => request.path === path)
      .map((request) => subscriber.decrypt(request.body));
    expect(delivered).toHaveLength(REMINDERS);
    expect(new Set(delivered.map((payload) => payload.notification_id)).size).toBe(REMINDERS);
    expect(delivered.every((payload) => payload.type === 'reminder')).toBe(true);
  }, 60_000);

  it('should fire reminders that fell due while no runner was up as soon as one is back', async () => {
    for (const runner of runners) await runner.context.get(JobRunner).stop();
    const { user } = await loginAs(t);
    const taskId = await insertTask(t.dataSource, user.id);
    // Fell due a minute ago, while no runner was up.
    const id = await insertReminder(t.dataSource, {
      taskId,
      userId: user.id,
      scheduledAt: new Date(Date.now() - 60_000),
    });
    const [before] = await t.dataSource.query(`SELECT fired FROM reminders WHERE id = $1`, [id]);
    expect(before.fired).toBe(false);

    const back = Date.now();
    for (const runner of runners) await runner.context.get(JobRunner).start();
    await eventually(
      async () => {
        const [row] = await t.dataSource.query(`SELECT fired FROM reminders WHERE id = $1`, [id]);
        return row.fired === true;
      },
      10_000,
      'reminder fired after the outage',
    );
    expect(Date.now() - back).toBeLessThan(10_000);
    await expect(
      t.dataSource.query(`SELECT id FROM notifications WHERE source_ref = $1`, [`reminder:${id}`]),
    ).resolves.toHaveLength(1);
  }, 30_000);

  it('should fire a reminder created in the past right away', async () => {
    const { user } = await loginAs(t);
    const taskId = await insertTask(t.dataSource, user.id);
    const id = await insertReminder(t.dataSource, {
      taskId,
      userId: user.id,
      scheduledAt: new Date(Date.now() - 60_000),
    });

    await eventually(
      async () => {
        const [row] = await t.dataSource.query(`SELECT fired FROM reminders WHERE id = $1`, [id]);
        return row.fired === true;
      },
      10_000,
      'reminder fired',
    );
    const notifications = await t.dataSource.query(`SELECT id FROM notifications WHERE source_ref = $1`, [
      `reminder:${id}`,
    ]);
    expect(notifications).toHaveLength(1);
  }, 30_000);
});
