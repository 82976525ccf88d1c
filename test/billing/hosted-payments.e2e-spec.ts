import type supertest from 'supertest';
import { as, expectError, loginAs } from '../support/factories';
import { FakeCheckout, startFakeCheckout } from '../support/fake-checkout';
import { ManualClock } from '../support/manual-clock';
import { createTestApp, TestApp } from '../support/test-app';
import { grantsOf, paymentsOf, subscriptionOf, tierOf } from './billing-fixtures';

const ORIGIN = 'https://app.example.com';

/**
 * Payments made on the hosted page: the Checkout fake itself posts the signed events of the
 * session, as Checkout.com does (docs/integrations.md §4.1–§4.4); the app's clock is a
 * `ManualClock`, so the monthly purchase cap (docs/rules.md §2.8) can be tested on both sides of a
 * UTC month boundary.
 */
describe('Hosted payments paid by the customer', () => {
  let t: TestApp;
  let checkout: FakeCheckout;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    checkout = await startFakeCheckout();
    t = await createTestApp({ ...checkout.env(), RATE_LIMIT_GENERAL: '10000' }, { clock });
    checkout.webhookUrl = `${t.baseUrl}/api/v1/webhooks/checkout`;
  });

  beforeEach(() => clock.set(new Date()));

  afterAll(async () => {
    await t.close();
    await checkout.close();
  });

  function purchase(token: string, amount: number): supertest.Test {
    return as(t, token).post('/api/v1/subscription/purchase-credits').set('Origin', ORIGIN).send({ amount });
  }

  async function paidPurchase(token: string, amount: number): Promise<string> {
    const res = await purchase(token, amount);
    expect(res.status).toBe(200);
    const paid = await checkout.payHostedSession(res.body.data.session_id as string, { at: clock.now() });
    expect(paid.answers.map((a) => [a.type, a.status, a.body])).toEqual([
      ['payment_approved', 200, { status: 'ok', processed: false, reason: 'unknown_event_type' }],
      ['payment_captured', 200, { status: 'ok', processed: true }],
    ]);
    return paid.paymentId;
  }

  it('should make a user Pro when the hosted Pro payment is captured, storing its card', async () => {
    const { accessToken, user } = await loginAs(t);
    const session = await as(t, accessToken).post('/api/v1/subscription/checkout').set('Origin', ORIGIN).send({});
    expect(session.status).toBe(200);

    const paid = await checkout.payHostedSession(session.body.data.session_id as string);

    expect(paid.answers.map((a) => a.body)).toEqual([
      { status: 'ok', processed: false, reason: 'unknown_event_type' },
      { status: 'ok', processed: true },
    ]);
    expect(await tierOf(t, user.id)).toBe('pro');
    expect(await subscriptionOf(t, user.id)).toMatchObject({
      status: 'active',
      checkout_subscription_id: paid.paymentId,
      last_payment_id: paid.paymentId,
      payment_instrument_id: paid.sourceId,
    });
    expect(await paymentsOf(t, user.id)).toEqual([
      { payment_id: paid.paymentId, outcome: 'captured', reported_by: 'webhook' },
    ]);
    const [stored] = await t.dataSource.query(`SELECT status FROM payment_sessions WHERE provider_session_id = $1`, [
      session.body.data.session_id,
    ]);
    expect(stored.status).toBe('completed');
  });

  it('should grant a purchase when its hosted payment is captured, and fail the session on a decline', async () => {
    const { accessToken, user } = await loginAs(t);
    const paymentId = await paidPurchase(accessToken, 40);
    const balance = await as(t, accessToken).get('/api/v1/credits/balance');
    expect(balance.body.data).toMatchObject({ kickstart: 5, purchased: 40, total: 45 });
    expect(await grantsOf(t, user.id, 'purchased')).toEqual([
      { amount: 40, consumed: 0, operation_ref: `payment:${paymentId}` },
    ]);

    const declined = await purchase(accessToken, 10);
    const paid = await checkout.payHostedSession(declined.body.data.session_id as string, { outcome: 'declined' });
    expect(paid.answers.map((a) => [a.type, a.body])).toEqual([
      ['payment_declined', { status: 'ok', processed: true }],
    ]);
    const sessions = await t.dataSource.query(
      `SELECT credits, status FROM payment_sessions WHERE user_id = $1 ORDER BY created_at`,
      [user.id],
    );
    expect(sessions).toEqual([
      { credits: 40, status: 'completed' },
      { credits: 10, status: 'failed' },
    ]);
    expect((await grantsOf(t, user.id, 'purchased')).map((g) => g.amount)).toEqual([40]);
  });

  it('should reset the purchase cap at 00:00 UTC on the 1st, while last month’s pending session still holds its share', async () => {
    const { accessToken, user } = await loginAs(t);
    clock.set('2026-01-31T23:59:59.999Z');
    await paidPurchase(accessToken, 450);
    const pendingOfJanuary = await purchase(accessToken, 50);
    expect(pendingOfJanuary.body.data).toMatchObject({ monthly_purchased: 450, monthly_remaining: 0 });
    expect(expectError(await purchase(accessToken, 1), 409, 'LIMIT_EXCEEDED')).toMatchObject({
      limit: 500,
      current: 500,
    });
    expect((await as(t, accessToken).get('/api/v1/subscription')).body.data.monthly_credits_purchased).toBe(450);

    clock.set('2026-02-01T00:00:00.000Z');
    expect((await as(t, accessToken).get('/api/v1/subscription')).body.data.monthly_credits_purchased).toBe(0);
    // January's grant no longer counts; its pending session (under 24 h old) still does.
    expect(expectError(await purchase(accessToken, 451), 409, 'LIMIT_EXCEEDED')).toMatchObject({
      limit: 500,
      current: 50,
    });
    await paidPurchase(accessToken, 450);
    const paidLate = await checkout.payHostedSession(pendingOfJanuary.body.data.session_id as string, {
      at: clock.now(),
    });
    expect(paidLate.answers[1].body).toEqual({ status: 'ok', processed: true });
    expect(expectError(await purchase(accessToken, 1), 409, 'LIMIT_EXCEEDED')).toMatchObject({
      limit: 500,
      current: 500,
    });

    const grants = await t.dataSource.query(
      `SELECT amount, created_at FROM ai_credit_ledger
       WHERE user_id = $1 AND credit_type = 'purchased' AND operation = 'grant' ORDER BY created_at, amount`,
      [user.id],
    );
    expect(grants).toEqual([
      { amount: 450, created_at: new Date('2026-01-31T23:59:59.999Z') },
      { amount: 50, created_at: new Date('2026-02-01T00:00:00.000Z') },
      { amount: 450, created_at: new Date('2026-02-01T00:00:00.000Z') },
    ]);
    const events = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM webhook_events WHERE user_id = $1 AND event_type = 'payment_captured'`,
      [user.id],
    );
    expect(events[0].n).toBe(3);
  });
});
