import { addCalendarMonth } from '@app/billing/subscription-rules';
import { as } from '../support/factories';
import { FakeCheckout, postWebhook, proCaptured, startFakeCheckout } from '../support/fake-checkout';
import { eventually } from '../jobs/job-fixtures';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';
import {
  activityOf,
  grantsOf,
  ledgerEntries,
  paymentsOf,
  RenewableSubscriber,
  renewableSubscriber,
  subscriptionOf,
  tierOf,
} from './billing-fixtures';

const MINUTE = 60_000;

/**
 * `subscription_renew` racing itself, the user and the provider (docs/integrations.md §4.6,
 * docs/billing-events.md §5): the fake holds its answer (behaviour `hold`) while the other party
 * acts, and every test asserts the charges the fake made, not only what the product stored.
 */
describe('subscription_renew under races and timeouts', () => {
  let t: TestApp;
  let worker: TestWorker;
  let impatientWorker: TestWorker;
  let checkout: FakeCheckout;

  beforeAll(async () => {
    checkout = await startFakeCheckout();
    const env = { ...checkout.env(), RATE_LIMIT_GENERAL: '10000' };
    t = await createTestApp(env);
    worker = await createTestWorker(t.databaseUrl, env);
    impatientWorker = await createTestWorker(t.databaseUrl, { ...env, CHECKOUT_TIMEOUT_MS: '300' });
  });

  afterEach(() => {
    checkout.release();
    checkout.paymentBehaviour = 'approve';
  });

  afterAll(async () => {
    await impatientWorker.close();
    await worker.close();
    await t.close();
    await checkout.close();
  });

  const subscriber = (): Promise<RenewableSubscriber> =>
    renewableSubscriber(t, checkout.webhookSecret, new Date(Date.now() + 30 * MINUTE));

  const keyOf = (s: RenewableSubscriber, periodEnd: Date): string =>
    `renew-${s.subscriptionId}-${Math.floor(periodEnd.getTime() / 1000)}-1`;

  function requestsFor(userId: string): string[] {
    return checkout.paymentRequests
      .filter((r) => (r.body.metadata as { user_id: string }).user_id === userId)
      .map((r) => String(r.headers['cko-idempotency-key']));
  }

  const chargesWith = (key: string): string[] =>
    checkout.charges.filter((c) => c.idempotencyKey === key).map((c) => c.paymentId);

  /** Waits until the held renewal requests of `userId` reached the fake. */
  const requestsArrived = (userId: string, count: number): Promise<void> =>
    eventually(async () => requestsFor(userId).length >= count, 10_000, `${count} renewal requests`);

  async function expectRenewedOnce(s: RenewableSubscriber, periodEnd: Date, paymentId: string): Promise<void> {
    expect(await paymentsOf(t, s.userId)).toEqual([
      { payment_id: s.firstPayment, outcome: 'captured', reported_by: 'webhook' },
      { payment_id: paymentId, outcome: 'captured', reported_by: expect.stringMatching(/^(renewal_job|webhook)$/) },
    ]);
    expect(await grantsOf(t, s.userId, 'subscription')).toEqual([
      // The carry-over cap cut the first lot once (docs/rules.md §2.3).
      { amount: 100, consumed: 50, operation_ref: `payment:${s.firstPayment}` },
      { amount: 100, consumed: 0, operation_ref: `payment:${paymentId}` },
    ]);
    expect(await ledgerEntries(t, s.userId, 'carryover')).toEqual([{ credit_type: 'subscription', amount: -50 }]);
    expect(await subscriptionOf(t, s.userId)).toMatchObject({
      current_period_start: periodEnd,
      current_period_end: addCalendarMonth(periodEnd),
      last_payment_id: paymentId,
      failed_payment_count: 0,
    });
    expect((await activityOf(t, s.userId)).map((a) => a.action).filter((a) => a === 'subscription_renewed')).toEqual([
      'subscription_renewed',
    ]);
  }

  it('should charge once and renew once when two runs overlap', async () => {
    const s = await subscriber();
    const periodEnd = (await subscriptionOf(t, s.userId))!.current_period_end;
    checkout.paymentBehaviour = 'hold';

    const runs = Promise.all([worker.runJob('subscription_renew'), worker.runJob('subscription_renew')]);
    await requestsArrived(s.userId, 2);
    checkout.release();
    const [first, second] = await runs;

    expect(requestsFor(s.userId)).toEqual([keyOf(s, periodEnd), keyOf(s, periodEnd)]);
    const charged = chargesWith(keyOf(s, periodEnd));
    expect(charged).toHaveLength(1);
    expect([first.result, second.result]).toEqual(
      expect.arrayContaining([
        { renewed: 1, declined: 0, errors: 0 },
        { renewed: 0, declined: 0, errors: 0 },
      ]),
    );
    await expectRenewedOnce(s, periodEnd, charged[0]);
    expect((await subscriptionOf(t, s.userId))!.status).toBe('active');
  });

  it('should keep a cancellation made while the charge was in flight, and the paid period', async () => {
    const s = await subscriber();
    const periodEnd = (await subscriptionOf(t, s.userId))!.current_period_end;
    checkout.paymentBehaviour = 'hold';

    const run = worker.runJob('subscription_renew');
    await requestsArrived(s.userId, 1);
    expect((await as(t, s.token).post('/api/v1/subscription/cancel')).status).toBe(200);
    checkout.release();
    expect((await run).result).toMatchObject({ renewed: 1, errors: 0 });

    const [paymentId] = chargesWith(keyOf(s, periodEnd));
    await expectRenewedOnce(s, periodEnd, paymentId);
    expect(await subscriptionOf(t, s.userId)).toMatchObject({ status: 'cancelled', cancel_at_period_end: true });
    expect(await tierOf(t, s.userId)).toBe('pro');
    const status = await as(t, s.token).get('/api/v1/subscription');
    expect(status.body.data).toMatchObject({
      status: 'cancelled',
      cancel_at_period_end: true,
      current_period_end: addCalendarMonth(periodEnd).toISOString(),
    });
    // Cancelled: the next run charges nothing.
    checkout.paymentBehaviour = 'approve';
    await worker.runJob('subscription_renew');
    expect(requestsFor(s.userId)).toHaveLength(1);
  });

  it("should apply the provider's webhook and the job's answer for one payment once, keeping a cancellation", async () => {
    const s = await subscriber();
    const periodEnd = (await subscriptionOf(t, s.userId))!.current_period_end;
    checkout.paymentBehaviour = 'hold';

    const run = worker.runJob('subscription_renew');
    await requestsArrived(s.userId, 1);
    const [paymentId] = chargesWith(keyOf(s, periodEnd));
    expect((await as(t, s.token).post('/api/v1/subscription/cancel')).status).toBe(200);
    const event = proCaptured(s.userId, {
      paymentId,
      sourceId: `src_${s.userId}`,
      metadata: { subscription_id: s.firstPayment },
      data: { reference: keyOf(s, periodEnd) },
    });
    expect((await postWebhook(t, event, checkout.webhookSecret)).body).toEqual({ status: 'ok', processed: true });
    checkout.release();

    expect((await run).result).toMatchObject({ renewed: 0, errors: 0 });
    expect(chargesWith(keyOf(s, periodEnd))).toEqual([paymentId]);
    await expectRenewedOnce(s, periodEnd, paymentId);
    expect((await paymentsOf(t, s.userId))[1].reported_by).toBe('webhook');
    expect(await subscriptionOf(t, s.userId)).toMatchObject({ status: 'cancelled', cancel_at_period_end: true });
  });

  it('should change nothing when Checkout.com never answers, then take the charge it made on the next run', async () => {
    const s = await subscriber();
    const before = await subscriptionOf(t, s.userId);
    const periodEnd = before!.current_period_end;
    checkout.paymentBehaviour = 'hold';

    const timedOut = await impatientWorker.runJob('subscription_renew');

    expect(timedOut.result).toEqual({ renewed: 0, declined: 0, errors: 1 });
    // The provider charged the card; the product never heard of it.
    const charged = chargesWith(keyOf(s, periodEnd));
    expect(charged).toHaveLength(1);
    expect(await subscriptionOf(t, s.userId)).toEqual(before);
    expect((await paymentsOf(t, s.userId)).map((p) => p.payment_id)).toEqual([s.firstPayment]);
    expect((await grantsOf(t, s.userId, 'subscription')).map((g) => g.operation_ref)).toEqual([
      `payment:${s.firstPayment}`,
    ]);

    checkout.paymentBehaviour = 'approve';
    expect((await worker.runJob('subscription_renew')).result).toEqual({ renewed: 1, declined: 0, errors: 0 });

    expect(requestsFor(s.userId)).toEqual([keyOf(s, periodEnd), keyOf(s, periodEnd)]);
    expect(chargesWith(keyOf(s, periodEnd))).toEqual(charged);
    await expectRenewedOnce(s, periodEnd, charged[0]);
    expect((await paymentsOf(t, s.userId))[1].reported_by).toBe('renewal_job');
  });
});
