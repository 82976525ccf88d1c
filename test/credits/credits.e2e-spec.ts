import { awayFromUtcMidnight } from '../support/clock-edges';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { CreditLedgerService } from '@app/credits/credit-ledger.service';
import { CreditReservationsService } from '@app/credits/credit-reservations.service';
import { as, expectError, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';
import { clearCredits, grantLot, ledgerOf, storedBalance } from './credit-fixtures';

describe('Credits', () => {
  let t: TestApp;

  beforeEach(() => awayFromUtcMidnight());
  let worker: TestWorker;
  let ledger: CreditLedgerService;
  let reservations: CreditReservationsService;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '10000', RATE_LIMIT_AI: '10000' });
    worker = await createTestWorker(t.databaseUrl);
    ledger = t.app.get(CreditLedgerService);
    reservations = t.app.get(CreditReservationsService);
  });

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  describe('GET /api/v1/credits/balance', () => {
    it('should report the kickstart credits of a new user with every kind present', async () => {
      const { accessToken } = await loginAs(t);
      const res = await as(t, accessToken).get('/api/v1/credits/balance');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { kickstart: 5, daily: 0, subscription: 0, purchased: 0, total: 5 } });
    });

    it("should grant a Pro user's daily lot lazily, once per day", async () => {
      const { accessToken, user } = await loginAs(t, { tier: 'pro' });
      // As on a new day before credit_daily_grant ran: no lot for today yet.
      await t.dataSource.query(`DELETE FROM ai_credit_ledger WHERE user_id = $1 AND credit_type = 'daily'`, [user.id]);
      const first = await as(t, accessToken).get('/api/v1/credits/balance');
      const second = await as(t, accessToken).get('/api/v1/credits/balance');
      expect(first.body.data).toEqual({ kickstart: 5, daily: 10, subscription: 100, purchased: 0, total: 115 });
      expect(second.body.data).toEqual(first.body.data);
      const lots = await t.dataSource.query(
        `SELECT grant_date::text AS grant_date, expires_at FROM ai_credit_ledger WHERE user_id = $1 AND credit_type = 'daily'`,
        [user.id],
      );
      const midnight = new Date();
      midnight.setUTCHours(24, 0, 0, 0);
      expect(lots).toEqual([{ grant_date: new Date().toISOString().slice(0, 10), expires_at: midnight }]);
    });

    it('should require authentication', async () => {
      expectError(await t.http.get('/api/v1/credits/balance'), 401, 'UNAUTHORIZED');
    });
  });

  describe('GET /api/v1/ai/credits', () => {
    it('should report the balance, allowance, reset time and tier', async () => {
      const { accessToken, user } = await loginAs(t, { tier: 'pro' });
      await grantLot(t, user.id, 'purchased', 20);
      const res = await as(t, accessToken).get('/api/v1/ai/credits');
      expect(res.status).toBe(200);
      const tomorrow = new Date();
      tomorrow.setUTCHours(24, 0, 0, 0);
      expect(res.body).toEqual({
        data: {
          balance: { daily_free: 10, daily: 10, subscription: 100, kickstart: 5, purchased: 20, total: 135 },
          daily_reset_at: tomorrow.toISOString(),
          daily_allowance: 10,
          tier: 'pro',
        },
      });
      expect(res.headers['x-ratelimit-limit']).toBe('10000');
    });
  });

  describe('GET /api/v1/credits/history', () => {
    it('should list committed entries newest first with both field sets', async () => {
      const { accessToken, user } = await loginAs(t);
      const reservation = await reservations.reserve({
        userId: user.id,
        amount: 2,
        operationRef: 'chat',
        description: 'AI chat message',
      });
      const pending = await as(t, accessToken).get('/api/v1/credits/history');
      expect(pending.body.data).toHaveLength(1);
      await t.app.get(UnitOfWork).run((tx) => reservations.commit(tx, reservation));

      const res = await as(t, accessToken).get('/api/v1/credits/history');
      expect(res.status).toBe(200);
      expect(res.body.pagination).toEqual({ offset: 0, limit: 50, total: 2, has_more: false });
      const [consume, grant] = res.body.data;
      expect(grant).toEqual({
        id: expect.any(String),
        user_id: user.id,
        type: 'grant',
        category: 'kickstart',
        credit_type: 'kickstart',
        operation: 'grant',
        amount: 5,
        balance_after: 5,
        operation_ref: 'kickstart',
        consumed: 2,
        expires_at: null,
        expired: false,
        source_id: null,
        description: 'Kickstart credits',
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      expect(consume).toEqual({
        ...grant,
        id: expect.any(String),
        type: 'deduct',
        category: 'ai',
        operation: 'consume',
        amount: -2,
        balance_after: 3,
        operation_ref: 'chat',
        consumed: 0,
        source_id: grant.id,
        description: 'AI chat message',
        created_at: expect.any(String),
      });
    });

    it('should filter by credit type and operation and paginate', async () => {
      const { accessToken, user } = await loginAs(t);
      await grantLot(t, user.id, 'purchased', 3);
      await grantLot(t, user.id, 'purchased', 4);
      const purchased = await as(t, accessToken).get('/api/v1/credits/history?credit_type=purchased&limit=1&offset=1');
      expect(purchased.status).toBe(200);
      expect(purchased.body.pagination).toEqual({ offset: 1, limit: 1, total: 2, has_more: false });
      expect(purchased.body.data.map((e: { amount: number; category: string }) => [e.amount, e.category])).toEqual([
        [3, 'purchase'],
      ]);
      const consumes = await as(t, accessToken).get('/api/v1/credits/history?operation=consume');
      expect(consumes.body).toEqual({ data: [], pagination: { offset: 0, limit: 50, total: 0, has_more: false } });
      const beyond = await as(t, accessToken).get('/api/v1/credits/history?offset=10');
      expect(beyond.body.pagination).toEqual({ offset: 10, limit: 50, total: 3, has_more: false });
    });

    it('should reject bad filters and page sizes', async () => {
      const { accessToken } = await loginAs(t);
      const bad = expectError(
        await as(t, accessToken).get('/api/v1/credits/history?credit_type=gold'),
        400,
        'VALIDATION_ERROR',
      );
      expect(bad.details).toEqual([{ field: 'credit_type', message: expect.any(String) }]);
      expectError(await as(t, accessToken).get('/api/v1/credits/history?limit=101'), 400, 'VALIDATION_ERROR');
      expectError(await as(t, accessToken).get('/api/v1/credits/history?operation=steal'), 400, 'VALIDATION_ERROR');
    });
  });

  describe('CreditLedgerService', () => {
    it('should answer 402 data when the balance is short and reserve nothing', async () => {
      const { user } = await loginAs(t);
      await expect(
        reservations.reserve({ userId: user.id, amount: 6, operationRef: 'chat', description: 'x' }),
      ).rejects.toMatchObject({
        status: 402,
        code: 'INSUFFICIENT_CREDITS',
        extra: { credits_required: 6, credits_available: 5 },
      });
      expect((await ledgerOf(t, user.id)).map((e) => [e.operation, e.consumed])).toEqual([['grant', 0]]);
    });

    it('should never spend a credit twice under concurrency', async () => {
      const { user } = await loginAs(t);
      const attempts = await Promise.allSettled(
        Array.from({ length: 20 }, () =>
          reservations.reserve({ userId: user.id, amount: 1, operationRef: 'chat', description: 'x' }),
        ),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(5);
      expect(
        attempts.filter((a) => a.status === 'rejected').map((a) => (a as PromiseRejectedResult).reason.code),
      ).toEqual(Array(15).fill('INSUFFICIENT_CREDITS'));
      const entries = await ledgerOf(t, user.id);
      expect(
        entries
          .filter((e) => e.operation === 'consume')
          .map((e) => e.balance_after)
          .sort(),
      ).toEqual([0, 1, 2, 3, 4]);
      expect(entries[0]).toMatchObject({ operation: 'grant', amount: 5, consumed: 5 });
      expect(await storedBalance(t, user.id)).toBe(0);
    });

    it('should restore the lots and leave no trace when a reservation is released', async () => {
      const { user } = await loginAs(t);
      await grantLot(t, user.id, 'purchased', 2);
      const reservation = await reservations.reserve({
        userId: user.id,
        amount: 6,
        operationRef: 'chat',
        description: 'x',
      });
      expect(await storedBalance(t, user.id)).toBe(1);
      expect(await reservations.release(reservation)).toBe(6);
      expect((await ledgerOf(t, user.id)).map((e) => [e.operation, e.consumed])).toEqual([
        ['grant', 0],
        ['grant', 0],
      ]);
      expect(await ledger.balance(user.id)).toMatchObject({ total: 7 });
    });

    it('should grant one lot per payment reference', async () => {
      const { user } = await loginAs(t);
      const grant = (): Promise<string | null> =>
        t.app.get(UnitOfWork).run((tx) =>
          ledger.grant(tx, {
            userId: user.id,
            creditType: 'subscription',
            amount: 100,
            operationRef: `payment:pay_${user.id}`,
            description: 'Pro monthly credits',
            reason: 'subscription',
          }),
        );
      expect(await grant()).toEqual(expect.any(String));
      expect(await grant()).toBeNull();
      expect(await ledger.balance(user.id)).toMatchObject({ subscription: 100, total: 105 });
      const activity = await t.dataSource.query(
        `SELECT action, metadata FROM activity_logs WHERE user_id = $1 AND entity_type = 'credit' ORDER BY created_at`,
        [user.id],
      );
      expect(activity).toEqual([
        { action: 'credits_granted', metadata: { credit_type: 'kickstart', amount: 5, reason: 'kickstart' } },
        { action: 'credits_granted', metadata: { credit_type: 'subscription', amount: 100, reason: 'subscription' } },
      ]);
    });

    it('should cut subscription credits above the carry-over cap, oldest lots first', async () => {
      const { user } = await loginAs(t);
      const older = await grantLot(t, user.id, 'subscription', 40, new Date(Date.now() - 60_000));
      const newer = await grantLot(t, user.id, 'subscription', 30);
      const removed = await t.app.get(UnitOfWork).run((tx) => ledger.applyCarryover(tx, user.id, 50, new Date()));
      expect(removed).toBe(20);
      const carryovers = (await ledgerOf(t, user.id)).filter((e) => e.operation === 'carryover');
      expect(carryovers).toEqual([expect.objectContaining({ amount: -20, source_id: older, balance_after: 55 })]);
      expect(await ledger.balance(user.id)).toMatchObject({ subscription: 50 });
      expect(newer).toEqual(expect.any(String));
    });

    it("should raise today's daily lot to a new allowance and never shrink it", async () => {
      const { user } = await loginAs(t);
      const uow = t.app.get(UnitOfWork);
      expect(await uow.run((tx) => ledger.raiseDailyGrant(tx, user.id, new Date()))).toBe(0);
      // Becoming Pro raises today's lot (docs/rules.md §2.3).
      await loginAs(t, { email: user.email, tier: 'pro' });
      expect(await ledger.balance(user.id)).toMatchObject({ daily: 10 });
      await t.dataSource.query(`UPDATE ai_credit_ledger SET amount = 4 WHERE user_id = $1 AND credit_type = 'daily'`, [
        user.id,
      ]);
      expect(await uow.run((tx) => ledger.raiseDailyGrant(tx, user.id, new Date()))).toBe(6);
      // Losing Pro (the dev subscription lapses) never shrinks it.
      await worker.runJob('subscription_check', new Date(Date.now() + 40 * 86_400_000));
      expect(
        (await as(t, (await loginAs(t, { email: user.email })).accessToken).get('/api/v1/users/me')).body.data.tier,
      ).toBe('free');
      expect(await uow.run((tx) => ledger.raiseDailyGrant(tx, user.id, new Date()))).toBe(0);
      expect(await ledger.balance(user.id)).toMatchObject({ daily: 10 });
    });
  });

  describe('jobs', () => {
    it('credit_daily_grant should grant every Pro user once per day', async () => {
      const { user: pro } = await loginAs(t, { tier: 'pro' });
      const { user: free } = await loginAs(t);
      const day = new Date('2030-05-01T00:00:00.000Z');
      const first = await worker.runJob('credit_daily_grant', day);
      expect(first.status).toBe('success');
      // 2030-05-01 is this run's day: every lot of that day is its grant, one per Pro user.
      const [granted] = await t.dataSource.query(
        `SELECT count(*)::int AS users_granted, COALESCE(sum(amount), 0)::int AS credits_granted
         FROM ai_credit_ledger WHERE grant_date = '2030-05-01'`,
      );
      expect(granted.users_granted).toBeGreaterThanOrEqual(1);
      expect(first.result).toEqual(granted);
      const again = await worker.runJob('credit_daily_grant', new Date('2030-05-01T01:06:00.000Z'));
      expect(again.result).toEqual({ users_granted: 0, credits_granted: 0 });
      const lots = await t.dataSource.query(
        `SELECT user_id, amount, expires_at FROM ai_credit_ledger WHERE grant_date = '2030-05-01' AND user_id = ANY($1)`,
        [[pro.id, free.id]],
      );
      expect(lots).toEqual([{ user_id: pro.id, amount: 10, expires_at: new Date('2030-05-02T00:00:00.000Z') }]);
    });

    it('credit_expire should expire yesterday’s daily lot and write its unused remainder', async () => {
      const { user } = await loginAs(t, { tier: 'pro' });
      await clearCredits(t, user.id);
      const day = new Date('2031-03-10T08:00:00.000Z');
      await t.app.get(UnitOfWork).run((tx) => ledger.ensureDailyGrant(tx, user.id, day));
      const reservation = await reservations.reserve({
        userId: user.id,
        amount: 3,
        operationRef: 'chat',
        description: 'x',
        now: day,
      });
      await t.app.get(UnitOfWork).run((tx) => reservations.commit(tx, reservation, day));
      const expiries = async (): Promise<{ lots_expired: number; credits_expired: number }> =>
        (
          await t.dataSource.query(
            `SELECT count(*) FILTER (WHERE operation = 'grant' AND expired)::int AS lots_expired,
                    (-COALESCE(sum(amount) FILTER (WHERE operation = 'expire'), 0))::int AS credits_expired
             FROM ai_credit_ledger`,
          )
        )[0];
      const before = await expiries();
      const result = await worker.runJob('credit_expire', new Date('2031-03-11T00:00:00.000Z'));
      expect(result.status).toBe('success');
      const after = await expiries();
      expect(after.lots_expired - before.lots_expired).toBeGreaterThanOrEqual(1);
      expect(result.result).toEqual({
        lots_expired: after.lots_expired - before.lots_expired,
        credits_expired: after.credits_expired - before.credits_expired,
      });
      const expired = (await ledgerOf(t, user.id)).filter((e) => e.operation === 'expire');
      expect(expired).toEqual([
        expect.objectContaining({ credit_type: 'daily', amount: -7, balance_after: 0, status: 'committed' }),
      ]);
      const rerun = await worker.runJob('credit_expire', new Date('2031-03-11T00:05:00.000Z'));
      expect(rerun.result).toEqual({ lots_expired: 0, credits_expired: 0 });
    });

    it('credit_reservation_release should release reservations pending for over 10 minutes', async () => {
      const { user } = await loginAs(t);
      const reservation = await reservations.reserve({
        userId: user.id,
        amount: 2,
        operationRef: 'chat',
        description: 'x',
      });
      const early = await worker.runJob('credit_reservation_release', new Date(Date.now() + 9 * 60_000));
      expect(early.result).toEqual({ reservations_released: 0, credits_restored: 0 });
      const pending = async (): Promise<{ reservations: number; credits: number }> =>
        (
          await t.dataSource.query(
            `SELECT count(DISTINCT reservation_id)::int AS reservations, (-COALESCE(sum(amount), 0))::int AS credits
             FROM ai_credit_ledger WHERE status = 'pending' AND reservation_id IS NOT NULL`,
          )
        )[0];
      const before = await pending();
      const late = await worker.runJob('credit_reservation_release', new Date(Date.now() + 11 * 60_000));
      const after = await pending();
      expect(before.reservations - after.reservations).toBeGreaterThanOrEqual(1);
      expect(late.result).toEqual({
        reservations_released: before.reservations - after.reservations,
        credits_restored: before.credits - after.credits,
      });
      expect(await storedBalance(t, user.id)).toBe(5);
      await t.app.get(UnitOfWork).run(async (tx) => expect(await reservations.commit(tx, reservation)).toBe(0));
    });
  });
});
