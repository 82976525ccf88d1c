import { randomUUID } from 'node:crypto';
import { expectError, loginAs } from '../support/factories';
import { FakeCheckout, postWebhook, proCaptured, startFakeCheckout } from '../support/fake-checkout';
import { createTestApp, TestApp } from '../support/test-app';
import { activityOf, grantsOf, paymentsOf, subscriptionOf, tierOf, webhookEventOf } from './billing-fixtures';

/**
 * A webhook whose processing fails part-way (docs/integrations.md §4.5): the failure is a real
 * database error raised by a trigger installed in this test's database, after the event row, the
 * subscription, its payment record and the tier were already written in the transaction.
 */
describe('POST /api/v1/webhooks/checkout failing midway', () => {
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

  /** Makes every subscription-credit grant of `userId` fail with a database error until removed. */
  async function failSubscriptionGrants(userId: string): Promise<() => Promise<void>> {
    const name = `fail_grants_${userId.replace(/-/g, '')}`;
    await t.dataSource.query(
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.user_id = '${userId}' AND NEW.credit_type = 'subscription' THEN
           RAISE EXCEPTION 'injected failure';
         END IF;
         RETURN NEW;
       END $$`,
    );
    await t.dataSource.query(
      `CREATE TRIGGER ${name} BEFORE INSERT ON ai_credit_ledger FOR EACH ROW EXECUTE FUNCTION ${name}()`,
    );
    return async () => {
      await t.dataSource.query(`DROP TRIGGER ${name} ON ai_credit_ledger`);
      await t.dataSource.query(`DROP FUNCTION ${name}()`);
    };
  }

  it('should roll the whole event back on a database error, then apply its redelivery exactly once', async () => {
    const { user } = await loginAs(t);
    const paymentId = `pay_${randomUUID()}`;
    const event = proCaptured(user.id, { paymentId, sourceId: 'src_rollback' });
    const eventId = event.id as string;
    const removeTrigger = await failSubscriptionGrants(user.id);

    expectError(await postWebhook(t, event, checkout.webhookSecret), 500, 'INTERNAL_ERROR');
    expectError(await postWebhook(t, event, checkout.webhookSecret), 500, 'INTERNAL_ERROR');

    expect(await webhookEventOf(t, eventId)).toBeUndefined();
    expect(await subscriptionOf(t, user.id)).toBeUndefined();
    expect(await paymentsOf(t, user.id)).toEqual([]);
    expect(await tierOf(t, user.id)).toBe('free');
    expect(await grantsOf(t, user.id, 'subscription')).toEqual([]);
    expect(await activityOf(t, user.id)).toEqual([]);

    await removeTrigger();
    const redelivered = await postWebhook(t, event, checkout.webhookSecret);
    const again = await postWebhook(t, event, checkout.webhookSecret);

    expect(redelivered.status).toBe(200);
    expect(redelivered.body).toEqual({ status: 'ok', processed: true });
    expect(again.body).toEqual({ status: 'ok', processed: false, reason: 'duplicate' });
    expect(await webhookEventOf(t, eventId)).toEqual({
      outcome: 'processed',
      reason: null,
      user_id: user.id,
      event_type: 'payment_captured',
    });
    expect(await subscriptionOf(t, user.id)).toMatchObject({
      status: 'active',
      last_payment_id: paymentId,
      payment_instrument_id: 'src_rollback',
      failed_payment_count: 0,
    });
    expect(await paymentsOf(t, user.id)).toEqual([
      { payment_id: paymentId, outcome: 'captured', reported_by: 'webhook' },
    ]);
    expect(await tierOf(t, user.id)).toBe('pro');
    expect(await grantsOf(t, user.id, 'subscription')).toEqual([
      { amount: 100, consumed: 0, operation_ref: `payment:${paymentId}` },
    ]);
    expect(await activityOf(t, user.id)).toEqual([{ action: 'subscription_activated', source: 'system' }]);
  });
});
