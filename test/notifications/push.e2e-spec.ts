import { randomUUID } from 'node:crypto';
import webpush from 'web-push';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { JobExecutor } from '../../apps/worker/src/job-executor';
import { as, expectError, loginAs } from '../support/factories';
import { FakePush, PushSubscriber, startFakePush } from '../support/fake-push';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';
import { notify, pushJobsFor } from './notification-fixtures';

function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('Web Push', () => {
  let t: TestApp;
  let worker: TestWorker;
  let push: FakePush;
  const vapid = webpush.generateVAPIDKeys();

  beforeAll(async () => {
    push = await startFakePush();
    push.vapidPublicKey = vapid.publicKey;
    const env = {
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@example.com',
      PUSH_CA_CERT_FILE: push.caFile,
      RATE_LIMIT_GENERAL: '10000',
    };
    t = await createTestApp(env);
    worker = await createTestWorker(t.databaseUrl, env);
  });

  afterAll(async () => {
    await worker.close();
    await t.close();
    await push.close();
  });

  async function register(token: string, subscriber: PushSubscriber): Promise<string> {
    const res = await as(t, token)
      .post('/api/v1/notifications/push-subscription')
      .send({ endpoint: subscriber.endpoint, keys: { p256dh: subscriber.p256dh, auth: subscriber.auth } });
    expect(res.status).toBe(201);
    return res.body.data.id as string;
  }

  async function reminder(userId: string): Promise<string> {
    const created = await notify(t, {
      userId,
      type: 'reminder',
      title: 'Reminder: Write report',
      body: 'Due in 30 minutes',
      actionUrl: '/tasks/1',
      taskId: randomUUID(),
      push: true,
    });
    return created!.id;
  }

  async function subscriptionRow(
    id: string,
  ): Promise<{ failure_count: number; last_used_at: Date | null } | undefined> {
    const rows = await t.dataSource.query(`SELECT failure_count, last_used_at FROM push_subscriptions WHERE id = $1`, [
      id,
    ]);
    return rows[0];
  }

  describe('GET /api/v1/notifications/vapid-public-key', () => {
    it('should publish the VAPID public key', async () => {
      const { accessToken } = await loginAs(t);
      const res = await as(t, accessToken).get('/api/v1/notifications/vapid-public-key');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { enabled: true, public_key: vapid.publicKey } });
    });
  });

  describe('push subscriptions', () => {
    it('should register either shape: 201 when new, 200 when the endpoint is re-registered (moving it)', async () => {
      const alice = await loginAs(t);
      const bob = await loginAs(t);
      const subscriber = push.subscriber();
      const created = await as(t, alice.accessToken)
        .post('/api/v1/notifications/push-subscription')
        .set('User-Agent', 'TestBrowser/1.0')
        .send({ endpoint: subscriber.endpoint, p256dh_key: subscriber.p256dh, auth_key: subscriber.auth });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        data: {
          id: expect.any(String),
          endpoint: subscriber.endpoint,
          created_at: expect.any(String),
          last_used_at: null,
        },
      });
      const stored = await t.dataSource.query(`SELECT user_agent FROM push_subscriptions WHERE id = $1`, [
        created.body.data.id,
      ]);
      expect(stored).toEqual([{ user_agent: 'TestBrowser/1.0' }]);
      const other = push.subscriber();
      const moved = await as(t, bob.accessToken)
        .post('/api/v1/notifications/push-subscription')
        .send({ endpoint: subscriber.endpoint, keys: { p256dh: other.p256dh, auth: other.auth } });
      expect(moved.status).toBe(200);
      expect(moved.body.data.id).toBe(created.body.data.id);
      const rows = await t.dataSource.query(
        `SELECT user_id, p256dh_key, auth_key, user_agent FROM push_subscriptions WHERE id = $1`,
        [created.body.data.id],
      );
      expect(rows).toEqual([
        { user_id: bob.user.id, p256dh_key: other.p256dh, auth_key: other.auth, user_agent: null },
      ]);
    });

    it('should keep at most 10 subscriptions per user, the oldest replaced by a new one', async () => {
      const { accessToken, user } = await loginAs(t);
      const ids: string[] = [];
      for (let i = 0; i < 11; i++) ids.push(await register(accessToken, push.subscriber()));
      const rows: Array<{ id: string }> = await t.dataSource.query(
        `SELECT id FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at, id`,
        [user.id],
      );
      expect(rows.map((row) => row.id).sort()).toEqual(ids.slice(1).sort());
    });

    it('should answer 400 for missing keys or an endpoint that is not a URL', async () => {
      const { accessToken } = await loginAs(t);
      const noKeys = await as(t, accessToken)
        .post('/api/v1/notifications/push-subscription')
        .send({ endpoint: `${push.url}/push/x` });
      expect(expectError(noKeys, 400, 'VALIDATION_ERROR').details).toEqual([
        { field: 'p256dh_key', message: 'is required' },
        { field: 'auth_key', message: 'is required' },
      ]);
      const badUrl = await as(t, accessToken)
        .post('/api/v1/notifications/push-subscription')
        .send({ endpoint: 'nope', keys: { p256dh: 'abc', auth: 'def' } });
      expect(expectError(badUrl, 400, 'VALIDATION_ERROR').details).toEqual([
        { field: 'endpoint', message: 'must be a valid URL' },
      ]);
      const scheme = await as(t, accessToken)
        .post('/api/v1/notifications/push-subscription')
        .send({ endpoint: 'ftp://push.example/x', keys: { p256dh: 'abc', auth: 'def' } });
      expect(expectError(scheme, 400, 'VALIDATION_ERROR').details).toEqual([
        { field: 'endpoint', message: 'must be an http(s) URL' },
      ]);
      const badKey = await as(t, accessToken)
        .post('/api/v1/notifications/push-subscription')
        .send({ endpoint: `${push.url}/push/y`, keys: { p256dh: 'not base64!', auth: 'def' } });
      expect(expectError(badKey, 400, 'VALIDATION_ERROR').details).toEqual([
        { field: 'keys.p256dh', message: 'must be base64url' },
      ]);
    });

    it('should unregister by endpoint; another user’s endpoint or an unknown one is 404', async () => {
      const alice = await loginAs(t);
      const bob = await loginAs(t);
      const subscriber = push.subscriber();
      const id = await register(alice.accessToken, subscriber);
      const path = `/api/v1/notifications/push-subscription?endpoint=${encodeURIComponent(subscriber.endpoint)}`;
      expectError(await as(t, bob.accessToken).delete(path), 404, 'NOT_FOUND');
      const res = await as(t, alice.accessToken).delete(path);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { id, deleted: true } });
      expectError(await as(t, alice.accessToken).delete(path), 404, 'NOT_FOUND');
      const missing = await as(t, alice.accessToken).delete('/api/v1/notifications/push-subscription');
      expect(expectError(missing, 400, 'VALIDATION_ERROR').details).toEqual([
        { field: 'endpoint', message: 'is required' },
      ]);
    });
  });

  describe('delivery (push_deliver)', () => {
    it('should put a reminder in the bell and deliver an encrypted VAPID push to every subscription', async () => {
      const { accessToken, user } = await loginAs(t);
      const phone = push.subscriber();
      const laptop = push.subscriber();
      const phoneId = await register(accessToken, phone);
      await register(accessToken, laptop);

      const notificationId = await reminder(user.id);

      const bell = await as(t, accessToken).get('/api/v1/notifications');
      expect(bell.body.data.map((n: { id: string }) => n.id)).toEqual([notificationId]);
      expect(bell.body.unread_count).toBe(1);
      const jobs = await pushJobsFor(t, notificationId);
      expect(jobs).toHaveLength(2);
      const before = push.requests.length;
      for (const data of jobs) {
        await expect(worker.runJob('push_deliver', new Date(), data)).resolves.toEqual({
          status: 'success',
          result: { delivered: 1, removed_subscriptions: 0, failed: 0 },
        });
      }
      const received = push.requests.slice(before);
      expect(received.map((r) => r.path).sort()).toEqual(
        [new URL(phone.endpoint).pathname, new URL(laptop.endpoint).pathname].sort(),
      );
      const toPhone = received.find((r) => phone.endpoint.endsWith(r.path))!;
      expect(toPhone.headers).toMatchObject({ ttl: '3600', urgency: 'high', 'content-encoding': 'aes128gcm' });
      const auth = /^vapid t=([^,]+), k=(.+)$/.exec(String(toPhone.headers.authorization));
      expect(auth?.[2]).toBe(vapid.publicKey);
      const claims = decodeJwt(auth![1]);
      expect(claims).toMatchObject({ aud: push.url, sub: 'mailto:ops@example.com' });
      expect((claims.exp as number) - Date.now() / 1000).toBeLessThanOrEqual(12 * 3600 + 5);
      expect(phone.decrypt(toPhone.body)).toEqual({
        title: 'Reminder: Write report',
        body: 'Due in 30 minutes',
        url: '/tasks/1',
        tag: 'perpetua-reminder',
        notification_id: notificationId,
        type: 'reminder',
        timestamp: bell.body.data[0].created_at,
      });
      expect((await subscriptionRow(phoneId))?.last_used_at).not.toBeNull();
    });

    it('should not push notifications that are not push reminders', async () => {
      const { accessToken, user } = await loginAs(t);
      await register(accessToken, push.subscriber());
      const created = await notify(t, {
        userId: user.id,
        type: 'achievement',
        title: 'Achievement unlocked',
        body: 'x',
      });
      expect(await pushJobsFor(t, created!.id)).toEqual([]);
      const inApp = await notify(t, { userId: user.id, type: 'reminder', title: 'r', body: 'in-app reminder' });
      expect(await pushJobsFor(t, inApp!.id)).toEqual([]);
    });

    it('should delete a subscription the push service reports gone (404/410), failing nothing else', async () => {
      const { accessToken, user } = await loginAs(t);
      const gone = push.subscriber();
      const expired = push.subscriber();
      const fine = push.subscriber();
      const goneId = await register(accessToken, gone);
      const expiredId = await register(accessToken, expired);
      const fineId = await register(accessToken, fine);
      push.statuses.set(new URL(gone.endpoint).pathname, 410);
      push.statuses.set(new URL(expired.endpoint).pathname, 404);
      const notificationId = await reminder(user.id);

      const outcomes = [];
      for (const data of await pushJobsFor(t, notificationId))
        outcomes.push(await worker.runJob('push_deliver', new Date(), data));

      expect(outcomes.map((o) => o.result)).toEqual(
        expect.arrayContaining([
          { delivered: 0, removed_subscriptions: 1, failed: 0 },
          { delivered: 0, removed_subscriptions: 1, failed: 0 },
          { delivered: 1, removed_subscriptions: 0, failed: 0 },
        ]),
      );
      expect(await subscriptionRow(goneId)).toBeUndefined();
      expect(await subscriptionRow(expiredId)).toBeUndefined();
      expect(await subscriptionRow(fineId)).toBeDefined();
      expect((await as(t, accessToken).get('/api/v1/notifications')).body.data).toHaveLength(1);
    });

    it('should give up at once on 413 and other 4xx', async () => {
      const { accessToken, user } = await loginAs(t);
      const tooLarge = push.subscriber();
      const id = await register(accessToken, tooLarge);
      for (const status of [413, 400]) {
        push.statuses.set(new URL(tooLarge.endpoint).pathname, status);
        const [data] = await pushJobsFor(t, await reminder(user.id));
        await expect(worker.runJob('push_deliver', new Date(), data)).resolves.toEqual({
          status: 'success',
          result: { delivered: 0, removed_subscriptions: 0, failed: 1 },
        });
      }
      expect(await subscriptionRow(id)).toMatchObject({ failure_count: 0 });
    });

    it('should give up on the 403 of a subscription bound to another VAPID key, keeping it', async () => {
      const { accessToken, user } = await loginAs(t);
      const id = await register(accessToken, push.subscriber());
      push.vapidPublicKey = webpush.generateVAPIDKeys().publicKey;
      try {
        const [data] = await pushJobsFor(t, await reminder(user.id));
        await expect(worker.runJob('push_deliver', new Date(), data)).resolves.toEqual({
          status: 'success',
          result: { delivered: 0, removed_subscriptions: 0, failed: 1 },
        });
      } finally {
        push.vapidPublicKey = vapid.publicKey;
      }
      expect(await subscriptionRow(id)).toMatchObject({ failure_count: 0 });
    });

    it('should retry 429/5xx (counting failures) and give up after the last attempt', async () => {
      const { accessToken, user } = await loginAs(t);
      const flaky = push.subscriber();
      const id = await register(accessToken, flaky);
      push.statuses.set(new URL(flaky.endpoint).pathname, 503);
      const [data] = await pushJobsFor(t, await reminder(user.id));
      const executor = worker.context.get(JobExecutor);

      await expect(
        executor.execute('push_deliver', { now: new Date(), data, jobId: null, attempt: 1 }),
      ).rejects.toThrow(/retried/);
      push.statuses.set(new URL(flaky.endpoint).pathname, 429);
      await expect(
        executor.execute('push_deliver', { now: new Date(), data, jobId: null, attempt: 2 }),
      ).rejects.toThrow(/retried/);
      await expect(
        executor.execute('push_deliver', { now: new Date(), data, jobId: null, attempt: 3 }),
      ).resolves.toEqual({
        status: 'success',
        result: { delivered: 0, removed_subscriptions: 0, failed: 1 },
      });
      expect(await subscriptionRow(id)).toMatchObject({ failure_count: 3 });

      push.statuses.delete(new URL(flaky.endpoint).pathname);
      await executor.execute('push_deliver', { now: new Date(), data, jobId: null, attempt: 1 });
      expect(await subscriptionRow(id)).toMatchObject({ failure_count: 0 });
    });

    it('should retry when the push service cannot be reached', async () => {
      const { accessToken, user } = await loginAs(t);
      const subscriber = push.subscriber();
      const closedPort = { ...subscriber, endpoint: 'https://127.0.0.1:1/push/closed' };
      const id = await register(accessToken, closedPort);
      const [data] = await pushJobsFor(t, await reminder(user.id));
      await expect(worker.runJob('push_deliver', new Date(), data)).rejects.toThrow(/retried/);
      expect(await subscriptionRow(id)).toMatchObject({ failure_count: 1 });
    });

    it('should skip a job whose notification or subscription is gone', async () => {
      await expect(
        worker.runJob('push_deliver', new Date(), {
          notification_id: randomUUID(),
          push_subscription_id: randomUUID(),
        }),
      ).resolves.toEqual({ status: 'skipped', result: { delivered: 0, removed_subscriptions: 0, failed: 0 } });
    });

    it('should count deliveries in push_deliveries_total', async () => {
      const text = await worker.context.get(MetricsService).registry.metrics();
      for (const outcome of ['delivered', 'removed', 'failed', 'retried']) {
        expect(text).toMatch(new RegExp(`push_deliveries_total\\{outcome="${outcome}"\\} [1-9]`));
      }
    });
  });
});

describe('Web Push without VAPID', () => {
  let t: TestApp;
  let worker: TestWorker;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await createTestWorker(t.databaseUrl);
  });

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('should report push disabled, still store subscriptions and keep notifications in-app only', async () => {
    const { accessToken, user } = await loginAs(t);
    const key = await as(t, accessToken).get('/api/v1/notifications/vapid-public-key');
    expect(key.body).toEqual({ data: { enabled: false, public_key: null } });
    const res = await as(t, accessToken)
      .post('/api/v1/notifications/push-subscription')
      .send({ endpoint: 'http://127.0.0.1:9/push/a', p256dh_key: 'BAAA', auth_key: 'AAAA' });
    expect(res.status).toBe(201);
    const created = await notify(t, { userId: user.id, type: 'reminder', title: 'r', body: 'b', push: true });
    expect(await pushJobsFor(t, created!.id)).toEqual([]);
    await expect(
      worker.runJob('push_deliver', new Date(), {
        notification_id: created!.id,
        push_subscription_id: res.body.data.id,
      }),
    ).resolves.toEqual({ status: 'skipped', result: { delivered: 0, removed_subscriptions: 0, failed: 0 } });
  });
});
