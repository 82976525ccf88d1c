import { randomUUID } from 'node:crypto';
import { as, expectError, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';

describe('DELETE /api/v1/users/me', () => {
  let t: TestApp;
  let worker: TestWorker;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '10000' });
    worker = await createTestWorker(t.databaseUrl);
  });

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  /** A Pro user with data in (nearly) every user-owned table, some of it written as the job runner or provider would. */
  async function richUser(): Promise<Awaited<ReturnType<typeof loginAs>> & { feedUrl: string; ref: string }> {
    const login = await loginAs(t, { tier: 'pro' });
    // Provider ids never contain our user ids; the scan for leftovers relies on that.
    const ref = randomUUID();
    const { accessToken, user } = login;
    const client = as(t, accessToken);
    const task = await client
      .post('/api/v1/tasks')
      .send({ title: 'Task', due_date: new Date(Date.now() + 86_400_000).toISOString(), estimated_duration: 30 });
    const taskId = task.body.data.id as string;
    await client.post(`/api/v1/tasks/${taskId}/subtasks`).send({ title: 'Step' });
    await client.post(`/api/v1/tasks/${taskId}/reminders`).send({ type: 'before', offset_minutes: 5 });
    await client.post('/api/v1/focus/start').send({ task_id: taskId });
    const doomed = await client.post('/api/v1/tasks').send({ title: 'Deleted' });
    await client.delete(`/api/v1/tasks/${doomed.body.data.id as string}`);
    await client.post('/api/v1/templates').send({ title: 'Daily', rrule: 'FREQ=DAILY' });
    await client.post('/api/v1/notes').send({ content: 'Secret' });
    const feed = await client.post('/api/v1/calendar-feed');
    const exported = await client.post('/api/v1/users/me/export');
    await worker.runJob('data_export', new Date(), { export_id: exported.body.data.id });
    const [subscription] = await t.dataSource.query(`SELECT id FROM subscriptions WHERE user_id = $1`, [user.id]);
    // A real captured renewal and a credit purchase (bookkeeping records), as webhooks would write them.
    await t.dataSource.query(
      `INSERT INTO subscription_payments (subscription_id, user_id, payment_id, outcome, reported_by, period_start, period_end)
       VALUES ($1, $2, $3, 'captured', 'webhook', now(), now() + interval '1 month')`,
      [subscription.id, user.id, `pay_${ref}`],
    );
    await t.dataSource.query(
      `INSERT INTO ai_credit_ledger (user_id, credit_type, operation, amount, balance_after, operation_ref, description)
       VALUES ($1, 'purchased', 'grant', 100, 200, $2, 'Purchased credits')`,
      [user.id, `payment:pay_credits_${ref}`],
    );
    await t.dataSource.query(
      `INSERT INTO payment_sessions (user_id, purpose, credits, amount_cents, expires_at) VALUES ($1, 'credit_purchase', 100, 1000, now())`,
      [user.id],
    );
    await t.dataSource.query(
      `INSERT INTO webhook_events (event_id, event_type, outcome, user_id, payload) VALUES ($1, 'payment_captured', 'processed', $2, $3)`,
      [
        `evt_${ref}`,
        user.id,
        {
          id: `evt_${ref}`,
          type: 'payment_captured',
          data: {
            id: `pay_${ref}`,
            amount: 900,
            currency: 'USD',
            customer: { email: user.email, name: 'Ada' },
            metadata: { user_id: user.id },
          },
        },
      ],
    );
    await t.dataSource.query(
      `INSERT INTO push_subscriptions (user_id, endpoint, p256dh_key, auth_key) VALUES ($1, $2, 'k', 'a')`,
      [user.id, `https://push.example/${user.id}`],
    );
    await t.dataSource.query(
      `INSERT INTO voice_sessions (user_id, status, transcript) VALUES ($1, 'completed', 'hello')`,
      [user.id],
    );
    return { ...login, feedUrl: feed.body.data.url, ref };
  }

  /** Every row of every table in the public schema whose text mentions the user id. */
  async function rowsMentioning(userId: string): Promise<Record<string, number>> {
    const tables: Array<{ table_name: string }> = await t.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const found: Record<string, number> = {};
    for (const { table_name: table } of tables) {
      const [{ count }] = await t.dataSource.query(
        `SELECT count(*)::int AS count FROM "${table}" t WHERE t::text LIKE $1`,
        [`%${userId}%`],
      );
      if (count > 0) found[table] = count;
    }
    return found;
  }

  it('should delete the account and leave no row of the user in any table', async () => {
    const { accessToken, user } = await richUser();
    const before = await rowsMentioning(user.id);
    expect(Object.keys(before).sort()).toEqual(
      expect.arrayContaining([
        'activity_logs',
        'ai_credit_ledger',
        'calendar_feeds',
        'data_exports',
        'deletion_tombstones',
        'focus_sessions',
        'idempotency_keys',
        'notes',
        'notifications',
        'payment_sessions',
        'push_subscriptions',
        'refresh_tokens',
        'reminders',
        'subscription_payments',
        'subscriptions',
        'sync_changes',
        'task_instances',
        'task_templates',
        'user_achievement_states',
        'users',
        'voice_sessions',
        'webhook_events',
      ]),
    );

    const res = await as(t, accessToken)
      .delete('/api/v1/users/me')
      .send({ confirm: ` ${user.email.toUpperCase()} ` });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { id: user.id, deleted: true } });
    expect(await rowsMentioning(user.id)).toEqual({});
  });

  it('should end every session: access tokens 401, refresh tokens rejected, the calendar feed gone', async () => {
    const { accessToken, refreshToken, user, feedUrl } = await richUser();
    expect((await as(t, accessToken).delete('/api/v1/users/me').send({ confirm: user.email })).status).toBe(200);

    expectError(await as(t, accessToken).get('/api/v1/users/me'), 401, 'UNAUTHORIZED');
    expectError(
      await t.http.post('/api/v1/auth/refresh').send({ refresh_token: refreshToken }),
      401,
      'INVALID_REFRESH_TOKEN',
    );
    expectError(await t.http.get(new URL(feedUrl).pathname), 404, 'NOT_FOUND');
    // Signing in again creates a new, empty account.
    const again = await loginAs(t, { email: user.email });
    expect(again.user.id).not.toBe(user.id);
  });

  it('should keep only pseudonymous payment records and pseudonymized webhook audit rows', async () => {
    const { accessToken, user, ref } = await richUser();
    expect((await as(t, accessToken).delete('/api/v1/users/me').send({ confirm: user.email })).status).toBe(200);

    const records = await t.dataSource.query(
      `SELECT payment_id, purpose, amount_cents, currency, credits FROM retained_payment_records
       WHERE payment_id IN ($1, $2) ORDER BY purpose`,
      [`pay_credits_${ref}`, `pay_${ref}`],
    );
    expect(records).toEqual([
      {
        payment_id: `pay_credits_${ref}`,
        purpose: 'credit_purchase',
        amount_cents: 1000,
        currency: 'USD',
        credits: 100,
      },
      { payment_id: `pay_${ref}`, purpose: 'pro_subscription', amount_cents: 900, currency: 'USD', credits: null },
    ]);
    const [event] = await t.dataSource.query(`SELECT user_id, payload FROM webhook_events WHERE event_id = $1`, [
      `evt_${ref}`,
    ]);
    expect(event).toEqual({
      user_id: null,
      payload: {
        id: `evt_${ref}`,
        type: 'payment_captured',
        data: { id: `pay_${ref}`, amount: 900, currency: 'USD' },
        redacted: true,
      },
    });
    expect(JSON.stringify(event)).not.toContain(user.email);
    // Dev-login activations are not payments: nothing kept for them.
    expect(await t.dataSource.query(`SELECT 1 FROM retained_payment_records WHERE payment_id LIKE 'dev_%'`)).toEqual(
      [],
    );
  });

  it('should require the account email as confirmation and change nothing otherwise', async () => {
    const { accessToken, user } = await loginAs(t);
    const client = as(t, accessToken);

    const missing = expectError(await client.delete('/api/v1/users/me'), 400, 'VALIDATION_ERROR');
    expect(missing.details).toEqual([{ field: 'confirm', message: "must be the account's email address" }]);
    const wrong = expectError(
      await client.delete('/api/v1/users/me').send({ confirm: 'DELETE MY ACCOUNT' }),
      400,
      'VALIDATION_ERROR',
    );
    expect(wrong.details).toEqual([{ field: 'confirm', message: "must be the account's email address" }]);
    expect(await t.dataSource.query(`SELECT id FROM users WHERE id = $1`, [user.id])).toEqual([{ id: user.id }]);
  });

  it('should let the cleanup job purge payment records after their retention', async () => {
    const id = randomUUID();
    await t.dataSource.query(
      `INSERT INTO retained_payment_records (payment_id, purpose, amount_cents, currency, paid_at, account_deleted_at, retain_until)
       VALUES ($1, 'pro_subscription', 900, 'USD', now(), now(), now() + interval '1 day')`,
      [`pay_${id}`],
    );
    await worker.runJob('data_export_cleanup', new Date());
    expect(
      await t.dataSource.query(`SELECT 1 FROM retained_payment_records WHERE payment_id = $1`, [`pay_${id}`]),
    ).toHaveLength(1);
    const retained = async (): Promise<number> =>
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM retained_payment_records`))[0].n;
    const before = await retained();
    const result = await worker.runJob('data_export_cleanup', new Date(Date.now() + 2 * 86_400_000));
    expect(before).toBeGreaterThanOrEqual(1);
    expect(result.result).toMatchObject({ payment_records_deleted: before - (await retained()) });
    expect(
      await t.dataSource.query(`SELECT 1 FROM retained_payment_records WHERE payment_id = $1`, [`pay_${id}`]),
    ).toEqual([]);
  });
});
