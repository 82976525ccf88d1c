import { randomUUID } from 'node:crypto';
import { as, expectError, loginAs } from '../support/factories';
import {
  FakeCheckout,
  paymentEvent,
  postWebhook,
  proCaptured,
  signWebhook,
  startFakeCheckout,
} from '../support/fake-checkout';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';
import {
  activityOf,
  grantsOf,
  ledgerEntries,
  notificationsOf,
  paymentsOf,
  subscriptionOf,
  tierOf,
  webhookEventOf,
} from './billing-fixtures';

const DAY = 86_400_000;

describe('POST /api/v1/webhooks/checkout', () => {
  let t: TestApp;
  let worker: TestWorker;
  let checkout: FakeCheckout;
  let secret: string;

  beforeAll(async () => {
    checkout = await startFakeCheckout();
    secret = checkout.webhookSecret;
    const env = { ...checkout.env(), RATE_LIMIT_GENERAL: '10000' };
    t = await createTestApp(env);
    worker = await createTestWorker(t.databaseUrl, env);
  });

  afterAll(async () => {
    await worker.close();
    await t.close();
    await checkout.close();
  });

  /** A free user who started a Pro checkout; returns the payment session id (the `reference`). */
  async function startCheckout(token: string): Promise<string> {
    const res = await as(t, token)
      .post('/api/v1/subscription/checkout')
      .set('Origin', 'https://app.example.com')
      .send({});
    expect(res.status).toBe(200);
    return checkout.hostedRequests[checkout.hostedRequests.length - 1].body.reference as string;
  }

  async function proUser(): Promise<{ accessToken: string; userId: string; sourceId: string; paymentId: string }> {
    const { accessToken, user } = await loginAs(t);
    const sourceId = `src_${randomUUID()}`;
    const paymentId = `pay_${randomUUID()}`;
    const res = await postWebhook(t, proCaptured(user.id, { sourceId, paymentId }), secret);
    expect(res.body).toEqual({ status: 'ok', processed: true });
    return { accessToken, userId: user.id, sourceId, paymentId };
  }

  /** A pending credit-purchase session of `credits` credits (10 cents each), as the purchase endpoint stores it. */
  async function storedSession(userId: string, credits: number): Promise<string> {
    const rows: { id: string }[] = await t.dataSource.query(
      `INSERT INTO payment_sessions (user_id, purpose, credits, amount_cents, currency, expires_at)
       VALUES ($1, 'credit_purchase', $2, $3, 'USD', now() + interval '1 hour') RETURNING id`,
      [userId, credits, credits * 10],
    );
    return rows[0].id;
  }

  describe('verification and envelope', () => {
    it('should answer 401 INVALID_SIGNATURE for a missing or wrong signature and store nothing', async () => {
      const event = paymentEvent();
      const raw = JSON.stringify(event);
      const missing = await t.http.post('/api/v1/webhooks/checkout').set('Content-Type', 'application/json').send(raw);
      expectError(missing, 401, 'INVALID_SIGNATURE');
      expectError(await postWebhook(t, raw, secret, signWebhook(raw, 'other-secret')), 401, 'INVALID_SIGNATURE');
      expectError(await postWebhook(t, raw, secret, signWebhook(`${raw} `, secret)), 401, 'INVALID_SIGNATURE');
      expect(await webhookEventOf(t, event.id as string)).toBeUndefined();
    });

    it('should accept an uppercase hex signature', async () => {
      const raw = JSON.stringify(paymentEvent({ type: 'card_verified' }));
      const res = await postWebhook(t, raw, secret, signWebhook(raw, secret).toUpperCase());
      expect(res.body).toEqual({ status: 'ok', processed: false, reason: 'unknown_event_type' });
    });

    it('should check the signature before the JSON: malformed and non-object bodies are 401 unsigned, 400 signed', async () => {
      for (const raw of ['{"id": ', '[1,2]', '"text"']) {
        expectError(await postWebhook(t, raw, secret, signWebhook(raw, 'wrong')), 401, 'INVALID_SIGNATURE');
        expectError(await postWebhook(t, raw, secret), 400, 'VALIDATION_ERROR');
      }
    });

    it('should answer 400 for a signed event without id or type, naming the field', async () => {
      const noId = await postWebhook(t, { type: 'payment_captured', data: {} }, secret);
      expect(expectError(noId, 400, 'VALIDATION_ERROR').details).toEqual([{ field: 'id', message: 'is required' }]);
      const noType = await postWebhook(t, { id: 'evt_x', data: {} }, secret);
      expect(expectError(noType, 400, 'VALIDATION_ERROR').details).toEqual([
        { field: 'type', message: 'is required (or event_type)' },
      ]);
    });

    it('should answer 415 for a body that is not JSON, before the signature', async () => {
      const res = await t.http
        .post('/api/v1/webhooks/checkout')
        .set('Content-Type', 'text/plain')
        .set('Cko-Signature', 'x')
        .send('hello');
      expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('should accept `event_type` in place of `type`', async () => {
      const { user } = await loginAs(t);
      const event = proCaptured(user.id);
      const { type, ...rest } = event;
      const res = await postWebhook(t, { ...rest, event_type: type }, secret);
      expect(res.body).toEqual({ status: 'ok', processed: true });
      expect(await tierOf(t, user.id)).toBe('pro');
    });

    it('should acknowledge and record a missing or non-object data as invalid_payload', async () => {
      for (const data of [undefined, 'x', [1]]) {
        const id = `evt_${randomUUID()}`;
        const res = await postWebhook(
          t,
          { id, type: 'payment_captured', ...(data === undefined ? {} : { data }) },
          secret,
        );
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ status: 'ok', processed: false, reason: 'invalid_payload' });
        expect(await webhookEventOf(t, id)).toEqual({
          outcome: 'ignored',
          reason: 'invalid_payload',
          user_id: null,
          event_type: 'payment_captured',
        });
      }
    });

    it('should record unknown event types as ignored', async () => {
      const event = paymentEvent({ type: 'payment_approved' });
      const res = await postWebhook(t, event, secret);
      expect(res.body).toEqual({ status: 'ok', processed: false, reason: 'unknown_event_type' });
      expect((await webhookEventOf(t, event.id as string))?.outcome).toBe('ignored');
    });

    it('should not need a bearer token, idempotency key or rate-limit budget', async () => {
      const res = await postWebhook(t, paymentEvent({ type: 'payment_pending' }), secret).set(
        'Authorization',
        'Bearer junk',
      );
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    });
  });

  describe('payment_captured for Pro', () => {
    it('should turn a free user Pro with the monthly credits, the card and a completed payment session', async () => {
      const { accessToken, user } = await loginAs(t);
      const sessionId = await startCheckout(accessToken);
      const createdOn = '2026-03-31T10:00:00.000Z';
      const event = proCaptured(user.id, {
        sourceId: 'src_first_card',
        paymentId: 'pay_first_' + randomUUID(),
        createdOn,
        metadata: { payment_session_id: sessionId },
        data: { reference: sessionId },
      });

      const res = await postWebhook(t, event, secret);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', processed: true });
      const me = await as(t, accessToken).get('/api/v1/users/me');
      expect(me.body.data.tier).toBe('pro');
      const status = await as(t, accessToken).get('/api/v1/subscription');
      expect(status.body.data).toEqual({
        tier: 'pro',
        status: 'active',
        current_period_start: createdOn,
        current_period_end: '2026-04-30T10:00:00.000Z',
        cancel_at_period_end: false,
        grace_period_end: null,
        failed_payment_count: 0,
        features: { max_subtasks: 10, max_description_length: 2000, voice_notes: true, monthly_credits: 100 },
        monthly_credits_purchased: 0,
        max_monthly_credit_purchase: 500,
      });
      const balance = await as(t, accessToken).get('/api/v1/credits/balance');
      expect(balance.body.data).toEqual({ kickstart: 5, daily: 10, subscription: 100, purchased: 0, total: 115 });
      expect(await grantsOf(t, user.id, 'subscription')).toEqual([
        { amount: 100, consumed: 0, operation_ref: `payment:${(event.data as { id: string }).id}` },
      ]);
      const stored = await subscriptionOf(t, user.id);
      expect(stored).toMatchObject({
        checkout_subscription_id: (event.data as { id: string }).id,
        payment_instrument_id: 'src_first_card',
        last_payment_id: (event.data as { id: string }).id,
      });
      const sessions = await t.dataSource.query(`SELECT status, completed_at FROM payment_sessions WHERE id = $1`, [
        sessionId,
      ]);
      expect(sessions[0].status).toBe('completed');
      expect(await paymentsOf(t, user.id)).toEqual([
        { payment_id: (event.data as { id: string }).id, outcome: 'captured', reported_by: 'webhook' },
      ]);
      expect(await webhookEventOf(t, event.id as string)).toEqual({
        outcome: 'processed',
        reason: null,
        user_id: user.id,
        event_type: 'payment_captured',
      });
      expect(await activityOf(t, user.id)).toEqual([
        { action: 'checkout_created', source: 'user' },
        { action: 'subscription_activated', source: 'system' },
      ]);
      const notifications = await as(t, accessToken).get('/api/v1/notifications');
      expect(notifications.body.data.map((n: { type: string; title: string }) => [n.type, n.title])).toEqual([
        ['subscription', 'Welcome to Pro'],
      ]);
    });

    it('should change nothing on a replayed event, answering duplicate', async () => {
      const { user } = await loginAs(t);
      const event = proCaptured(user.id);
      await postWebhook(t, event, secret);
      const before = await subscriptionOf(t, user.id);

      const replay = await postWebhook(t, event, secret);

      expect(replay.status).toBe(200);
      expect(replay.body).toEqual({ status: 'ok', processed: false, reason: 'duplicate' });
      expect(await subscriptionOf(t, user.id)).toEqual(before);
      expect(await grantsOf(t, user.id, 'subscription')).toHaveLength(1);
      expect(await notificationsOf(t, user.id)).toHaveLength(1);
    });

    it('should process concurrent deliveries of one event exactly once', async () => {
      const { user } = await loginAs(t);
      const event = proCaptured(user.id);
      const answers = await Promise.all([1, 2, 3, 4].map(() => postWebhook(t, event, secret)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect(answers.filter((a) => a.body.processed === true)).toHaveLength(1);
      expect(answers.filter((a) => a.body.reason === 'duplicate')).toHaveLength(3);
      expect(await grantsOf(t, user.id, 'subscription')).toHaveLength(1);
      expect(await paymentsOf(t, user.id)).toHaveLength(1);
    });

    it('should apply a payment id once even when a second event reports it', async () => {
      const { userId, paymentId } = await proUser();
      const second = proCaptured(userId, { paymentId, type: 'subscription_renewed' });
      const res = await postWebhook(t, second, secret);
      expect(res.body).toEqual({ status: 'ok', processed: false, reason: 'duplicate' });
      expect(await webhookEventOf(t, second.id as string)).toMatchObject({ outcome: 'ignored', reason: 'duplicate' });
      expect(await grantsOf(t, userId, 'subscription')).toHaveLength(1);
    });

    it('should renew with carry-over: at most 50 subscription credits stay before the new 100', async () => {
      const { userId, accessToken } = await proUser();
      const before = (await subscriptionOf(t, userId))!;
      const res = await postWebhook(
        t,
        proCaptured(userId, {
          type: 'subscription_renewed',
          sourceId: 'src_new_card',
          createdOn: before.current_period_start.toISOString(),
        }),
        secret,
      );
      expect(res.body).toEqual({ status: 'ok', processed: true });
      expect(await ledgerEntries(t, userId, 'carryover')).toEqual([{ credit_type: 'subscription', amount: -50 }]);
      const balance = await as(t, accessToken).get('/api/v1/credits/balance');
      expect(balance.body.data.subscription).toBe(150);
      const after = (await subscriptionOf(t, userId))!;
      // The renewal period starts at the old end (a payment taken early never loses days).
      expect(after.current_period_start).toEqual(before.current_period_end);
      expect(after.payment_instrument_id).toBe('src_new_card');
      expect((await notificationsOf(t, userId)).map((n) => n.title)).toEqual([
        'Welcome to Pro',
        'Subscription renewed',
      ]);
      expect((await activityOf(t, userId)).map((a) => a.action)).toEqual([
        'subscription_activated',
        'subscription_renewed',
      ]);
    });

    it('should use the period fields of the event when both are sent, and never shorten a period', async () => {
      const { userId } = await proUser();
      const start = new Date(Date.now() + 40 * DAY).toISOString();
      const end = new Date(Date.now() + 70 * DAY).toISOString();
      await postWebhook(t, proCaptured(userId, { data: { period_start: start, period_end: end } }), secret);
      const stored = (await subscriptionOf(t, userId))!;
      expect([stored.current_period_start.toISOString(), stored.current_period_end.toISOString()]).toEqual([
        start,
        end,
      ]);

      const shorter = new Date(Date.now() + 50 * DAY).toISOString();
      await postWebhook(t, proCaptured(userId, { data: { period_start: start, period_end: shorter } }), secret);
      expect((await subscriptionOf(t, userId))!.current_period_end.toISOString()).toBe(end);
    });

    it('should clamp a provider-declared period to one calendar month from its start', async () => {
      const { user } = await loginAs(t);
      const start = '2026-12-03T09:00:00.000Z';
      const forged = proCaptured(user.id, { data: { period_start: start, period_end: '2036-12-03T09:00:00.000Z' } });
      expect((await postWebhook(t, forged, secret)).body).toEqual({ status: 'ok', processed: true });
      const stored = (await subscriptionOf(t, user.id))!;
      expect([stored.current_period_start.toISOString(), stored.current_period_end.toISOString()]).toEqual([
        start,
        '2027-01-03T09:00:00.000Z',
      ]);
    });

    it('should ignore unusable period values as invalid_payload', async () => {
      const { user } = await loginAs(t);
      const event = proCaptured(user.id, { data: { period_start: 'yesterday', period_end: '2026-01-01T00:00:00Z' } });
      const res = await postWebhook(t, event, secret);
      expect(res.body).toEqual({ status: 'ok', processed: false, reason: 'invalid_payload' });
      expect(await tierOf(t, user.id)).toBe('free');
    });

    it('should resolve the user through the payment session when metadata has no user id', async () => {
      const { accessToken, user } = await loginAs(t);
      const sessionId = await startCheckout(accessToken);
      const event = paymentEvent({ data: { reference: sessionId, source: { id: 'src_ref' } } });
      const res = await postWebhook(t, event, secret);
      expect(res.body).toEqual({ status: 'ok', processed: true });
      expect(await tierOf(t, user.id)).toBe('pro');
    });

    it('should acknowledge unknown users without changing anything', async () => {
      const unknown = proCaptured(randomUUID());
      expect((await postWebhook(t, unknown, secret)).body).toEqual({
        status: 'ok',
        processed: false,
        reason: 'unknown_user',
      });
      const malformed = proCaptured('not-a-uuid');
      expect((await postWebhook(t, malformed, secret)).body).toEqual({
        status: 'ok',
        processed: false,
        reason: 'unknown_user',
      });
      const nothing = paymentEvent();
      expect((await postWebhook(t, nothing, secret)).body).toEqual({
        status: 'ok',
        processed: false,
        reason: 'unknown_user',
      });
      expect(await webhookEventOf(t, unknown.id as string)).toMatchObject({
        outcome: 'ignored',
        reason: 'unknown_user',
      });
    });

    it('should look the card up after commit when the capture carries no source', async () => {
      const { user } = await loginAs(t);
      const paymentId = `pay_${randomUUID()}`;
      checkout.paymentSources.set(paymentId, 'src_looked_up');
      const event = paymentEvent({ paymentId, metadata: { user_id: user.id, purpose: 'pro_subscription' } });
      await postWebhook(t, event, secret);
      expect(checkout.lookups).toContain(paymentId);
      expect((await subscriptionOf(t, user.id))!.payment_instrument_id).toBe('src_looked_up');
    });
  });

  describe('payment failures, grace and expiry', () => {
    it('should lead through past_due and grace to free after three failures, without losing data', async () => {
      const { userId, accessToken } = await proUser();
      await t.dataSource.query(`INSERT INTO task_instances (user_id, title) VALUES ($1, 'keep me')`, [userId]);
      const decline = (n: number) =>
        postWebhook(
          t,
          paymentEvent({
            type: 'payment_declined',
            eventId: `evt_decline_${n}_${userId}`,
            metadata: { user_id: userId },
          }),
          secret,
        );

      expect((await decline(1)).body).toEqual({ status: 'ok', processed: true });
      expect(await subscriptionOf(t, userId)).toMatchObject({ status: 'past_due', failed_payment_count: 1 });
      expect(await tierOf(t, userId)).toBe('pro');
      await decline(2);
      expect(await subscriptionOf(t, userId)).toMatchObject({ status: 'past_due', failed_payment_count: 2 });
      const before3 = Date.now();
      await decline(3);
      const grace = (await subscriptionOf(t, userId))!;
      expect(grace).toMatchObject({ status: 'grace', failed_payment_count: 3, grace_warning_sent: false });
      expect(grace.grace_period_end!.getTime()).toBeGreaterThanOrEqual(before3 + 3 * DAY);
      expect(grace.grace_period_end!.getTime()).toBeLessThan(Date.now() + 3 * DAY + 1000);
      await decline(4);
      const still = (await subscriptionOf(t, userId))!;
      expect(still).toMatchObject({ status: 'grace', failed_payment_count: 4 });
      expect(still.grace_period_end).toEqual(grace.grace_period_end);
      const status = await as(t, accessToken).get('/api/v1/subscription');
      expect(status.body.data).toMatchObject({
        tier: 'pro',
        status: 'grace',
        failed_payment_count: 4,
        grace_period_end: grace.grace_period_end!.toISOString(),
      });

      const warnAt = new Date(grace.grace_period_end!.getTime() - 12 * 3_600_000);
      expect((await worker.runJob('subscription_check', warnAt)).result).toMatchObject({ warnings_sent: 1 });
      expect((await worker.runJob('subscription_check', warnAt)).result).toMatchObject({ warnings_sent: 0 });
      expect((await subscriptionOf(t, userId))!.grace_warning_sent).toBe(true);

      const endAt = new Date(grace.grace_period_end!.getTime() + 1000);
      expect((await worker.runJob('subscription_check', endAt)).result).toMatchObject({ expired_grace: 1 });
      expect(await subscriptionOf(t, userId)).toMatchObject({ status: 'expired' });
      expect(await tierOf(t, userId)).toBe('free');
      const balance = await as(t, accessToken).get('/api/v1/credits/balance');
      expect(balance.body.data.subscription).toBe(100);
      expect(await t.dataSource.query(`SELECT title FROM task_instances WHERE user_id = $1`, [userId])).toEqual([
        { title: 'keep me' },
      ]);
      expect((await notificationsOf(t, userId)).map((n) => n.title)).toEqual([
        'Welcome to Pro',
        'Payment failed (1/3)',
        'Payment failed (2/3)',
        'Payment failed - grace period started',
        'Your Pro grace period ends soon',
        'Subscription expired',
      ]);
      expect((await activityOf(t, userId)).map((a) => a.action)).toEqual([
        'subscription_activated',
        'payment_failed',
        'payment_failed',
        'grace_started',
        'payment_failed',
        'grace_warning_sent',
        'subscription_expired',
      ]);
    });

    it('should renew a past_due subscription on a captured payment: count reset, active', async () => {
      const { userId } = await proUser();
      await postWebhook(t, paymentEvent({ type: 'payment_declined', metadata: { user_id: userId } }), secret);
      await postWebhook(t, proCaptured(userId), secret);
      expect(await subscriptionOf(t, userId)).toMatchObject({
        status: 'active',
        failed_payment_count: 0,
        grace_period_end: null,
      });
    });

    it('should re-activate an expired subscription like a first one (no carry-over)', async () => {
      const { userId } = await proUser();
      // Expired through its real path: cancelled, then the period ends.
      await postWebhook(t, paymentEvent({ type: 'subscription_cancelled', metadata: { user_id: userId } }), secret);
      const { current_period_end: periodEnd } = (await subscriptionOf(t, userId))!;
      await worker.runJob('subscription_check', new Date(periodEnd.getTime() + 1000));
      expect(await subscriptionOf(t, userId)).toMatchObject({ status: 'expired' });
      expect(await tierOf(t, userId)).toBe('free');
      await postWebhook(t, proCaptured(userId, { type: 'subscription_renewed' }), secret);
      expect(await subscriptionOf(t, userId)).toMatchObject({ status: 'active' });
      expect(await tierOf(t, userId)).toBe('pro');
      expect(await ledgerEntries(t, userId, 'carryover')).toEqual([]);
      // The expiry entry carries the job's clock (the period end), so compare without the order.
      expect((await activityOf(t, userId)).map((a) => a.action).sort()).toEqual([
        'subscription_activated',
        'subscription_activated',
        'subscription_cancelled',
        'subscription_expired',
      ]);
    });

    it('should acknowledge a decline for a user without a subscription as unknown_subscription', async () => {
      const { user } = await loginAs(t);
      const res = await postWebhook(
        t,
        paymentEvent({ type: 'payment_declined', metadata: { user_id: user.id } }),
        secret,
      );
      expect(res.body).toEqual({ status: 'ok', processed: false, reason: 'unknown_subscription' });
      const orphan = await postWebhook(
        t,
        paymentEvent({ type: 'payment_declined', data: { subscription_id: 'sub_nobody' } }),
        secret,
      );
      expect(orphan.body).toEqual({ status: 'ok', processed: false, reason: 'unknown_subscription' });
    });

    it('should resolve a decline through the subscription id', async () => {
      const { userId, paymentId } = await proUser();
      const res = await postWebhook(
        t,
        paymentEvent({ type: 'payment_declined', data: { subscription_id: paymentId } }),
        secret,
      );
      expect(res.body).toEqual({ status: 'ok', processed: true });
      expect(await subscriptionOf(t, userId)).toMatchObject({ status: 'past_due' });
    });
  });

  describe('subscription_cancelled', () => {
    it('should cancel at period end and keep Pro until then', async () => {
      const { userId, accessToken } = await proUser();
      const res = await postWebhook(
        t,
        paymentEvent({ type: 'subscription_cancelled', metadata: { user_id: userId } }),
        secret,
      );
      expect(res.body).toEqual({ status: 'ok', processed: true });
      const stored = (await subscriptionOf(t, userId))!;
      expect(stored).toMatchObject({ status: 'cancelled', cancel_at_period_end: true });
      expect(stored.cancelled_at).not.toBeNull();
      expect(await tierOf(t, userId)).toBe('pro');
      expect((await as(t, accessToken).get('/api/v1/subscription')).body.data.cancel_at_period_end).toBe(true);
      expect(await activityOf(t, userId)).toEqual([
        { action: 'subscription_activated', source: 'system' },
        { action: 'subscription_cancelled', source: 'system' },
      ]);
    });

    it('should record declines and cancellations of a cancelled subscription as processed without change', async () => {
      const { userId } = await proUser();
      await postWebhook(t, paymentEvent({ type: 'subscription_cancelled', metadata: { user_id: userId } }), secret);
      const before = await subscriptionOf(t, userId);
      for (const type of ['subscription_cancelled', 'payment_declined']) {
        const res = await postWebhook(t, paymentEvent({ type, metadata: { user_id: userId } }), secret);
        expect(res.body).toEqual({ status: 'ok', processed: true });
      }
      expect(await subscriptionOf(t, userId)).toEqual(before);
    });

    it('should honour a payment captured after cancellation (back to active)', async () => {
      const { userId } = await proUser();
      await postWebhook(t, paymentEvent({ type: 'subscription_cancelled', metadata: { user_id: userId } }), secret);
      await postWebhook(t, proCaptured(userId), secret);
      expect(await subscriptionOf(t, userId)).toMatchObject({
        status: 'active',
        cancel_at_period_end: false,
        cancelled_at: null,
      });
    });
  });

  describe('credit purchases', () => {
    async function purchase(token: string, amount: number): Promise<string> {
      const res = await as(t, token)
        .post('/api/v1/subscription/purchase-credits')
        .set('Origin', 'https://app.example.com')
        .send({ amount });
      expect(res.status).toBe(200);
      return checkout.hostedRequests[checkout.hostedRequests.length - 1].body.reference as string;
    }

    it('should grant purchased credits only when the payment is captured, once per payment', async () => {
      const { accessToken, user } = await loginAs(t);
      const sessionId = await purchase(accessToken, 120);
      expect(await grantsOf(t, user.id, 'purchased')).toEqual([]);
      const event = paymentEvent({
        metadata: { user_id: user.id, purpose: 'credit_purchase', payment_session_id: sessionId, credits: '120' },
        data: { amount: 1200 },
      });

      expect((await postWebhook(t, event, secret)).body).toEqual({ status: 'ok', processed: true });
      const again = paymentEvent({
        paymentId: (event.data as { id: string }).id,
        metadata: { user_id: user.id, purpose: 'credit_purchase', payment_session_id: sessionId, credits: 120 },
        data: { amount: 1200 },
      });
      expect((await postWebhook(t, again, secret)).body).toEqual({
        status: 'ok',
        processed: false,
        reason: 'duplicate',
      });

      expect(await grantsOf(t, user.id, 'purchased')).toEqual([
        { amount: 120, consumed: 0, operation_ref: `payment:${(event.data as { id: string }).id}` },
      ]);
      const session = await t.dataSource.query(`SELECT status FROM payment_sessions WHERE id = $1`, [sessionId]);
      expect(session[0].status).toBe('completed');
      const status = await as(t, accessToken).get('/api/v1/subscription');
      expect(status.body.data).toMatchObject({ tier: 'free', status: null, monthly_credits_purchased: 120 });
    });

    it('should take the credits from the payment session when metadata has none, and complete a failed session', async () => {
      const { accessToken, user } = await loginAs(t);
      const sessionId = await purchase(accessToken, 30);
      await postWebhook(t, paymentEvent({ type: 'payment_declined', data: { reference: sessionId } }), secret);
      expect(
        (await t.dataSource.query(`SELECT status FROM payment_sessions WHERE id = $1`, [sessionId]))[0].status,
      ).toBe('failed');
      const res = await postWebhook(t, paymentEvent({ data: { reference: sessionId, amount: 300 } }), secret);
      expect(res.body).toEqual({ status: 'ok', processed: true });
      expect((await grantsOf(t, user.id, 'purchased')).map((g) => g.amount)).toEqual([30]);
      expect(
        (await t.dataSource.query(`SELECT status FROM payment_sessions WHERE id = $1`, [sessionId]))[0].status,
      ).toBe('completed');
      expect(await tierOf(t, user.id)).toBe('free');
    });

    it('should acknowledge unusable credit amounts as invalid_payload', async () => {
      const { user } = await loginAs(t);
      for (const credits of [0, 501, 'ten', 2.5]) {
        const res = await postWebhook(
          t,
          paymentEvent({ metadata: { user_id: user.id, purpose: 'credit_purchase', credits } }),
          secret,
        );
        expect(res.body).toEqual({ status: 'ok', processed: false, reason: 'invalid_payload' });
      }
      const none = await postWebhook(
        t,
        paymentEvent({ metadata: { user_id: user.id, purpose: 'credit_purchase' } }),
        secret,
      );
      expect(none.body).toEqual({ status: 'ok', processed: false, reason: 'invalid_payload' });
      expect(await grantsOf(t, user.id, 'purchased')).toEqual([]);
    });

    /** A pending credit-purchase session as the purchase endpoint stores it (amount = credits × 10). */
    it('should honour a captured purchase beyond the monthly cap', async () => {
      const { user } = await loginAs(t);
      for (const credits of [400, 300]) {
        const sessionId = await storedSession(user.id, credits);
        const res = await postWebhook(
          t,
          paymentEvent({
            metadata: { user_id: user.id, purpose: 'credit_purchase', payment_session_id: sessionId, credits },
            data: { amount: credits * 10 },
          }),
          secret,
        );
        expect(res.body).toEqual({ status: 'ok', processed: true });
      }
      expect((await grantsOf(t, user.id, 'purchased')).map((g) => g.amount)).toEqual([400, 300]);
    });

    it('should never grant credits on metadata alone, without a stored session', async () => {
      const { user } = await loginAs(t);
      const res = await postWebhook(
        t,
        paymentEvent({
          metadata: { user_id: user.id, purpose: 'credit_purchase', credits: 120 },
          data: { amount: 1200 },
        }),
        secret,
      );
      expect(res.body).toEqual({ status: 'ok', processed: false, reason: 'invalid_payload' });
      expect(await grantsOf(t, user.id, 'purchased')).toEqual([]);
    });

    it.each([
      ['amount', { amount: 90 }, {}],
      ['currency', { currency: 'EUR' }, {}],
      ['credits', {}, { credits: 500 }],
      ['user_id', {}, { user_id: 'other' }],
    ])(
      'should acknowledge, record and count a forged %s without granting',
      async (field, data: Record<string, unknown>, metadata: Record<string, unknown>) => {
        const { user } = await loginAs(t);
        const other = (await loginAs(t)).user;
        const sessionId = await storedSession(user.id, 30);
        const forged = { ...metadata, ...(metadata.user_id ? { user_id: other.id } : {}) };
        const event = paymentEvent({
          metadata: {
            user_id: user.id,
            purpose: 'credit_purchase',
            payment_session_id: sessionId,
            credits: 30,
            ...forged,
          },
          data: { amount: 300, ...data },
        });
        const res = await postWebhook(t, event, secret);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ status: 'ok', processed: false, reason: 'session_mismatch' });
        expect(await grantsOf(t, user.id, 'purchased')).toEqual([]);
        expect(await grantsOf(t, other.id, 'purchased')).toEqual([]);
        expect(await webhookEventOf(t, event.id as string)).toMatchObject({
          outcome: 'ignored',
          reason: 'session_mismatch',
        });
        expect(
          (await t.dataSource.query(`SELECT status FROM payment_sessions WHERE id = $1`, [sessionId]))[0].status,
        ).toBe('pending');
        const metrics = await t.http.get('/metrics');
        expect(metrics.text).toMatch(new RegExp(`webhook_session_mismatch_total\\{field="${field}"\\} [1-9]`));
      },
    );
  });

  /** docs/webhook-trust.md: a validly signed Pro event that contradicts our records never grants Pro. */
  describe('forged Pro events', () => {
    const sessionStatus = async (id: string) =>
      (await t.dataSource.query(`SELECT status FROM payment_sessions WHERE id = $1`, [id]))[0].status;

    async function expectMismatch(event: Record<string, unknown>, field: string): Promise<void> {
      const res = await postWebhook(t, event, secret);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', processed: false, reason: 'session_mismatch' });
      expect(await webhookEventOf(t, event.id as string)).toMatchObject({
        outcome: 'ignored',
        reason: 'session_mismatch',
      });
      const metrics = await t.http.get('/metrics');
      expect(metrics.text).toMatch(new RegExp(`webhook_session_mismatch_total\\{field="${field}"\\} [1-9]`));
    }

    it.each([
      ['amount', { data: { amount: 1 } }],
      ['currency', { data: { currency: 'EUR' } }],
      ['user_id', { forOther: true }],
      ['purpose', { metadata: { purpose: 'credit_purchase' } }],
    ])(
      'should not grant Pro for a Checkout session event with a forged %s',
      async (
        field,
        forged: { data?: Record<string, unknown>; metadata?: Record<string, unknown>; forOther?: boolean },
      ) => {
        const { accessToken, user } = await loginAs(t);
        const other = (await loginAs(t)).user;
        const sessionId = await startCheckout(accessToken);
        const event = proCaptured(forged.forOther ? other.id : user.id, {
          metadata: { payment_session_id: sessionId, ...forged.metadata },
          data: forged.data,
        });

        await expectMismatch(event, field);
        for (const id of [user.id, other.id]) {
          expect(await tierOf(t, id)).toBe('free');
          expect(await subscriptionOf(t, id)).toBeUndefined();
          expect(await grantsOf(t, id, 'subscription')).toEqual([]);
          expect(await grantsOf(t, id, 'purchased')).toEqual([]);
        }
        expect(await sessionStatus(sessionId)).toBe('pending');
      },
    );

    it.each(['payment_captured', 'subscription_renewed'])(
      'should not grant Pro for a %s that pays a credit-purchase session and claims the Pro plan',
      async (type) => {
        const { user } = await loginAs(t);
        const sessionId = await storedSession(user.id, 30);
        const event = proCaptured(user.id, {
          type,
          metadata: { payment_session_id: sessionId },
          data: { amount: 300 },
        });

        await expectMismatch(event, 'purpose');
        expect(await tierOf(t, user.id)).toBe('free');
        expect(await subscriptionOf(t, user.id)).toBeUndefined();
        expect(await grantsOf(t, user.id, 'purchased')).toEqual([]);
        expect(await sessionStatus(sessionId)).toBe('pending');
      },
    );

    it.each([
      ['amount', { amount: 1 }],
      ['currency', { currency: 'EUR' }],
    ])('should not grant Pro for an event without a session whose %s is not the Pro price', async (field, data) => {
      const { user } = await loginAs(t);
      const event = proCaptured(user.id, { data });

      await expectMismatch(event, field);
      expect(await tierOf(t, user.id)).toBe('free');
      expect(await subscriptionOf(t, user.id)).toBeUndefined();
    });

    it("should not renew another user's subscription for a forged user id, nor make that user Pro", async () => {
      const owner = await proUser();
      const before = (await subscriptionOf(t, owner.userId))!;
      const { user: intruder } = await loginAs(t);
      const event = proCaptured(intruder.id, {
        type: 'subscription_renewed',
        data: { subscription_id: before.checkout_subscription_id },
      });

      await expectMismatch(event, 'user_id');
      expect(await tierOf(t, intruder.id)).toBe('free');
      expect(await subscriptionOf(t, intruder.id)).toBeUndefined();
      expect((await subscriptionOf(t, owner.userId))!.current_period_end).toEqual(before.current_period_end);
    });

    it('should grant at most one month for a session event declaring a ten-year period', async () => {
      const { accessToken, user } = await loginAs(t);
      const sessionId = await startCheckout(accessToken);
      const start = '2026-12-03T09:00:00.000Z';
      const event = proCaptured(user.id, {
        metadata: { payment_session_id: sessionId },
        data: { period_start: start, period_end: '2036-12-03T09:00:00.000Z' },
      });

      expect((await postWebhook(t, event, secret)).body).toEqual({ status: 'ok', processed: true });
      const stored = (await subscriptionOf(t, user.id))!;
      expect(stored.current_period_end.toISOString()).toBe('2027-01-03T09:00:00.000Z');
      expect(await sessionStatus(sessionId)).toBe('completed');
    });
  });

  it('should count events in webhook_events_total', async () => {
    const metrics = await t.http.get('/metrics');
    expect(metrics.text).toMatch(/webhook_events_total\{type="payment_captured",outcome="processed"\} \d+/);
    expect(metrics.text).toMatch(/webhook_events_total\{type="other",outcome="invalid_signature"\} \d+/);
  });
});

describe('POST /api/v1/webhooks/checkout without a webhook secret', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('should answer 503 WEBHOOK_NOT_CONFIGURED before checking the signature', async () => {
    const res = await postWebhook(t, paymentEvent(), 'whatever', 'bad');
    expectError(res, 503, 'WEBHOOK_NOT_CONFIGURED');
    expect(await t.dataSource.query(`SELECT 1 FROM webhook_events`)).toEqual([]);
  });

  it('should still answer 415 for a body that is not JSON', async () => {
    const res = await t.http.post('/api/v1/webhooks/checkout').set('Content-Type', 'text/plain').send('x');
    expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});
