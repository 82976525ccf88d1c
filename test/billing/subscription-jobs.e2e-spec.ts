import { randomUUID } from 'node:crypto';
import { as, loginAs } from '../support/factories';
import {
  FakeCheckout,
  postWebhook,
  proCaptured,
  paymentEvent,
  RecordedRequest,
  startFakeCheckout,
} from '../support/fake-checkout';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';
import {
  grantsOf,
  ledgerEntries,
  notificationsOf,
  paymentsOf,
  RenewableSubscriber,
  renewableSubscriber,
  subscriptionOf,
  tierOf,
  updateSubscription,
} from './billing-fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ORIGIN = 'https://app.example.com';

describe('Subscription jobs', () => {
  let t: TestApp;
  let worker: TestWorker;
  let checkout: FakeCheckout;

  beforeAll(async () => {
    checkout = await startFakeCheckout();
    const env = { ...checkout.env(), RATE_LIMIT_GENERAL: '10000' };
    t = await createTestApp(env);
    worker = await createTestWorker(t.databaseUrl, env);
  });

  afterAll(async () => {
    await worker.close();
    await t.close();
    await checkout.close();
  });

  beforeEach(() => {
    checkout.paymentBehaviour = 'approve';
  });

  const subscriber = (periodEnd: Date): Promise<RenewableSubscriber> =>
    renewableSubscriber(t, checkout.webhookSecret, periodEnd);

  /** Every subscription expired so far, by reason, counted from its `subscription_expired` event. */
  async function expiriesByReason(): Promise<Record<'cancelled' | 'lapsed' | 'grace', number>> {
    const rows: Array<{ reason: 'cancelled' | 'lapsed' | 'grace'; count: number }> = await t.dataSource.query(
      `SELECT metadata->>'reason' AS reason, count(*)::int AS count FROM activity_logs
       WHERE action = 'subscription_expired' GROUP BY 1`,
    );
    return { cancelled: 0, lapsed: 0, grace: 0, ...Object.fromEntries(rows.map((row) => [row.reason, row.count])) };
  }

  /** Runs `subscription_check` at `now` and asserts its counts are the expiries it made, one of them `mine`. */
  async function checkExpiring(now: Date, mine: 'cancelled' | 'lapsed'): Promise<void> {
    const before = await expiriesByReason();
    const { result } = await worker.runJob('subscription_check', now);
    const after = await expiriesByReason();
    expect(result).toMatchObject({
      expired_cancelled: after.cancelled - before.cancelled,
      expired_lapsed: after.lapsed - before.lapsed,
      expired_grace: after.grace - before.grace,
      errors: 0,
    });
    expect(after[mine] - before[mine]).toBeGreaterThanOrEqual(1);
  }

  function requestsFor(userId: string): RecordedRequest[] {
    return checkout.paymentRequests.filter((r) => (r.body.metadata as { user_id: string }).user_id === userId);
  }

  describe('subscription_renew', () => {
    it('should charge a due subscription with the stored card and renew it exactly like a captured payment', async () => {
      const periodEnd = new Date(Date.now() + 30 * 60_000);
      const { userId, token, subscriptionId, firstPayment } = await subscriber(periodEnd);

      const outcome = await worker.runJob('subscription_renew');

      expect(outcome.status).toBe('success');
      expect(outcome.result).toMatchObject({ renewed: 1, declined: 0 });
      const [request] = requestsFor(userId);
      const key = `renew-${subscriptionId}-${Math.floor(periodEnd.getTime() / 1000)}-1`;
      expect(request.headers['cko-idempotency-key']).toBe(key);
      expect(request.headers.authorization).toBe(`Bearer ${checkout.secretKey}`);
      expect(request.body).toEqual({
        source: { type: 'id', id: `src_${userId}` },
        amount: 900,
        currency: 'USD',
        payment_type: 'Recurring',
        merchant_initiated: true,
        previous_payment_id: firstPayment,
        reference: key,
        description: 'Perpetua Flow Pro (monthly)',
        metadata: { user_id: userId, purpose: 'pro_subscription', subscription_id: firstPayment },
      });
      const renewed = (await subscriptionOf(t, userId))!;
      const payments = await paymentsOf(t, userId);
      const renewalPayment = payments[1].payment_id;
      expect(payments[1]).toEqual({ payment_id: renewalPayment, outcome: 'captured', reported_by: 'renewal_job' });
      // The new period starts at the old end: the payment was taken before it.
      expect(renewed.current_period_start).toEqual(periodEnd);
      const end = new Date(periodEnd);
      end.setUTCMonth(end.getUTCMonth() + 1);
      if (end.getUTCDate() !== periodEnd.getUTCDate()) end.setUTCDate(0);
      expect(renewed).toMatchObject({ status: 'active', last_payment_id: renewalPayment, current_period_end: end });
      expect((await grantsOf(t, userId, 'subscription')).map((g) => g.operation_ref)).toEqual([
        `payment:${firstPayment}`,
        `payment:${renewalPayment}`,
      ]);
      expect(await ledgerEntries(t, userId, 'carryover')).toEqual([{ credit_type: 'subscription', amount: -50 }]);
      expect((await as(t, token).get('/api/v1/credits/balance')).body.data.subscription).toBe(150);
      expect((await notificationsOf(t, userId)).map((n) => n.title)).toEqual([
        'Welcome to Pro',
        'Subscription renewed',
      ]);

      // Checkout.com's own event about that payment changes nothing.
      const late = await postWebhook(t, proCaptured(userId, { paymentId: renewalPayment }), checkout.webhookSecret);
      expect(late.body).toEqual({ status: 'ok', processed: false, reason: 'duplicate' });
      // Not due any more: the next run charges nothing.
      await worker.runJob('subscription_renew');
      expect(requestsFor(userId)).toHaveLength(1);
    });

    it('should honour the job clock: not due an hour and more ahead, due within the lead time', async () => {
      const periodEnd = new Date(Date.now() + 10 * DAY);
      const { userId } = await subscriber(periodEnd);
      await worker.runJob('subscription_renew', new Date(periodEnd.getTime() - HOUR - 60_000));
      expect(requestsFor(userId)).toHaveLength(0);
      const now = new Date(periodEnd.getTime() - HOUR);
      await worker.runJob('subscription_renew', now);
      expect(requestsFor(userId)).toHaveLength(1);
      const stored = (await subscriptionOf(t, userId))!;
      expect(stored.current_period_start).toEqual(periodEnd);
      expect(
        await t.dataSource.query(
          `SELECT created_at FROM subscription_payments WHERE user_id = $1 AND reported_by = 'renewal_job'`,
          [userId],
        ),
      ).toEqual([{ created_at: now }]);
    });

    it('should count each declined charge: past due, a new attempt key per run, grace at the third, then no charge', async () => {
      checkout.paymentBehaviour = 'decline';
      const periodEnd = new Date(Date.now() + 20 * 60_000);
      const { userId, subscriptionId } = await subscriber(periodEnd);
      const keyBase = `renew-${subscriptionId}-${Math.floor(periodEnd.getTime() / 1000)}`;

      expect((await worker.runJob('subscription_renew')).result).toMatchObject({ declined: 1 });
      expect(await subscriptionOf(t, userId)).toMatchObject({ status: 'past_due', failed_payment_count: 1 });
      await worker.runJob('subscription_renew');
      await worker.runJob('subscription_renew');
      await worker.runJob('subscription_renew');

      expect(requestsFor(userId).map((r) => r.headers['cko-idempotency-key'])).toEqual([
        `${keyBase}-1`,
        `${keyBase}-2`,
        `${keyBase}-3`,
      ]);
      expect(await subscriptionOf(t, userId)).toMatchObject({ status: 'grace', failed_payment_count: 3 });
      expect(await tierOf(t, userId)).toBe('pro');
      expect((await paymentsOf(t, userId)).filter((p) => p.outcome === 'declined').map((p) => p.reported_by)).toEqual([
        'renewal_job',
        'renewal_job',
        'renewal_job',
      ]);
      expect((await notificationsOf(t, userId)).map((n) => n.title)).toEqual([
        'Welcome to Pro',
        'Payment failed (1/3)',
        'Payment failed (2/3)',
        'Payment failed - grace period started',
      ]);
    });

    it('should change nothing without a usable answer and repeat the same key next run', async () => {
      const periodEnd = new Date(Date.now() + 20 * 60_000);
      const { userId } = await subscriber(periodEnd);
      const before = await subscriptionOf(t, userId);
      for (const behaviour of ['error', 'pending'] as const) {
        checkout.paymentBehaviour = behaviour;
        expect((await worker.runJob('subscription_renew')).result).toMatchObject({
          renewed: 0,
          declined: 0,
          errors: 1,
        });
      }
      checkout.paymentBehaviour = (request) => ({
        status: 201,
        body: { id: 'pay_x', status: 'Captured', source: request.body.source },
      });
      expect((await worker.runJob('subscription_renew')).result).toMatchObject({ errors: 1 });
      expect(await subscriptionOf(t, userId)).toEqual(before);
      checkout.paymentBehaviour = 'approve';
      expect((await worker.runJob('subscription_renew')).result).toMatchObject({ renewed: 1 });
      const keys = new Set(requestsFor(userId).map((r) => r.headers['cko-idempotency-key']));
      expect(keys.size).toBe(1);
    });

    it('should get the card from the last payment when no instrument is stored', async () => {
      const { user } = await loginAs(t);
      const paymentId = `pay_${randomUUID()}`;
      await postWebhook(
        t,
        paymentEvent({ paymentId, metadata: { user_id: user.id, purpose: 'pro_subscription' } }),
        checkout.webhookSecret,
      );
      await updateSubscription(t, user.id, { current_period_end: new Date(Date.now() + 10 * 60_000) });
      expect((await subscriptionOf(t, user.id))!.payment_instrument_id).toBeNull();

      expect((await worker.runJob('subscription_renew')).result).toMatchObject({ renewed: 0 });
      expect(requestsFor(user.id)).toHaveLength(0);

      checkout.paymentSources.set(paymentId, 'src_found_later');
      expect((await worker.runJob('subscription_renew')).result).toMatchObject({ renewed: 1 });
      expect((requestsFor(user.id)[0].body.source as { id: string }).id).toBe('src_found_later');
    });

    it('should never charge dev-login, cancelled or grace subscriptions', async () => {
      const dev = await loginAs(t, { tier: 'pro' });
      await updateSubscription(t, dev.user.id, { current_period_end: new Date(Date.now() + 60_000) });
      const cancelled = await subscriber(new Date(Date.now() + 60_000));
      await as(t, cancelled.token).post('/api/v1/subscription/cancel').send();
      const grace = await subscriber(new Date(Date.now() + 60_000));
      await updateSubscription(t, grace.userId, {
        status: 'grace',
        failed_payment_count: 3,
        grace_period_end: new Date(Date.now() + DAY),
      });

      await worker.runJob('subscription_renew');

      expect(requestsFor(dev.user.id)).toHaveLength(0);
      expect(requestsFor(cancelled.userId)).toHaveLength(0);
      expect(requestsFor(grace.userId)).toHaveLength(0);
    });
  });

  describe('subscription_check', () => {
    it('should expire a cancelled subscription at its period end, once', async () => {
      const periodEnd = new Date(Date.now() + 5 * DAY);
      const { userId, token } = await subscriber(periodEnd);
      await as(t, token).post('/api/v1/subscription/cancel').send();

      await worker.runJob('subscription_check', new Date(periodEnd.getTime() - 1000));
      expect(await subscriptionOf(t, userId)).toMatchObject({ status: 'cancelled' });
      expect(await tierOf(t, userId)).toBe('pro');
      await checkExpiring(periodEnd, 'cancelled');
      expect(await subscriptionOf(t, userId)).toMatchObject({ status: 'expired' });
      await worker.runJob('subscription_check', new Date(periodEnd.getTime() + 1000));
      expect(await tierOf(t, userId)).toBe('free');
      const status = await as(t, token).get('/api/v1/subscription');
      expect(status.body.data).toMatchObject({
        tier: 'free',
        status: 'expired',
        features: { monthly_credits: 0, voice_notes: false },
      });
      const expiredEvents = await t.dataSource.query(
        `SELECT metadata FROM activity_logs WHERE user_id = $1 AND action = 'subscription_expired'`,
        [userId],
      );
      expect(expiredEvents).toEqual([{ metadata: { reason: 'cancelled' } }]);
    });

    it('should let an unpaid active or dev subscription lapse three days after its period end', async () => {
      const dev = await loginAs(t, { tier: 'pro' });
      const periodEnd = (await subscriptionOf(t, dev.user.id))!.current_period_end;
      await worker.runJob('subscription_check', new Date(periodEnd.getTime() + 3 * DAY - 1000));
      expect(await tierOf(t, dev.user.id)).toBe('pro');
      await checkExpiring(new Date(periodEnd.getTime() + 3 * DAY), 'lapsed');
      expect(await subscriptionOf(t, dev.user.id)).toMatchObject({ status: 'expired' });
      expect(await tierOf(t, dev.user.id)).toBe('free');
      expect((await notificationsOf(t, dev.user.id)).map((n) => n.title)).toEqual([
        'Welcome to Pro',
        'Subscription expired',
      ]);
    });

    it('should expire pending payment sessions after 24 hours', async () => {
      const { accessToken, user } = await loginAs(t);
      await as(t, accessToken).post('/api/v1/subscription/checkout').set('Origin', ORIGIN).send({});
      const [session] = await t.dataSource.query(`SELECT id, expires_at FROM payment_sessions WHERE user_id = $1`, [
        user.id,
      ]);
      await worker.runJob('subscription_check', new Date(session.expires_at.getTime() - 1000));
      expect(
        (await t.dataSource.query(`SELECT status FROM payment_sessions WHERE id = $1`, [session.id]))[0].status,
      ).toBe('pending');
      const expiredSessions = async (): Promise<number> =>
        (await t.dataSource.query(`SELECT count(*)::int AS n FROM payment_sessions WHERE status = 'expired'`))[0].n;
      const before = await expiredSessions();
      const result = await worker.runJob('subscription_check', session.expires_at);
      expect(result.result).toMatchObject({ payment_sessions_expired: (await expiredSessions()) - before });
      expect(
        (await t.dataSource.query(`SELECT status FROM payment_sessions WHERE id = $1`, [session.id]))[0].status,
      ).toBe('expired');
      // A captured payment still completes an expired session.
      await postWebhook(
        t,
        proCaptured(user.id, { metadata: { payment_session_id: session.id } }),
        checkout.webhookSecret,
      );
      expect(
        (await t.dataSource.query(`SELECT status FROM payment_sessions WHERE id = $1`, [session.id]))[0].status,
      ).toBe('completed');
    });
  });
});

describe('subscription_renew without CHECKOUT_SECRET_KEY', () => {
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

  it('should charge nothing and finish as skipped', async () => {
    await expect(worker.runJob('subscription_renew')).resolves.toEqual({
      status: 'skipped',
      result: { renewed: 0, declined: 0, errors: 0 },
    });
  });
});
