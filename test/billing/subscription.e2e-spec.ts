import { randomUUID } from 'node:crypto';
import { as, expectError, loginAs } from '../support/factories';
import { FakeCheckout, paymentEvent, postWebhook, proCaptured, startFakeCheckout } from '../support/fake-checkout';
import { createTestApp, TestApp } from '../support/test-app';
import { activityOf, paymentsOf, subscriptionOf, tierOf, updateSubscription } from './billing-fixtures';

const ORIGIN = 'https://app.example.com';
const DAY = 86_400_000;

const FREE_STATUS = {
  tier: 'free',
  status: null,
  current_period_start: null,
  current_period_end: null,
  cancel_at_period_end: false,
  grace_period_end: null,
  failed_payment_count: 0,
  features: { max_subtasks: 4, max_description_length: 1000, voice_notes: false, monthly_credits: 0 },
  monthly_credits_purchased: 0,
  max_monthly_credit_purchase: 500,
};

describe('Subscription endpoints', () => {
  let t: TestApp;
  let checkout: FakeCheckout;

  beforeAll(async () => {
    checkout = await startFakeCheckout();
    t = await createTestApp({ ...checkout.env(), RATE_LIMIT_GENERAL: '10000' });
  });

  afterAll(async () => {
    await t.close();
    await checkout.close();
  });

  beforeEach(() => {
    checkout.hostedAnswer = null;
    checkout.onHosted = null;
  });

  function lastHosted(): Record<string, unknown> {
    return checkout.hostedRequests[checkout.hostedRequests.length - 1].body;
  }

  async function pro(): Promise<{ token: string; userId: string }> {
    const { accessToken, user } = await loginAs(t);
    await postWebhook(t, proCaptured(user.id), checkout.webhookSecret);
    return { token: accessToken, userId: user.id };
  }

  describe('GET /api/v1/subscription', () => {
    it('should report every key for a user who never subscribed', async () => {
      const { accessToken } = await loginAs(t);
      const res = await as(t, accessToken).get('/api/v1/subscription');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: FREE_STATUS });
    });

    it('should report a dev-login Pro user as a one-month active subscription', async () => {
      const before = Date.now();
      const { accessToken, user } = await loginAs(t, { tier: 'pro' });
      const res = await as(t, accessToken).get('/api/v1/subscription');
      expect(res.body.data).toMatchObject({ tier: 'pro', status: 'active', cancel_at_period_end: false });
      const start = Date.parse(res.body.data.current_period_start);
      expect(start).toBeGreaterThanOrEqual(before - 1000);
      const end = new Date(start);
      end.setUTCMonth(end.getUTCMonth() + 1);
      if (end.getUTCDate() !== new Date(start).getUTCDate()) end.setUTCDate(0);
      expect(res.body.data.current_period_end).toBe(end.toISOString());
      const stored = (await subscriptionOf(t, user.id))!;
      expect(stored.checkout_subscription_id).toBe(`dev_${user.id}`);
      expect(stored.payment_instrument_id).toBeNull();
      const payments = await paymentsOf(t, user.id);
      expect(payments).toEqual([
        { payment_id: expect.stringMatching(/^dev_[0-9a-f-]{36}$/), outcome: 'captured', reported_by: 'dev_login' },
      ]);
      const grants = await t.dataSource.query(
        `SELECT amount, operation_ref FROM ai_credit_ledger WHERE user_id = $1 AND credit_type = 'subscription'`,
        [user.id],
      );
      expect(grants).toEqual([{ amount: 100, operation_ref: `payment:${payments[0].payment_id}` }]);
    });

    it('should require authentication', async () => {
      expectError(await t.http.get('/api/v1/subscription'), 401, 'UNAUTHORIZED');
    });
  });

  describe('POST /api/v1/subscription/checkout and /upgrade', () => {
    it('should create a recurring hosted payment session for Pro, nothing else changing', async () => {
      const { accessToken, user } = await loginAs(t, { name: 'Ada Lovelace' });
      const res = await as(t, accessToken)
        .post('/api/v1/subscription/checkout')
        .send({ success_url: 'https://app.example.com/ok', cancel_url: 'https://app.example.com/back' });

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: {
          checkout_url: expect.stringMatching(/^https:\/\/pay\.example\/hpp_/),
          session_id: expect.stringMatching(/^hpp_/),
        },
      });
      const request = checkout.hostedRequests[checkout.hostedRequests.length - 1];
      expect(request.headers.authorization).toBe(`Bearer ${checkout.secretKey}`);
      expect(request.headers['content-type']).toBe('application/json');
      const sessions = await t.dataSource.query(
        `SELECT id, status, purpose, amount_cents, currency, credits, provider_session_id, checkout_url, expires_at, created_at
         FROM payment_sessions WHERE user_id = $1`,
        [user.id],
      );
      expect(sessions).toHaveLength(1);
      const [session] = sessions;
      expect(request.body).toEqual({
        amount: 900,
        currency: 'USD',
        payment_type: 'Recurring',
        reference: session.id,
        description: 'Perpetua Flow Pro (monthly)',
        customer: { email: user.email, name: 'Ada Lovelace' },
        billing: { address: { country: 'US' } },
        success_url: 'https://app.example.com/ok',
        cancel_url: 'https://app.example.com/back',
        failure_url: 'https://app.example.com/back',
        metadata: { user_id: user.id, purpose: 'pro_subscription', payment_session_id: session.id },
      });
      expect(session).toMatchObject({
        status: 'pending',
        purpose: 'pro_subscription',
        amount_cents: 900,
        currency: 'USD',
        credits: null,
        provider_session_id: res.body.data.session_id,
        checkout_url: res.body.data.checkout_url,
      });
      expect(session.expires_at.getTime() - session.created_at.getTime()).toBe(DAY);
      expect(await tierOf(t, user.id)).toBe('free');
      expect(await subscriptionOf(t, user.id)).toBeUndefined();
      expect(await activityOf(t, user.id)).toEqual([{ action: 'checkout_created', source: 'user' }]);
    });

    it('should commit the pending session with the key before the provider call and the outcome with its result', async () => {
      const { accessToken, user } = await loginAs(t);
      const key = randomUUID();
      const during: Array<Record<string, unknown>> = [];
      // docs/api.md §1.10: seen from another connection while Checkout.com is being called.
      checkout.onHosted = async () => {
        during.push(
          ...(await t.dataSource.query(
            `SELECT k.state AS key_state, s.status AS session_status, s.provider_session_id
             FROM idempotency_keys k, payment_sessions s WHERE k.user_id = $1 AND k.key = $2 AND s.user_id = $1`,
            [user.id, key],
          )),
        );
      };
      const res = await t.http
        .post('/api/v1/subscription/checkout')
        .set('Authorization', `Bearer ${accessToken}`)
        .set('Idempotency-Key', key)
        .send({ success_url: 'https://app.example.com/ok', cancel_url: 'https://app.example.com/back' });

      expect(res.status).toBe(200);
      expect(during).toEqual([{ key_state: 'in_progress', session_status: 'pending', provider_session_id: null }]);
      // The provider's session id and the stored outcome were written by one transaction.
      const [after] = await t.dataSource.query(
        `SELECT k.state, k.xmin::text = s.xmin::text AS same_commit, s.provider_session_id
         FROM idempotency_keys k, payment_sessions s WHERE k.user_id = $1 AND k.key = $2 AND s.user_id = $1`,
        [user.id, key],
      );
      expect(after).toEqual({ state: 'completed', same_commit: true, provider_session_id: res.body.data.session_id });
    });

    it('should derive the return URLs from the Origin header', async () => {
      const { accessToken } = await loginAs(t);
      await as(t, accessToken).post('/api/v1/subscription/checkout').set('Origin', ORIGIN).send();
      expect(lastHosted()).toMatchObject({
        success_url: `${ORIGIN}/dashboard/subscription/success`,
        cancel_url: `${ORIGIN}/dashboard/credits`,
        failure_url: `${ORIGIN}/dashboard/credits`,
      });
    });

    it('should answer 400 without URLs or Origin, and for URLs that are not http(s)', async () => {
      const { accessToken } = await loginAs(t);
      const none = await as(t, accessToken).post('/api/v1/subscription/checkout').send({});
      expect(expectError(none, 400, 'VALIDATION_ERROR').details).toEqual([
        { field: 'success_url', message: 'is required when the request has no valid Origin header' },
        { field: 'cancel_url', message: 'is required when the request has no valid Origin header' },
      ]);
      const bad = await as(t, accessToken)
        .post('/api/v1/subscription/checkout')
        .set('Origin', ORIGIN)
        .send({ success_url: 'ftp://x.test/a', cancel_url: 42 });
      expect(expectError(bad, 400, 'VALIDATION_ERROR').details).toEqual([
        { field: 'cancel_url', message: 'must be a string' },
      ]);
      const scheme = await as(t, accessToken)
        .post('/api/v1/subscription/checkout')
        .set('Origin', ORIGIN)
        .send({ success_url: 'ftp://x.test/a' });
      expect(expectError(scheme, 400, 'VALIDATION_ERROR').details).toEqual([
        { field: 'success_url', message: 'must be an http(s) URL' },
      ]);
    });

    it('should answer the status before payment plus the session from /upgrade', async () => {
      const { accessToken } = await loginAs(t);
      const res = await as(t, accessToken).post('/api/v1/subscription/upgrade').set('Origin', ORIGIN).send({});
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: {
          ...FREE_STATUS,
          checkout_url: expect.stringMatching(/^https:/),
          session_id: expect.stringMatching(/^hpp_/),
        },
      });
    });

    it('should refuse with 409 ALREADY_PRO while active or cancelled with time left', async () => {
      const { token, userId } = await pro();
      expectError(
        await as(t, token).post('/api/v1/subscription/checkout').set('Origin', ORIGIN).send({}),
        409,
        'ALREADY_PRO',
      );
      await as(t, token).post('/api/v1/subscription/cancel').send();
      expectError(
        await as(t, token).post('/api/v1/subscription/upgrade').set('Origin', ORIGIN).send({}),
        409,
        'ALREADY_PRO',
      );
      expect(await t.dataSource.query(`SELECT 1 FROM payment_sessions WHERE user_id = $1`, [userId])).toEqual([]);
    });

    it('should allow checkout in past_due and grace (card replacement) and after expiry', async () => {
      const { token, userId } = await pro();
      for (const status of ['past_due', 'grace', 'expired']) {
        await updateSubscription(t, userId, { status });
        const res = await as(t, token).post('/api/v1/subscription/checkout').set('Origin', ORIGIN).send({});
        expect({ status, code: res.status }).toEqual({ status, code: 200 });
      }
    });

    it('should renew an overdue period when the card-replacement payment is captured', async () => {
      const { token, userId } = await pro();
      const before = (await subscriptionOf(t, userId))!;
      await postWebhook(
        t,
        paymentEvent({ type: 'payment_declined', metadata: { user_id: userId } }),
        checkout.webhookSecret,
      );
      await as(t, token).post('/api/v1/subscription/checkout').set('Origin', ORIGIN).send({});
      const sessionId = lastHosted().reference as string;
      await postWebhook(
        t,
        proCaptured(userId, { sourceId: 'src_replacement', metadata: { payment_session_id: sessionId } }),
        checkout.webhookSecret,
      );
      const after = (await subscriptionOf(t, userId))!;
      expect(after).toMatchObject({
        status: 'active',
        failed_payment_count: 0,
        payment_instrument_id: 'src_replacement',
      });
      expect(after.current_period_start).toEqual(before.current_period_end);
    });

    it('should answer 503 PAYMENT_SERVICE_UNAVAILABLE and mark the session failed when the provider fails', async () => {
      const { accessToken, user } = await loginAs(t);
      for (const answer of [
        { status: 500, body: { error: 'x' } },
        { status: 201, body: { id: 'hpp_no_link' } },
      ]) {
        checkout.hostedAnswer = answer;
        const res = await as(t, accessToken).post('/api/v1/subscription/checkout').set('Origin', ORIGIN).send({});
        expectError(res, 503, 'PAYMENT_SERVICE_UNAVAILABLE');
      }
      const sessions = await t.dataSource.query(`SELECT status FROM payment_sessions WHERE user_id = $1`, [user.id]);
      expect(sessions).toEqual([{ status: 'failed' }, { status: 'failed' }]);
      expect(await activityOf(t, user.id)).toEqual([]);
    });

    it('should require an Idempotency-Key and replay the answer', async () => {
      const { accessToken } = await loginAs(t);
      const missing = await t.http
        .post('/api/v1/subscription/checkout')
        .set('Authorization', `Bearer ${accessToken}`)
        .set('Origin', ORIGIN)
        .send({});
      expectError(missing, 400, 'VALIDATION_ERROR');
      const key = randomUUID();
      const first = await as(t, accessToken)
        .post('/api/v1/subscription/checkout')
        .set('Idempotency-Key', key)
        .set('Origin', ORIGIN)
        .send({});
      const count = checkout.hostedRequests.length;
      const replay = await as(t, accessToken)
        .post('/api/v1/subscription/checkout')
        .set('Idempotency-Key', key)
        .set('Origin', ORIGIN)
        .send({});
      expect(replay.body).toEqual(first.body);
      expect(replay.headers['x-idempotent-replayed']).toBe('true');
      expect(checkout.hostedRequests).toHaveLength(count);
    });
  });

  describe('POST /api/v1/subscription/cancel and /resume', () => {
    it('should cancel at period end without calling the provider, then resume', async () => {
      const { token, userId } = await pro();
      const stored = (await subscriptionOf(t, userId))!;
      const calls = checkout.hostedRequests.length + checkout.paymentRequests.length;

      const cancel = await as(t, token).post('/api/v1/subscription/cancel').send();

      expect(cancel.status).toBe(200);
      expect(cancel.body).toEqual({
        data: {
          status: 'cancelled',
          access_until: stored.current_period_end.toISOString(),
          cancel_at_period_end: true,
        },
      });
      expect(await tierOf(t, userId)).toBe('pro');
      const status = await as(t, token).get('/api/v1/subscription');
      expect(status.body.data).toMatchObject({ tier: 'pro', status: 'cancelled', cancel_at_period_end: true });

      const resume = await as(t, token).post('/api/v1/subscription/resume').send();
      expect(resume.status).toBe(200);
      expect(resume.body.data).toMatchObject({
        tier: 'pro',
        status: 'active',
        cancel_at_period_end: false,
        current_period_end: stored.current_period_end.toISOString(),
      });
      expect((await subscriptionOf(t, userId))!.cancelled_at).toBeNull();
      expect(checkout.hostedRequests.length + checkout.paymentRequests.length).toBe(calls);
      expect(await activityOf(t, userId)).toEqual([
        { action: 'subscription_activated', source: 'system' },
        { action: 'subscription_cancelled', source: 'user' },
        { action: 'subscription_resumed', source: 'user' },
      ]);
    });

    it('should resume to past_due or grace when payments had failed', async () => {
      const { token, userId } = await pro();
      const graceEnd = new Date(Date.now() + 2 * DAY);
      for (const [count, expected] of [
        [2, 'past_due'],
        [3, 'grace'],
      ] as const) {
        await updateSubscription(t, userId, {
          status: count === 3 ? 'grace' : 'past_due',
          failed_payment_count: count,
          grace_period_end: count === 3 ? graceEnd : null,
        });
        await as(t, token).post('/api/v1/subscription/cancel').send();
        const res = await as(t, token).post('/api/v1/subscription/resume').send();
        expect(res.body.data).toMatchObject({ status: expected, failed_payment_count: count });
      }
      expect((await subscriptionOf(t, userId))!.grace_period_end).toEqual(graceEnd);
    });

    it('should answer 409 NO_ACTIVE_SUBSCRIPTION when there is nothing to cancel or resume', async () => {
      const { accessToken } = await loginAs(t);
      expectError(await as(t, accessToken).post('/api/v1/subscription/cancel').send(), 409, 'NO_ACTIVE_SUBSCRIPTION');
      expectError(await as(t, accessToken).post('/api/v1/subscription/resume').send(), 409, 'NO_ACTIVE_SUBSCRIPTION');

      const { token, userId } = await pro();
      expectError(await as(t, token).post('/api/v1/subscription/resume').send(), 409, 'NO_ACTIVE_SUBSCRIPTION');
      await as(t, token).post('/api/v1/subscription/cancel').send();
      expectError(await as(t, token).post('/api/v1/subscription/cancel').send(), 409, 'NO_ACTIVE_SUBSCRIPTION');
      await updateSubscription(t, userId, { current_period_end: new Date(Date.now() - 1000) });
      expectError(await as(t, token).post('/api/v1/subscription/resume').send(), 409, 'NO_ACTIVE_SUBSCRIPTION');
      await updateSubscription(t, userId, { status: 'expired' });
      expectError(await as(t, token).post('/api/v1/subscription/cancel').send(), 409, 'NO_ACTIVE_SUBSCRIPTION');
    });

    it('should allow cancelling from past_due and grace', async () => {
      const { token, userId } = await pro();
      await updateSubscription(t, userId, {
        status: 'grace',
        failed_payment_count: 3,
        grace_period_end: new Date(Date.now() + DAY),
      });
      const res = await as(t, token).post('/api/v1/subscription/cancel').send();
      expect(res.status).toBe(200);
      expect(await subscriptionOf(t, userId)).toMatchObject({ status: 'cancelled' });
    });
  });

  describe('POST /api/v1/subscription/purchase-credits', () => {
    it('should open a paid session and answer pending, with the balance and the cap', async () => {
      const { accessToken, user } = await loginAs(t);
      const res = await as(t, accessToken)
        .post('/api/v1/subscription/purchase-credits')
        .set('Origin', ORIGIN)
        .send({ amount: 100 });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: {
          success: false,
          credits_purchased: 0,
          new_balance: 5,
          checkout_url: expect.stringMatching(/^https:/),
          session_id: expect.stringMatching(/^hpp_/),
          credits: 100,
          amount_cents: 1000,
          currency: 'USD',
          monthly_purchased: 0,
          monthly_remaining: 400,
        },
      });
      const [session] = await t.dataSource.query(
        `SELECT id, credits, amount_cents, purpose FROM payment_sessions WHERE user_id = $1`,
        [user.id],
      );
      expect(session).toMatchObject({ credits: 100, amount_cents: 1000, purpose: 'credit_purchase' });
      expect(lastHosted()).toEqual({
        amount: 1000,
        currency: 'USD',
        payment_type: 'Regular',
        reference: session.id,
        description: 'Perpetua Flow AI credits (100)',
        customer: { email: user.email, name: expect.any(String) },
        billing: { address: { country: 'US' } },
        success_url: `${ORIGIN}/dashboard/subscription/success`,
        cancel_url: `${ORIGIN}/dashboard/credits`,
        failure_url: `${ORIGIN}/dashboard/credits`,
        metadata: { user_id: user.id, purpose: 'credit_purchase', payment_session_id: session.id, credits: 100 },
      });
      const ledger = await t.dataSource.query(
        `SELECT 1 FROM ai_credit_ledger WHERE user_id = $1 AND credit_type = 'purchased'`,
        [user.id],
      );
      expect(ledger).toEqual([]);
      expect(await activityOf(t, user.id)).toEqual([{ action: 'credit_purchase_created', source: 'user' }]);
    });

    it('should count granted and pending purchases against the 500 monthly cap', async () => {
      const { accessToken, user } = await loginAs(t, { tier: 'pro' });
      const granted = await as(t, accessToken)
        .post('/api/v1/subscription/purchase-credits')
        .set('Origin', ORIGIN)
        .send({ amount: 200 });
      expect(granted.status).toBe(200);
      const sessionId = checkout.hostedRequests[checkout.hostedRequests.length - 1].body.reference as string;
      await postWebhook(
        t,
        paymentEvent({
          metadata: { user_id: user.id, purpose: 'credit_purchase', payment_session_id: sessionId, credits: 200 },
          data: { amount: 2000 },
        }),
        checkout.webhookSecret,
      );
      const pending = await as(t, accessToken)
        .post('/api/v1/subscription/purchase-credits')
        .set('Origin', ORIGIN)
        .send({ amount: 250 });
      expect(pending.body.data).toMatchObject({
        monthly_purchased: 200,
        monthly_remaining: 50,
        new_balance: 5 + 10 + 100 + 200,
      });

      const over = await as(t, accessToken)
        .post('/api/v1/subscription/purchase-credits')
        .set('Origin', ORIGIN)
        .send({ amount: 51 });
      const error = expectError(over, 409, 'LIMIT_EXCEEDED');
      expect(error).toMatchObject({ limit: 500, current: 450 });
      const exact = await as(t, accessToken)
        .post('/api/v1/subscription/purchase-credits')
        .set('Origin', ORIGIN)
        .send({ amount: 50 });
      expect(exact.body.data).toMatchObject({ monthly_remaining: 0 });

      // Pending sessions older than 24 h no longer hold part of the cap.
      await t.dataSource.query(
        `UPDATE payment_sessions SET created_at = now() - interval '25 hours' WHERE user_id = $1`,
        [user.id],
      );
      const later = await as(t, accessToken)
        .post('/api/v1/subscription/purchase-credits')
        .set('Origin', ORIGIN)
        .send({ amount: 300 });
      expect(later.body.data).toMatchObject({ monthly_purchased: 200, monthly_remaining: 0 });
    });

    it('should validate the amount', async () => {
      const { accessToken } = await loginAs(t);
      for (const amount of [0, 501, 1.5, '10', null]) {
        const res = await as(t, accessToken)
          .post('/api/v1/subscription/purchase-credits')
          .set('Origin', ORIGIN)
          .send({ amount });
        expect(expectError(res, 400, 'VALIDATION_ERROR').details).toEqual([
          { field: 'amount', message: expect.any(String) },
        ]);
      }
      const missing = await as(t, accessToken)
        .post('/api/v1/subscription/purchase-credits')
        .set('Origin', ORIGIN)
        .send({});
      expectError(missing, 400, 'VALIDATION_ERROR');
    });
  });
});

describe('Subscription endpoints without Checkout.com', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('should answer 503 PAYMENT_SERVICE_UNAVAILABLE for checkout, upgrade and purchases, after validation', async () => {
    const { accessToken } = await loginAs(t);
    for (const path of ['checkout', 'upgrade']) {
      const res = await as(t, accessToken).post(`/api/v1/subscription/${path}`).set('Origin', ORIGIN).send({});
      expectError(res, 503, 'PAYMENT_SERVICE_UNAVAILABLE');
    }
    const purchase = await as(t, accessToken)
      .post('/api/v1/subscription/purchase-credits')
      .set('Origin', ORIGIN)
      .send({ amount: 5 });
    expectError(purchase, 503, 'PAYMENT_SERVICE_UNAVAILABLE');
    const invalid = await as(t, accessToken).post('/api/v1/subscription/purchase-credits').send({ amount: 0 });
    expectError(invalid, 400, 'VALIDATION_ERROR');
    expect(await t.dataSource.query(`SELECT 1 FROM payment_sessions`)).toEqual([]);
  });

  it('should still cancel and resume (local only)', async () => {
    const { accessToken } = await loginAs(t, { tier: 'pro' });
    expect((await as(t, accessToken).post('/api/v1/subscription/cancel').send()).status).toBe(200);
    expect((await as(t, accessToken).post('/api/v1/subscription/resume').send()).body.data.status).toBe('active');
  });
});
