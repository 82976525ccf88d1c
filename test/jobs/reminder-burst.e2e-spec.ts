import webpush from 'web-push';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';
import { insertTask } from './job-fixtures';

const REMINDERS = 1800;
const INACTIVE = 200;

/**
 * A burst of reminders due at one instant, fired by two runners at once (batches claimed with
 * `SKIP LOCKED`): each reminder fires once with one notification and one push job per push
 * subscription, each runner fires part of the burst.
 */
describe('reminder_fire burst on two runners', () => {
  let database: { url: string; drop(): Promise<void> };
  let runners: TestWorker[];
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    const vapid = webpush.generateVAPIDKeys();
    const env = {
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@example.com',
    };
    runners = [await createTestWorker(database.url, env), await createTestWorker(database.url, env)];
    db = runners[0].context.get(DataSource);
  });

  afterAll(async () => {
    for (const runner of runners) await runner.close();
    await database.drop();
  });

  it('should fire every reminder once, split between the runners, with its notification and push jobs', async () => {
    const [user] = await db.query(
      `INSERT INTO users (google_id, email, name) VALUES ('burst', 'burst@example.com', 'Burst') RETURNING id`,
    );
    const taskId = await insertTask(db, user.id, { title: 'Stand-up' });
    const doneTaskId = await insertTask(db, user.id, { title: 'Done already', completed: true });
    await db.query(
      `INSERT INTO push_subscriptions (user_id, endpoint, p256dh_key, auth_key)
       SELECT $1, 'https://push.example.com/' || i, 'key', 'auth' FROM generate_series(1, 2) AS i`,
      [user.id],
    );
    const dueAt = new Date(Date.now() - 1000);
    await db.query(
      `INSERT INTO reminders (task_id, user_id, type, scheduled_at, method)
       SELECT CASE WHEN i <= $4 THEN $2::uuid ELSE $1::uuid END, $3, 'absolute', $5, 'push'
       FROM generate_series(1, $6) AS i`,
      [taskId, doneTaskId, user.id, INACTIVE, dueAt, REMINDERS],
    );
    const now = new Date();

    const outcomes = await Promise.all(runners.map((runner) => runner.runJob('reminder_fire', now)));

    const fired = outcomes.map((outcome) => (outcome.result as { fired: number }).fired);
    const skipped = outcomes.map((outcome) => (outcome.result as { skipped: number }).skipped);
    expect(fired[0] + fired[1]).toBe(REMINDERS - INACTIVE);
    expect(skipped[0] + skipped[1]).toBe(INACTIVE);
    expect(outcomes.map((outcome) => (outcome.result as { errors: number }).errors)).toEqual([0, 0]);
    expect(fired[0] + skipped[0]).toBeGreaterThan(0);
    expect(fired[1] + skipped[1]).toBeGreaterThan(0);
    expect(
      await db.query(
        `SELECT fired, skipped, fired_at IS NOT NULL AS delivered, count(*)::int AS count FROM reminders
         GROUP BY 1, 2, 3 ORDER BY 2`,
      ),
    ).toEqual([
      { fired: true, skipped: false, delivered: true, count: REMINDERS - INACTIVE },
      { fired: true, skipped: true, delivered: false, count: INACTIVE },
    ]);
    expect(
      await db.query(
        `SELECT count(*)::int AS notifications, count(DISTINCT source_ref)::int AS sources,
                count(*) FILTER (WHERE n.created_at = $1 AND n.task_id = $2 AND n.type = 'reminder')::int AS exact
         FROM notifications n`,
        [now, taskId],
      ),
    ).toEqual([{ notifications: REMINDERS - INACTIVE, sources: REMINDERS - INACTIVE, exact: REMINDERS - INACTIVE }]);
    expect(
      await db.query(
        `SELECT count(*)::int AS jobs, count(DISTINCT data->>'notification_id')::int AS notifications
         FROM pgboss.job WHERE name = 'push_deliver'`,
      ),
    ).toEqual([{ jobs: 2 * (REMINDERS - INACTIVE), notifications: REMINDERS - INACTIVE }]);
    expect(
      await db.query(
        `SELECT action, count(*)::int AS count FROM activity_logs WHERE entity_type = 'reminder' GROUP BY 1 ORDER BY 1`,
      ),
    ).toEqual([
      { action: 'reminder_fired', count: REMINDERS - INACTIVE },
      { action: 'reminder_skipped', count: INACTIVE },
    ]);

    const again = await runners[0].runJob('reminder_fire', now);
    expect(again).toEqual({ status: 'success', result: { fired: 0, skipped: 0, errors: 0 } });
  });
});
