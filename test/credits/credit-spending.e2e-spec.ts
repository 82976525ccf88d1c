import { as, expectError, loginAs } from '../support/factories';
import { FakeCheckout, startFakeCheckout } from '../support/fake-checkout';
import { FakeOpenAi, startFakeOpenAi } from '../support/fake-openai';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';
import { updateSubscription } from '../billing/billing-fixtures';
import { ledgerOf } from './credit-fixtures';

const ORIGIN = 'https://app.example.com';

/**
 * FIFO spending (docs/rules.md §2.2) across every lot kind, each lot obtained the way users get it
 * (account creation, a hosted Pro payment, a renewal charge, hosted credit purchases) and spent by
 * `POST /ai/chat`; small amounts so that charges straddle lots.
 */
describe('Spending credits across every lot kind', () => {
  let t: TestApp;
  let worker: TestWorker;
  let checkout: FakeCheckout;
  let openai: FakeOpenAi;

  beforeAll(async () => {
    checkout = await startFakeCheckout();
    openai = await startFakeOpenAi();
    const env = {
      ...checkout.env(),
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: openai.url,
      RATE_LIMIT_GENERAL: '10000',
      RATE_LIMIT_AI: '10000',
      KICKSTART_CREDITS: '2',
      PRO_DAILY_CREDITS: '2',
      PRO_MONTHLY_CREDITS: '3',
      AI_CREDIT_CHAT: '3',
    };
    t = await createTestApp(env);
    worker = await createTestWorker(t.databaseUrl, env);
    checkout.webhookUrl = `${t.baseUrl}/api/v1/webhooks/checkout`;
  });

  afterAll(async () => {
    await worker.close();
    await t.close();
    await openai.close();
    await checkout.close();
  });

  async function pay(token: string, path: string, body: object): Promise<void> {
    const session = await as(t, token).post(`/api/v1/subscription/${path}`).set('Origin', ORIGIN).send(body);
    expect(session.status).toBe(200);
    const paid = await checkout.payHostedSession(session.body.data.session_id as string);
    expect(paid.answers[1].body).toEqual({ status: 'ok', processed: true });
  }

  it('should spend daily, then subscription, kickstart and purchased lots, oldest first within a kind', async () => {
    const { accessToken, user } = await loginAs(t);
    await pay(accessToken, 'checkout', {});
    await updateSubscription(t, user.id, { current_period_end: new Date(Date.now() + 10 * 60_000) });
    expect((await worker.runJob('subscription_renew')).result).toMatchObject({ renewed: 1 });
    await pay(accessToken, 'purchase-credits', { amount: 4 });
    await pay(accessToken, 'purchase-credits', { amount: 4 });

    // Oldest first within a kind; the activation's lots share one timestamp, so kinds are matched by name.
    const grants = (await ledgerOf(t, user.id)).filter((e) => e.operation === 'grant');
    const lotsOf = (kind: string): string[] => grants.filter((g) => g.credit_type === kind).map((g) => g.id);
    expect(grants.map((g) => `${g.credit_type}:${g.amount}`).sort()).toEqual([
      'daily:2',
      'kickstart:2',
      'purchased:4',
      'purchased:4',
      'subscription:3',
      'subscription:3',
    ]);
    const [daily] = lotsOf('daily');
    const [kickstart] = lotsOf('kickstart');
    const [subscriptionA, subscriptionB] = lotsOf('subscription');
    const [purchasedA, purchasedB] = lotsOf('purchased');
    const lotName = new Map([
      [kickstart, 'kickstart'],
      [subscriptionA, 'subscriptionA'],
      [daily, 'daily'],
      [subscriptionB, 'subscriptionB'],
      [purchasedA, 'purchasedA'],
      [purchasedB, 'purchasedB'],
    ]);
    const balance = await as(t, accessToken).get('/api/v1/credits/balance');
    expect(balance.body.data).toEqual({ kickstart: 2, daily: 2, subscription: 6, purchased: 8, total: 18 });

    const seen = new Set<string>();
    const spend = async (): Promise<string[]> => {
      const res = await as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'Next?' });
      expect(res.status).toBe(200);
      expect(res.body.data.credits_used).toBe(3);
      const consumed = (await ledgerOf(t, user.id)).filter((e) => e.operation === 'consume' && !seen.has(e.id));
      consumed.forEach((e) => seen.add(e.id));
      expect(consumed.every((e) => e.status === 'committed')).toBe(true);
      return consumed.map((e) => `${lotName.get(e.source_id ?? '')}:${e.amount}`).sort();
    };

    expect(await spend()).toEqual(['daily:-2', 'subscriptionA:-1']);
    expect(await spend()).toEqual(['subscriptionA:-2', 'subscriptionB:-1']);
    expect(await spend()).toEqual(['kickstart:-1', 'subscriptionB:-2']);
    expect(await spend()).toEqual(['kickstart:-1', 'purchasedA:-2']);
    expect(await spend()).toEqual(['purchasedA:-2', 'purchasedB:-1']);
    expect(await spend()).toEqual(['purchasedB:-3']);

    const short = await as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'More?' });
    expect(expectError(short, 402, 'INSUFFICIENT_CREDITS')).toMatchObject({
      credits_required: 3,
      credits_available: 0,
    });
    const after = await ledgerOf(t, user.id);
    expect(after.filter((e) => e.operation === 'grant').every((g) => g.consumed === g.amount)).toBe(true);
    expect(after.filter((e) => e.operation === 'consume')).toHaveLength(11);
    expect((await as(t, accessToken).get('/api/v1/credits/balance')).body.data.total).toBe(0);
    expect(openai.requests).toHaveLength(6);
  });
});
