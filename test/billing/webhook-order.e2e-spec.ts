import { randomUUID } from 'node:crypto';
import { as, loginAs } from '../support/factories';
import { FakeCheckout, paymentEvent, postWebhook, proCaptured, startFakeCheckout } from '../support/fake-checkout';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';
import {
  activityOf,
  grantsOf,
  paymentsOf,
  subscriptionOf,
  updateSubscription,
  webhookEventOf,
} from './billing-fixtures';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Events out of order (docs/billing-events.md): decided by event time, never by arrival. */
describe('Checkout events out of order', () => {
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

  /** A subscriber activated at `activatedAt` (the event's `created_on`), with its series id. */
  async function subscriber(activatedAt: Date): Promise<{ userId: string; token: string; seriesId: string }> {
    const { accessToken, user } = await loginAs(t);
    const seriesId = `pay_${randomUUID()}`;
    const res = await postWebhook(
      t,
      proCaptured(user.id, { paymentId: seriesId, createdOn: activatedAt.toISOString() }),
      secret,
    );
    expect(res.body).toEqual({ status: 'ok', processed: true });
    return { userId: user.id, token: accessToken, seriesId };
  }

  function event(type: string, seriesId: string, createdOn: Date): Record<string, unknown> {
    return paymentEvent({
      type,
      createdOn: createdOn.toISOString(),
      metadata: { purpose: 'pro_subscription' },
      data: { subscription_id: seriesId },
    });
  }

  async function expectStale(res: { body: unknown }, sent: Record<string, unknown>, userId: string): Promise<void> {
    expect(res.body).toEqual({ status: 'ok', processed: false, reason: 'stale_event' });
    expect(await webhookEventOf(t, sent.id as string)).toEqual({
      outcome: 'ignored',
      reason: 'stale_event',
      user_id: userId,
      event_type: sent.type,
    });
  }

  async function lastEventAt(userId: string): Promise<Date> {
    const rows: Array<{ last_event_at: Date }> = await t.dataSource.query(
      `SELECT last_event_at FROM subscriptions WHERE user_id = $1`,
      [userId],
    );
    return rows[0].last_event_at;
  }

  it('should not let a decline older than a renewal downgrade the renewed subscription (docs/billing-events.md §3)', async () => {
    const periodEnd = new Date(Date.now() + 30 * MINUTE);
    const { userId, token, seriesId } = await subscriber(new Date(Date.now() - DAY));
    await updateSubscription(t, userId, { current_period_end: periodEnd });
    const jobNow = new Date();
    expect((await worker.runJob('subscription_renew', jobNow)).result).toMatchObject({ renewed: 1 });
    const renewed = (await subscriptionOf(t, userId))!;
    const renewedAt = await lastEventAt(userId);
    expect(renewedAt.getTime()).toBeLessThanOrEqual(jobNow.getTime());

    const late = event('payment_declined', seriesId, new Date(renewedAt.getTime() - MINUTE));
    const res = await postWebhook(t, late, secret);

    await expectStale(res, late, userId);
    expect(await subscriptionOf(t, userId)).toEqual(renewed);
    expect((await paymentsOf(t, userId)).map((p) => p.outcome)).toEqual(['captured', 'captured']);
    const status = await as(t, token).get('/api/v1/subscription');
    expect(status.body.data).toMatchObject({ tier: 'pro', status: 'active', failed_payment_count: 0 });

    // A decline newer than the renewal is applied.
    const newer = await postWebhook(t, event('payment_declined', seriesId, new Date()), secret);
    expect(newer.body).toEqual({ status: 'ok', processed: true });
    expect(await subscriptionOf(t, userId)).toMatchObject({ status: 'past_due', failed_payment_count: 1 });
  });

  it('should not let a cancellation older than a captured renewal cancel it', async () => {
    const { userId, seriesId } = await subscriber(new Date(Date.now() - 2 * DAY));
    const renewalAt = new Date(Date.now() - DAY);
    await postWebhook(
      t,
      proCaptured(userId, { type: 'subscription_renewed', createdOn: renewalAt.toISOString() }),
      secret,
    );
    const before = await subscriptionOf(t, userId);

    const late = event('subscription_cancelled', seriesId, new Date(renewalAt.getTime() - MINUTE));
    await expectStale(await postWebhook(t, late, secret), late, userId);

    expect(await subscriptionOf(t, userId)).toEqual(before);
    expect(before).toMatchObject({ status: 'active', cancel_at_period_end: false, cancelled_at: null });
    expect((await activityOf(t, userId)).map((a) => a.action)).toEqual([
      'subscription_activated',
      'subscription_renewed',
    ]);
  });

  it('should apply an event at the same time as the last one, and one without created_on at receipt', async () => {
    const activatedAt = new Date(Date.now() - DAY);
    const { userId, seriesId } = await subscriber(activatedAt);
    const same = await postWebhook(t, event('payment_declined', seriesId, activatedAt), secret);
    expect(same.body).toEqual({ status: 'ok', processed: true });
    const { created_on: _omitted, ...undated } = event('payment_declined', seriesId, activatedAt);
    expect((await postWebhook(t, undated, secret)).body).toEqual({ status: 'ok', processed: true });
    expect(await subscriptionOf(t, userId)).toMatchObject({ status: 'past_due', failed_payment_count: 2 });
  });

  it('should count a created_on in the future as the receipt time', async () => {
    const { userId, seriesId } = await subscriber(new Date(Date.now() - DAY));
    const ahead = new Date(Date.now() + DAY);
    expect((await postWebhook(t, event('payment_declined', seriesId, ahead), secret)).body).toEqual({
      status: 'ok',
      processed: true,
    });
    expect((await lastEventAt(userId)).getTime()).toBeLessThan(ahead.getTime());
    // So a real decline a minute later is not stale.
    const next = await postWebhook(t, event('payment_declined', seriesId, new Date(Date.now() + MINUTE)), secret);
    expect(next.body).toEqual({ status: 'ok', processed: true });
  });

  it('should not let a provider cancellation sent before a resume cancel again', async () => {
    const { userId, token, seriesId } = await subscriber(new Date(Date.now() - DAY));
    expect((await as(t, token).post('/api/v1/subscription/cancel')).status).toBe(200);
    const sentAt = new Date();
    expect((await as(t, token).post('/api/v1/subscription/resume')).status).toBe(200);

    const late = event('subscription_cancelled', seriesId, new Date(sentAt.getTime() - 1));
    await expectStale(await postWebhook(t, late, secret), late, userId);
    expect(await subscriptionOf(t, userId)).toMatchObject({ status: 'active', cancel_at_period_end: false });
  });

  it('should honour a captured payment older than the last event (docs/billing-events.md §4)', async () => {
    const { userId, seriesId } = await subscriber(new Date(Date.now() - DAY));
    await postWebhook(t, event('subscription_cancelled', seriesId, new Date()), secret);
    const paymentId = `pay_${randomUUID()}`;
    const old = proCaptured(userId, { paymentId, createdOn: new Date(Date.now() - 12 * 3_600_000).toISOString() });

    expect((await postWebhook(t, old, secret)).body).toEqual({ status: 'ok', processed: true });

    expect(await subscriptionOf(t, userId)).toMatchObject({ status: 'active', last_payment_id: paymentId });
    expect((await grantsOf(t, userId, 'subscription')).map((g) => g.operation_ref)).toEqual([
      `payment:${seriesId}`,
      `payment:${paymentId}`,
    ]);
  });
});
