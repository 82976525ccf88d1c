import webpush from 'web-push';
import { as, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';
import { activityActions, insertReminder, insertTask, notificationsFor, reminderRow } from './job-fixtures';

const T = new Date('2026-03-10T09:00:00.000Z');
const ms = (offset: number): Date => new Date(T.getTime() + offset);

describe('reminder_fire (docs/jobs.md §4, docs/rules.md §7)', () => {
  let t: TestApp;
  let worker: TestWorker;

  beforeAll(async () => {
    t = await createTestApp();
    const vapid = webpush.generateVAPIDKeys();
    worker = await createTestWorker(t.databaseUrl, {
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@example.com',
    });
  });

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  async function userWithTask(
    task: Parameters<typeof insertTask>[2] = {},
  ): Promise<{ userId: string; token: string; taskId: string }> {
    const { user, accessToken } = await loginAs(t);
    return { userId: user.id, token: accessToken, taskId: await insertTask(t.dataSource, user.id, task) };
  }

  it('should create the reminder notification once, mark the reminder fired and log reminder_fired', async () => {
    const { userId, token, taskId } = await userWithTask({ title: 'Quarterly report' });
    const id = await insertReminder(t.dataSource, {
      taskId,
      userId,
      scheduledAt: T,
      type: 'before',
      offsetMinutes: 90,
    });

    const first = await worker.runJob('reminder_fire', ms(250));
    const second = await worker.runJob('reminder_fire', ms(500));

    expect(first).toEqual({ status: 'success', result: { fired: 1, skipped: 0, errors: 0 } });
    expect(second.result).toEqual({ fired: 0, skipped: 0, errors: 0 });
    await expect(reminderRow(t.dataSource, id)).resolves.toEqual({
      fired: true,
      skipped: false,
      fired_at: ms(250),
      scheduled_at: T,
    });
    const [notification] = await notificationsFor(t.dataSource, id);
    expect(notification).toMatchObject({
      user_id: userId,
      type: 'reminder',
      title: 'Task Reminder',
      body: "'Quarterly report' is due in 1 hour 30 minutes",
      action_url: `/tasks/${taskId}`,
      task_id: taskId,
      read: false,
      created_at: ms(250),
    });
    await expect(notificationsFor(t.dataSource, id)).resolves.toHaveLength(1);
    await expect(activityActions(t.dataSource, id)).resolves.toEqual(['reminder_fired']);
    const [activity] = await t.dataSource.query(`SELECT source, metadata FROM activity_logs WHERE entity_id = $1`, [
      id,
    ]);
    expect(activity).toEqual({
      source: 'system',
      metadata: { task_id: taskId, notification_id: notification.id, method: 'in_app' },
    });

    const listed = await as(t, token).get('/api/v1/notifications');
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        id: notification.id,
        type: 'reminder',
        title: 'Task Reminder',
        message: "'Quarterly report' is due in 1 hour 30 minutes",
        task_id: taskId,
        action_url: `/tasks/${taskId}`,
      }),
    ]);
  });

  it('should never fire a reminder before its scheduled_at', async () => {
    const { userId, taskId } = await userWithTask();
    const id = await insertReminder(t.dataSource, { taskId, userId, scheduledAt: ms(60_000) });

    await worker.runJob('reminder_fire', ms(59_999));
    await expect(reminderRow(t.dataSource, id)).resolves.toMatchObject({ fired: false, fired_at: null });
    await expect(notificationsFor(t.dataSource, id)).resolves.toHaveLength(0);

    await worker.runJob('reminder_fire', ms(60_000));
    await expect(reminderRow(t.dataSource, id)).resolves.toMatchObject({ fired: true, fired_at: ms(60_000) });
  });

  it.each([
    ['completed', { completed: true }],
    ['hidden', { hidden: true }],
    ['archived', { archived: true }],
  ])('should skip the reminder of a %s task without a notification', async (_state, task) => {
    const { userId, taskId } = await userWithTask(task);
    const id = await insertReminder(t.dataSource, { taskId, userId, scheduledAt: T });

    const outcome = await worker.runJob('reminder_fire', ms(1));

    expect(outcome.result).toMatchObject({ skipped: 1 });
    await expect(reminderRow(t.dataSource, id)).resolves.toMatchObject({ fired: true, skipped: true, fired_at: null });
    await expect(notificationsFor(t.dataSource, id)).resolves.toHaveLength(0);
    await expect(activityActions(t.dataSource, id)).resolves.toEqual(['reminder_skipped']);
    const [activity] = await t.dataSource.query(`SELECT metadata FROM activity_logs WHERE entity_id = $1`, [id]);
    expect(activity.metadata).toEqual({ task_id: taskId, reason: 'task_inactive' });
  });

  it('should fire reminders missed during an outage once, however late (docs/rules.md §7 sets no age limit)', async () => {
    const { userId, taskId } = await userWithTask({ title: 'Renew passport' });
    const old = await insertReminder(t.dataSource, {
      taskId,
      userId,
      scheduledAt: ms(-3 * 86_400_000),
      type: 'after',
      offsetMinutes: 60,
    });
    const recent = await insertReminder(t.dataSource, { taskId, userId, scheduledAt: ms(-5000) });

    await worker.runJob('reminder_fire', T);
    await worker.runJob('reminder_fire', ms(1000));

    for (const id of [old, recent]) {
      await expect(reminderRow(t.dataSource, id)).resolves.toMatchObject({ fired: true, skipped: false, fired_at: T });
      await expect(notificationsFor(t.dataSource, id)).resolves.toHaveLength(1);
    }
    const [notification] = await notificationsFor(t.dataSource, old);
    expect(notification.body).toBe("'Renew passport' was due 1 hour ago");
  });

  it('should leave reminders already skipped by a recovery alone', async () => {
    const { userId, taskId } = await userWithTask();
    const id = await insertReminder(t.dataSource, { taskId, userId, scheduledAt: ms(-60_000) });
    await t.dataSource.query(`UPDATE reminders SET fired = true, skipped = true WHERE id = $1`, [id]);

    await worker.runJob('reminder_fire', T);

    await expect(reminderRow(t.dataSource, id)).resolves.toMatchObject({ fired: true, skipped: true, fired_at: null });
    await expect(notificationsFor(t.dataSource, id)).resolves.toHaveLength(0);
    await expect(activityActions(t.dataSource, id)).resolves.toEqual([]);
  });

  it('should keep one notification for a reminder that became pending again after firing', async () => {
    const { userId, taskId } = await userWithTask();
    const id = await insertReminder(t.dataSource, { taskId, userId, scheduledAt: T });
    await worker.runJob('reminder_fire', T);
    await t.dataSource.query(`UPDATE reminders SET fired = false, fired_at = NULL, scheduled_at = $2 WHERE id = $1`, [
      id,
      ms(60_000),
    ]);

    await worker.runJob('reminder_fire', ms(60_000));

    await expect(reminderRow(t.dataSource, id)).resolves.toMatchObject({ fired: true, fired_at: ms(60_000) });
    await expect(notificationsFor(t.dataSource, id)).resolves.toHaveLength(1);
    await expect(activityActions(t.dataSource, id)).resolves.toEqual(['reminder_fired', 'reminder_fired']);
  });

  it('should queue one push copy per push subscription for method=push', async () => {
    const { userId, taskId } = await userWithTask();
    const subscriptions: string[] = [];
    for (const n of [1, 2]) {
      const [row] = await t.dataSource.query(
        `INSERT INTO push_subscriptions (user_id, endpoint, p256dh_key, auth_key) VALUES ($1, $2, 'p256dh', 'auth') RETURNING id`,
        [userId, `https://push.example.com/${userId}/${n}`],
      );
      subscriptions.push(row.id);
    }
    const id = await insertReminder(t.dataSource, { taskId, userId, scheduledAt: T, method: 'push' });

    await worker.runJob('reminder_fire', T);

    const [notification] = await notificationsFor(t.dataSource, id);
    const jobs: Array<{ data: Record<string, string> }> = await t.dataSource.query(
      `SELECT data FROM pgboss.job WHERE name = 'push_deliver' AND data->>'notification_id' = $1`,
      [notification.id],
    );
    expect(jobs.map((job) => job.data.push_subscription_id).sort()).toEqual([...subscriptions].sort());
    const [activity] = await t.dataSource.query(`SELECT metadata FROM activity_logs WHERE entity_id = $1`, [id]);
    expect(activity.metadata.method).toBe('push');
  });

  it('should go on with the batch when one reminder fails, leaving that one pending', async () => {
    const failing = await userWithTask();
    const healthy = await userWithTask();
    const broken = await insertReminder(t.dataSource, {
      taskId: failing.taskId,
      userId: failing.userId,
      scheduledAt: ms(-2000),
    });
    const fine = await insertReminder(t.dataSource, {
      taskId: healthy.taskId,
      userId: healthy.userId,
      scheduledAt: ms(-1000),
    });
    // A database-side fault for one user's notifications only.
    await t.dataSource.query(`
      CREATE FUNCTION refuse_notification() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'simulated fault'; END $$`);
    await t.dataSource.query(
      `CREATE TRIGGER trg_refuse_notification BEFORE INSERT ON notifications
       FOR EACH ROW WHEN (NEW.user_id = '${failing.userId}') EXECUTE FUNCTION refuse_notification()`,
    );
    try {
      const outcome = await worker.runJob('reminder_fire', T);
      expect(outcome.result).toMatchObject({ fired: 1, errors: 1 });
    } finally {
      await t.dataSource.query(`DROP TRIGGER trg_refuse_notification ON notifications`);
      await t.dataSource.query(`DROP FUNCTION refuse_notification()`);
    }
    await expect(reminderRow(t.dataSource, broken)).resolves.toMatchObject({ fired: false });
    await expect(reminderRow(t.dataSource, fine)).resolves.toMatchObject({ fired: true });

    await worker.runJob('reminder_fire', ms(1000));
    await expect(reminderRow(t.dataSource, broken)).resolves.toMatchObject({ fired: true, fired_at: ms(1000) });
  });

  it('should fire each of many due reminders exactly once when runs overlap', async () => {
    const { userId, taskId } = await userWithTask();
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push(await insertReminder(t.dataSource, { taskId, userId, scheduledAt: ms(-i) }));

    const outcomes = await Promise.all([1, 2, 3].map(() => worker.runJob('reminder_fire', T)));

    const fired = outcomes.reduce((sum, outcome) => sum + (outcome.result?.fired as number), 0);
    expect(fired).toBe(50);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM notifications WHERE source_ref = ANY($1)`,
      [ids.map((id) => `reminder:${id}`)],
    );
    expect(count).toBe(50);
    const [{ entries }] = await t.dataSource.query(
      `SELECT count(*)::int AS entries FROM activity_logs WHERE action = 'reminder_fired' AND entity_id = ANY($1)`,
      [ids],
    );
    expect(entries).toBe(50);
  });
});
